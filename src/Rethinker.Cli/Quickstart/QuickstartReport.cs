// The quickstart's one-page report: training curves (reward, accuracy, effective-group ratio, rethinking rates,
// response length), accuracy per task before and after RL, time per phase, and sample rollouts with their images
// and rethinking segments highlighted. Self-contained HTML (inline SVG, data: images).
using System.Globalization;
using Rethinker.Eval.Reports;
using Rethinker.Eval.Runner;
using Rethinker.Models.Imaging;

namespace Rethinker.Cli.Quickstart;

public static class QuickstartReport
{
    public static void Write(string path, QuickstartPlan plan, IReadOnlyList<PhaseTime> phases,
        Dictionary<string, List<(double Step, double Value)>> metrics, IReadOnlyList<EvalItem> items,
        (IReadOnlyList<Prediction> Predictions, EvalSummary Summary) sft,
        (IReadOnlyList<Prediction> Predictions, EvalSummary Summary) rl,
        (IReadOnlyList<Prediction> Predictions, EvalSummary Summary) rlForced, IAnswerJudge judge)
    {
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        PlotSeries S(string key, string? label = null) => new(label ?? key, metrics.TryGetValue(key, out var v) ? v : []);
        var report = new HtmlReport($"Rethinker quickstart ({plan.Name})")
            .Paragraph($"Held-out accuracy: after SFT {F(sft.Summary.Accuracy)}, after GRPO (SSR + forced rethinking) {F(rl.Summary.Accuracy)}, "
                       + $"with test-time forced rethinking {F(rlForced.Summary.Accuracy)}. Total time {phases.Sum(p => p.Seconds):0} s.")
            .Heading("Training (GRPO)")
            .Plots([
                SvgLinePlot.Render("reward", "step", [S("reward/mean", "mean reward")]),
                SvgLinePlot.Render("rollout accuracy", "step", [S("accuracy/mean", "accuracy")]),
                SvgLinePlot.Render("groups", "step", [S("groups/effective_ratio", "effective"), S("groups/all_correct_ratio", "all correct"), S("groups/all_wrong_ratio", "all wrong")]),
                SvgLinePlot.Render("rethinking", "step", [S("rethink/native_ratio", "native"), S("rethink/forced_ratio", "forced"), S("rethink/kept_ratio", "kept")]),
                SvgLinePlot.Render("response length", "step", [S("completions/mean_length", "mean tokens")]),
            ])
            .Heading("Held-out accuracy per task")
            .Table(["task", "after SFT", "after RL", "RL + forced rethinking"], Tasks(sft.Summary, rl.Summary, rlForced.Summary, F))
            .Table(["", "after SFT", "after RL", "RL + forced rethinking"],
            [
                ["native rethinking ratio", F(sft.Summary.RethinkingRatio), F(rl.Summary.RethinkingRatio), F(rlForced.Summary.RethinkingRatio)],
                ["mean response tokens", F(sft.Summary.MeanResponseTokens), F(rl.Summary.MeanResponseTokens), F(rlForced.Summary.MeanResponseTokens)],
                ["truncated", F(sft.Summary.TruncatedRatio), F(rl.Summary.TruncatedRatio), F(rlForced.Summary.TruncatedRatio)],
            ])
            .Heading("Time per phase")
            .Table(["phase", "seconds"], phases.Select(p => (IReadOnlyList<string>)[p.Phase, p.Seconds.ToString("0.0", CultureInfo.InvariantCulture)]))
            .Heading("Sample rollouts (after RL, with test-time forced rethinking)");
        var byId = items.ToDictionary(i => i.Id);
        var samples = rlForced.Predictions.Where(p => p.Rethought).Take(4)
            .Concat(rl.Predictions.Where(p => p.NativeRethinking).Take(2))
            .Concat(rl.Predictions.Take(4)).DistinctBy(p => p.Id + p.Response).Take(8);
        report.Samples(samples.Select(p =>
        {
            var item = byId[p.Id];
            var img = item.Images.Count > 0 ? item.Images[0] : null;
            return new ReportSample($"{p.Id} ({p.Category})", img is null ? null : PngEncoder.Encode(img.Pixels, img.Width, img.Height),
                item.Question, p.Response, judge.RethinkingSpans(p.Response), p.Correct,
                $"gold: {item.Gold}; extracted: {p.Extracted ?? "(none)"}" + (p.CorrectBeforeRethinking is { } b ? $"; before rethinking: {(b ? "correct" : "wrong")}" : ""));
        }));
        report.Save(path);
    }

    static IEnumerable<IReadOnlyList<string>> Tasks(EvalSummary a, EvalSummary b, EvalSummary c, Func<double, string> f)
    {
        string Of(EvalSummary s, string cat) => s.PerCategory.FirstOrDefault(x => x.Category == cat) is { } x ? f(x.Accuracy) : "–";
        foreach (var cat in a.PerCategory.Select(x => x.Category).Union(b.PerCategory.Select(x => x.Category)).Order(StringComparer.Ordinal))
            yield return [cat, Of(a, cat), Of(b, cat), Of(c, cat)];
        yield return ["all", f(a.Accuracy), f(b.Accuracy), f(c.Accuracy)];
    }
}
