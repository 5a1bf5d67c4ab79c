using Rethinker.Eval.Reports;
using Rethinker.Models.Imaging;

namespace Rethinker.Eval.Tests;

public class HtmlReportTests
{
    static string BuildReport(string dir)
    {
        var png = PngEncoder.Encode(Enumerable.Repeat((byte)200, 28 * 28 * 3).ToArray(), 28, 28);
        var report = new HtmlReport("Rethinker test report")
            .Heading("Training")
            .Plots([SvgLinePlot.Render("reward", "step", [new PlotSeries("mean", [(0, 0.1), (1, 0.3), (2, 0.5)])])])
            .Table(["task", "before", "after"], [["counting", "0.40", "0.55"]])
            .Samples([new ReportSample("sample 1", png, "How many <b>?", "x = 3. Wait, let me verify: 3. \\boxed{3}", [(7, 22)], true)]);
        string path = Path.Combine(dir, "report.html");
        report.Save(path);
        return path;
    }

    [Fact]
    public void Highlight_EscapesTextAndWrapsSpans()
    {
        string html = HtmlReport.Highlight("a<b Wait c", [(4, 4)]);
        Assert.Equal("a&lt;b <mark class=\"rethink\">Wait</mark> c", html);
    }

    [Fact]
    public void Highlight_ClipsSpansOutsideText() =>
        Assert.Equal("ab<mark class=\"rethink\">c</mark>", HtmlReport.Highlight("abc", [(2, 99)]));

    [Fact]
    public void NiceTicks_CoverRangeWithRoundSteps()
    {
        var t = SvgLinePlot.NiceTicks(0.13, 0.87, 5);
        Assert.True(t[0] <= 0.13 && t[^1] >= 0.87);
        Assert.All(t.Zip(t.Skip(1)), p => Assert.Equal(0.2, p.Second - p.First, 9));
    }

    [Fact]
    public void Report_RendersPlotsTableAndSamplesInChromium()
    {
        string dir = Directory.CreateTempSubdirectory("rethinker-report-").FullName;
        string path = BuildReport(dir);
        string? chromium = HeadlessBrowser.FindChromium();
        if (chromium is null)
        {
            // The static checks still run; CI installs Chromium so the browser check runs there.
            Console.WriteLine("chromium not installed: browser rendering check skipped");
            Assert.Contains("<svg class=\"plot\"", File.ReadAllText(path));
            return;
        }
        string dom = HeadlessBrowser.DumpDom(chromium, path);
        Assert.Contains("<polyline class=\"series\"", dom);
        Assert.Contains("<mark class=\"rethink\">", dom);
        Assert.Contains("data:image/png;base64,", dom);
        Assert.Contains("<td>counting</td>", dom);
    }
}
