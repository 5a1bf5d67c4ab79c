// Loads the labelled answer files copied into TestData/answers (see its README) as VerifyInput + expected verdict.
using System.Text.Json;
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Tests.Verification;

public sealed record LabelledRow(string Id, VerifyInput Input, bool Expected, bool Borderline, bool Excluded, string Notes);

public static class LabelledData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", "answers", file);

    public static List<LabelledRow> Load(string file, string verdictField)
    {
        var rows = new List<LabelledRow>();
        foreach (var line in File.ReadLines(PathOf(file)))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string id = r.GetProperty("id").GetString()!;
            string response = r.GetProperty("response").GetString() ?? "";
            var goldEl = r.GetProperty("gold");
            string gold; List<string>? alts = null;
            if (goldEl.ValueKind == JsonValueKind.Array)
            {
                var all = goldEl.EnumerateArray().Select(e => e.ToString()).ToList();
                gold = all[0]; alts = all.Skip(1).ToList();
            }
            else gold = goldEl.ToString();
            List<string>? choices = r.TryGetProperty("choices", out var ch) && ch.ValueKind == JsonValueKind.Array
                ? ch.EnumerateArray().Select(e => e.ToString()).ToList() : null;
            string? type = r.TryGetProperty("answer_type", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            bool expected = r.GetProperty(verdictField).GetBoolean();
            bool borderline = r.TryGetProperty("borderline", out var b) && b.ValueKind == JsonValueKind.True;
            bool excluded = r.TryGetProperty("official_random_fallback", out var f) && f.ValueKind == JsonValueKind.True;
            string notes = r.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            rows.Add(new LabelledRow(id, new VerifyInput(response, gold, choices, type, GoldAlternatives: alts), expected, borderline, excluded, notes));
        }
        return rows;
    }
}
