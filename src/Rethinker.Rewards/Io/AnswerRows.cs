// JSONL rows for `rethinker verify` / `rethinker reward`: {"id","response","gold","choices"?,"answer_type"?,
// "finish_reason"? ("length" = truncated), "truncated"?, "key_steps"? ([[phrasing, …], …] for StepRAR)}.
// A bad row yields an error naming the line and the field; the caller skips and counts it.
using System.Text.Json;

namespace Rethinker.Rewards.Io;

public sealed record AnswerRow(string Id, string Response, string Gold, IReadOnlyList<string>? Choices, string? AnswerType,
    bool Truncated, IReadOnlyList<string>? GoldAlternatives, IReadOnlyList<IReadOnlyList<string>>? KeySteps);

public static class AnswerRows
{
    /// <summary>Parses one line; returns null and sets <paramref name="error"/> when the row is unusable.</summary>
    public static AnswerRow? Parse(string line, int lineNumber, out string? error)
    {
        error = null;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { error = $"line {lineNumber}: not valid JSON ({e.Message.Split('.')[0]})"; return null; }
        using (doc)
        {
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) { error = $"line {lineNumber}: expected a JSON object"; return null; }
            string? id = r.TryGetProperty("id", out var idEl) && idEl.ValueKind is JsonValueKind.String or JsonValueKind.Number ? idEl.ToString() : null;
            if (id is null) { error = $"line {lineNumber}: field \"id\" missing or not a string/number"; return null; }
            if (!r.TryGetProperty("response", out var resp) || resp.ValueKind != JsonValueKind.String) { error = $"line {lineNumber} (id {id}): field \"response\" missing or not a string"; return null; }
            if (!r.TryGetProperty("gold", out var goldEl)) { error = $"line {lineNumber} (id {id}): field \"gold\" missing"; return null; }
            string gold; List<string>? alts = null;
            switch (goldEl.ValueKind)
            {
                case JsonValueKind.String or JsonValueKind.Number: gold = goldEl.ToString(); break;
                case JsonValueKind.Array when goldEl.GetArrayLength() > 0 && goldEl.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number):
                    var all = goldEl.EnumerateArray().Select(e => e.ToString()).ToList();
                    gold = all[0]; alts = all.Skip(1).ToList(); break;
                default: error = $"line {lineNumber} (id {id}): field \"gold\" must be a string, number or non-empty list of them"; return null;
            }
            List<string>? choices = null;
            if (r.TryGetProperty("choices", out var ch) && ch.ValueKind != JsonValueKind.Null)
            {
                if (ch.ValueKind != JsonValueKind.Array || ch.EnumerateArray().Any(e => e.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)))
                { error = $"line {lineNumber} (id {id}): field \"choices\" must be a list of option texts"; return null; }
                choices = ch.EnumerateArray().Select(e => e.ToString()).ToList();
            }
            string? type = null;
            if (r.TryGetProperty("answer_type", out var at) && at.ValueKind != JsonValueKind.Null)
            {
                if (at.ValueKind != JsonValueKind.String) { error = $"line {lineNumber} (id {id}): field \"answer_type\" must be a string"; return null; }
                type = at.GetString();
            }
            bool truncated = (r.TryGetProperty("finish_reason", out var fr) && fr.ValueKind == JsonValueKind.String && fr.GetString() == "length")
                || (r.TryGetProperty("truncated", out var tr) && tr.ValueKind == JsonValueKind.True);
            List<IReadOnlyList<string>>? steps = null;
            if (r.TryGetProperty("key_steps", out var ks) && ks.ValueKind != JsonValueKind.Null)
            {
                if (ks.ValueKind != JsonValueKind.Array) { error = $"line {lineNumber} (id {id}): field \"key_steps\" must be a list of lists of phrasings"; return null; }
                steps = [];
                foreach (var g in ks.EnumerateArray())
                {
                    if (g.ValueKind == JsonValueKind.String) steps.Add([g.GetString()!]);
                    else if (g.ValueKind == JsonValueKind.Array && g.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)) steps.Add(g.EnumerateArray().Select(e => e.GetString()!).ToList());
                    else { error = $"line {lineNumber} (id {id}): field \"key_steps\" must be a list of lists of phrasings"; return null; }
                }
            }
            return new AnswerRow(id, resp.GetString()!, gold, choices, type, truncated, alts, steps);
        }
    }
}
