// Reads back the predictions.jsonl that EvalOutputWriter writes (or any JSONL with "id" and "correct"), keeping only
// what a comparison needs. A bad line is skipped and reported with its number rather than ending the comparison.
using System.Text.Json;

namespace Rethinker.Eval.Runner;

public sealed record PredictionsFile(IReadOnlyList<ScoredResponse> Responses, IReadOnlyList<string> Issues);

public static class PredictionsReader
{
    /// <param name="path">A predictions.jsonl, or an eval output directory holding one.</param>
    public static PredictionsFile Read(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "predictions.jsonl") : path;
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} does not exist (expected an eval output directory or its predictions.jsonl)");
        var responses = new List<ScoredResponse>();
        var issues = new List<string>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? problem = TryParse(line, out var response);
            if (problem is null) responses.Add(response!);
            else issues.Add($"{file} line {lineNumber}: {problem}");
        }
        return new PredictionsFile(responses, issues);
    }

    static string? TryParse(string line, out ScoredResponse? response)
    {
        response = null;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException) { return "not valid JSON"; }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "expected a JSON object";
            string? id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            } : null;
            if (string.IsNullOrEmpty(id)) return "field \"id\" must be a non-empty string or a number";
            if (!root.TryGetProperty("correct", out var correct) || correct.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return $"(id {id}) field \"correct\" must be true or false";
            int sampleIndex = 0;
            if (root.TryGetProperty("sample_index", out var s) && !(s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out sampleIndex) && sampleIndex >= 0))
                return $"(id {id}) field \"sample_index\" must be a non-negative integer";
            string category = root.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            response = new ScoredResponse(id, sampleIndex, category, correct.GetBoolean());
            return null;
        }
    }
}
