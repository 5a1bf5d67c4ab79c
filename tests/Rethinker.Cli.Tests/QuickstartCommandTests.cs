// The README's first command, end to end: `rethinker quickstart --fast` from a clean directory produces data, a
// tokenizer, checkpoints, metrics and a report, and the report renders in headless Chromium with its plots,
// tables and sample rollouts (CI installs Debian's chromium; without it the DOM check is reported as skipped).
using Rethinker.Eval.Reports;

namespace Rethinker.Cli.Tests;

public class QuickstartCommandTests
{
    [Fact]
    public void QuickstartFast_WritesEveryArtefactAndARenderableReport()
    {
        string dir = Path.Combine(Directory.CreateTempSubdirectory("rethinker-qs-").FullName, "run");
        int code = Program.Run(["quickstart", "--fast", "--out", dir]);
        Assert.Equal(0, code);
        foreach (var f in new[] { "data/train.jsonl", "data/heldout.jsonl", "tokenizer/tokenizer.json", "model-init/config.json",
                     "model-sft/model.safetensors", "model-rl/model.safetensors", "model-rl/tokenizer.json", "model-rl/preprocessor_config.json",
                     "grpo/metrics.jsonl", "sft/metrics.jsonl", "eval-sft/summary.json", "eval-rl/predictions.jsonl", "eval-rl-forced/report.html", "report.html" })
            Assert.True(File.Exists(Path.Combine(dir, f)), $"missing {f}");
        Assert.Equal(QuickstartLines(dir, "grpo/metrics.jsonl"), Rethinker.Cli.Quickstart.QuickstartPlan.Fast.GrpoSteps);

        string report = Path.Combine(dir, "report.html");
        string? chromium = HeadlessBrowser.FindChromium();
        if (chromium is null)
        {
            Console.WriteLine("chromium not installed: rendered-report check skipped (CI installs it)");
            return;
        }
        string dom = HeadlessBrowser.DumpDom(chromium, report);
        Assert.True(Count(dom, "<svg class=\"plot\"") >= 5, "five training plots");
        Assert.True(Count(dom, "<polyline class=\"series\"") >= 3, "plots have drawn series");
        Assert.Contains("Held-out accuracy per task", dom);
        Assert.True(Count(dom, "<div class=\"sample") >= 3, "sample rollouts");
        Assert.Contains("data:image/png;base64,", dom);
    }

    static int QuickstartLines(string dir, string file) => File.ReadAllLines(Path.Combine(dir, file)).Count(l => l.Trim().Length > 0);

    static int Count(string haystack, string needle)
    {
        int n = 0;
        for (int i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
