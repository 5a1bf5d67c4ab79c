// Inline SVG line plots for the self-contained HTML reports: no script, no external asset, so the page renders the
// same in any browser and offline. Axes with "nice" ticks, one polyline per series, a legend.
using System.Globalization;
using System.Text;

namespace Rethinker.Eval.Reports;

public sealed record PlotSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

public static class SvgLinePlot
{
    static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"];

    public static string Render(string title, string xLabel, IReadOnlyList<PlotSeries> series, int width = 460, int height = 260)
    {
        const int left = 52, right = 12, top = 28, bottom = 40;
        var pts = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"plot\" data-title=\"{Html.Escape(title)}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">{Html.Escape(title)}</text>");
        if (pts.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#888\">no data</text></svg>");
            return sb.ToString();
        }
        double x0 = pts.Min(p => p.X), x1 = pts.Max(p => p.X), y0 = pts.Min(p => p.Y), y1 = pts.Max(p => p.Y);
        if (x1 == x0) { x0 -= 0.5; x1 += 0.5; }
        if (y1 == y0) { y0 -= 0.5; y1 += 0.5; }
        var yTicks = NiceTicks(y0, y1, 5);
        y0 = Math.Min(y0, yTicks[0]); y1 = Math.Max(y1, yTicks[^1]);
        double pw = width - left - right, ph = height - top - bottom;
        double Sx(double x) => left + (x - x0) / (x1 - x0) * pw;
        double Sy(double y) => top + ph - (y - y0) / (y1 - y0) * ph;

        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{pw:0.#}\" height=\"{ph:0.#}\" fill=\"none\" stroke=\"#ccc\"/>");
        foreach (double t in yTicks)
            sb.Append(CultureInfo.InvariantCulture,
                $"<line x1=\"{left}\" x2=\"{left + pw:0.#}\" y1=\"{Sy(t):0.#}\" y2=\"{Sy(t):0.#}\" stroke=\"#eee\"/><text x=\"{left - 4}\" y=\"{Sy(t) + 4:0.#}\" text-anchor=\"end\" font-size=\"10\">{Format(t)}</text>");
        foreach (double t in NiceTicks(x0, x1, 6))
            if (t >= x0 && t <= x1)
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Sx(t):0.#}\" y=\"{top + ph + 14:0.#}\" text-anchor=\"middle\" font-size=\"10\">{Format(t)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + pw / 2:0.#}\" y=\"{height - 6}\" text-anchor=\"middle\" font-size=\"11\">{Html.Escape(xLabel)}</text>");

        for (int s = 0; s < series.Count; s++)
        {
            string color = Palette[s % Palette.Length];
            var good = series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            if (good.Count == 1)
                sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Sx(good[0].X):0.#}\" cy=\"{Sy(good[0].Y):0.#}\" r=\"3\" fill=\"{color}\"/>");
            else if (good.Count > 1)
                sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{string.Join(' ', good.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Sx(p.X):0.#},{Sy(p.Y):0.#}")))}\"/>");
            sb.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{left + 8}\" y=\"{top + 6 + 14 * s}\" width=\"10\" height=\"3\" fill=\"{color}\"/><text x=\"{left + 22}\" y=\"{top + 10 + 14 * s}\" font-size=\"10\">{Html.Escape(series[s].Name)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Round tick values (1, 2, 5 × 10^k steps) covering [lo, hi].</summary>
    internal static double[] NiceTicks(double lo, double hi, int target)
    {
        double span = hi - lo, raw = span / Math.Max(1, target - 1);
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag;
        double start = Math.Floor(lo / step) * step, end = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (double t = start; t <= end + step * 1e-9 && ticks.Count < 50; t += step) ticks.Add(Math.Round(t / step) * step);
        return [.. ticks];
    }

    static string Format(double v) => Math.Abs(v) >= 1000 || (Math.Abs(v) < 0.01 && v != 0)
        ? v.ToString("0.##e0", CultureInfo.InvariantCulture)
        : v.ToString("0.###", CultureInfo.InvariantCulture);
}

public static class Html
{
    public static string Escape(string s) => System.Net.WebUtility.HtmlEncode(s);
}
