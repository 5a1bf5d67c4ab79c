// Writes what `rethinker eval` promises: predictions.jsonl (one row per response), summary.json, and report.html
// (accuracy per category and sample responses with their rethinking segments highlighted).
using System.Globalization;
using System.Text.Json;
using Rethinker.Eval.Reports;
using Rethinker.Models.Imaging;

namespace Rethinker.Eval.Runner;

public static class EvalOutputWriter
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };
    static readonly JsonSerializerOptions JsonIndented = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static void Write(string outDir, string title, IReadOnlyList<EvalItem> items, IReadOnlyList<Prediction> predictions,
        EvalSummary summary, IAnswerJudge judge, int samplesShown = 12)
    {
        Directory.CreateDirectory(outDir);
        using (var w = new StreamWriter(Path.Combine(outDir, "predictions.jsonl")))
            foreach (var p in predictions) w.WriteLine(JsonSerializer.Serialize(p, Json));
        File.WriteAllText(Path.Combine(outDir, "summary.json"), JsonSerializer.Serialize(summary, JsonIndented));
        BuildReport(title, items, predictions, summary, judge, samplesShown).Save(Path.Combine(outDir, "report.html"));
    }

    public static HtmlReport BuildReport(string title, IReadOnlyList<EvalItem> items, IReadOnlyList<Prediction> predictions,
        EvalSummary summary, IAnswerJudge judge, int samplesShown)
    {
        var byId = items.ToDictionary(i => i.Id);
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var report = new HtmlReport(title)
            .Paragraph($"{summary.Items} items, {summary.Responses} responses, accuracy {F(summary.Accuracy)}, native rethinking ratio {F(summary.RethinkingRatio)}, "
                       + $"mean response {summary.MeanResponseTokens:0.#} tokens, truncated {F(summary.TruncatedRatio)}"
                       + (summary.ForcedRethinkingGain is { } g ? $", forced-rethinking gain {F(g)}" : "") + $", {summary.Seconds:0.#} s.")
            .Heading("Accuracy per category")
            .Table(["category", "responses", "accuracy"], summary.PerCategory.Select(c => (IReadOnlyList<string>)[c.Category, c.Count.ToString(CultureInfo.InvariantCulture), F(c.Accuracy)]))
            .Heading("Sample responses");
        report.Samples(predictions.Take(samplesShown).Select(p =>
        {
            var item = byId[p.Id];
            byte[]? png = item.Images.Count > 0 ? PngEncoder.Encode(item.Images[0].Pixels, item.Images[0].Width, item.Images[0].Height) : null;
            return new ReportSample($"{p.Id} ({p.Category})", png, item.Question, p.Response, judge.RethinkingSpans(p.Response), p.Correct,
                $"gold: {item.Gold}; extracted: {p.Extracted ?? "(none)"}");
        }));
        return report;
    }
}
