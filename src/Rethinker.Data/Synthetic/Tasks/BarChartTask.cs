// Bar charts (ViRL39K's chart/table questions at toy scale): labelled bars on a unit grid. Easy: which
// of three bars is tallest/shortest, values printed; medium: difference of two bars, values printed;
// hard: five bars, no printed values (read heights from the grid lines), difference or total.
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;
using static Rethinker.Data.Synthetic.Tasks.SceneKit;

namespace Rethinker.Data.Synthetic.Tasks;

public sealed class BarChartTask : ITaskFamily
{
    public string Name => "bar_chart";
    public string Category => "chart";

    // Letters the 5×7 font cannot confuse with digits (no I O Q S Z B G), and none of the option letters A–E.
    const string LabelPool = "FHKLMNPRTUVWXY";

    public TaskDraft Generate(SynthRng rng, int difficulty, int size)
    {
        int n = difficulty switch { 1 => 3, 2 => 4, _ => 5 };
        bool showValues = difficulty < 3;
        string query = difficulty switch
        {
            1 => rng.Chance(0.5) ? "tallest" : "shortest",
            2 => "difference",
            _ => rng.Chance(0.5) ? "difference" : "total",
        };
        int maxValue = 9;
        var values = rng.Sample(maxValue, n).Select(v => v + 1).ToArray();
        var labels = rng.Sample(LabelPool.Length, n).Order().Select(i => LabelPool[i].ToString()).ToArray();
        var colors = Enumerable.Range(0, n).Select(_ => rng.Pick(Palette.ShapeColors)).ToArray();
        var pair = rng.Sample(n, 2);
        int a = Math.Min(pair[0], pair[1]), b = Math.Max(pair[0], pair[1]);

        var (canvas, geometry) = Render(size, values, labels, colors, showValues, maxValue);
        var bars = new JsonArray();
        for (int i = 0; i < n; i++) bars.Add(new JsonObject { ["label"] = labels[i], ["value"] = values[i], ["color"] = colors[i] });
        var scene = new JsonObject
        {
            ["type"] = "bar_chart", ["width"] = size, ["height"] = size, ["query"] = query, ["show_values"] = showValues,
            ["max_value"] = maxValue, ["bars"] = bars, ["plot"] = geometry,
        };
        if (query == "difference") scene["query_bars"] = new JsonArray(labels[a], labels[b]);

        string listing = string.Join(", ", labels.Select((l, i) => $"{l} = {Inv(values[i])}"));
        string caption = $"The image shows a bar chart with {Word(n)} bars labelled {CountingTask.Join(labels)}" + (showValues ? ", each with its value printed on top." : ", and grid lines one unit apart.");
        string read = showValues ? $"Reading the values on the bars: {listing}." : $"Counting grid lines to the top of each bar: {listing}.";
        var keys = new List<IReadOnlyList<string>>();
        List<string> steps; string question, value, summary, verification, slipValue; List<string> slip; AnswerKind kind; List<string> distractors;
        if (query is "tallest" or "shortest")
        {
            bool tall = query == "tallest";
            int best = tall ? Array.IndexOf(values, values.Max()) : Array.IndexOf(values, values.Min());
            var order = Enumerable.Range(0, n).OrderBy(i => tall ? -values[i] : values[i]).ToArray();
            int runnerUp = order[1];
            question = $"Which bar is the {query}? Answer with its label.";
            summary = $"I need to compare the heights of the bars and find the {query} one.";
            string sel(int i) => $"The {(tall ? "largest" : "smallest")} value is {Inv(values[i])}, for bar {labels[i]}.";
            steps = [read, sel(best)];
            keys.Add([$"{labels[best]} = {Inv(values[best])}"]);
            keys.Add([$"value is {Inv(values[best])}, for bar {labels[best]}", $"bar {labels[best]}"]);
            var others = order.Skip(1).Select(i => $"{labels[i]} ({Inv(values[i])})").ToList();
            verification = $"{labels[best]} ({Inv(values[best])}) is {(tall ? "higher" : "lower")} than {CountingTask.Join(others)}, so bar {labels[best]} is the {query}.";
            slip = [read, sel(runnerUp)];
            slipValue = labels[runnerUp];
            value = labels[best]; kind = AnswerKind.Text;
            distractors = labels.Where(l => l != labels[best]).ToList();
        }
        else
        {
            int result;
            if (query == "difference")
            {
                int hi = values[a] >= values[b] ? a : b, lo = hi == a ? b : a;
                result = values[hi] - values[lo];
                question = $"What is the difference between the values of bar {labels[a]} and bar {labels[b]}?";
                summary = $"I need to read bars {labels[a]} and {labels[b]} and subtract the smaller value from the larger.";
                string eq = $"{Inv(values[hi])} - {Inv(values[lo])} = {Inv(result)}";
                steps = [read, $"Bar {labels[hi]} is {Inv(values[hi])} and bar {labels[lo]} is {Inv(values[lo])}; {eq}."];
                keys.Add([$"{labels[a]} = {Inv(values[a])}", $"bar {labels[a]} is {Inv(values[a])}"]);
                keys.Add([$"{labels[b]} = {Inv(values[b])}", $"bar {labels[b]} is {Inv(values[b])}"]);
                keys.Add([eq]);
                verification = $"{Inv(values[lo])} + {Inv(result)} = {Inv(values[hi])}, the height of bar {labels[hi]}.";
            }
            else
            {
                result = values.Sum();
                question = "What is the total of the values of all bars?";
                summary = "I need to read every bar and add the values.";
                string eq = string.Join(" + ", values.Select(Inv)) + $" = {Inv(result)}";
                steps = [read, eq + "."];
                keys.Add([listing]);
                keys.Add([eq, $"total is {Inv(result)}"]);
                // Re-add in pairs from the right: a different grouping of the same numbers.
                var rev = values.Reverse().ToArray();
                var pairs = new List<string>(); var partial = new List<int>();
                for (int i = 0; i < rev.Length; i += 2)
                {
                    if (i + 1 < rev.Length) { pairs.Add($"{Inv(rev[i])} + {Inv(rev[i + 1])} = {Inv(rev[i] + rev[i + 1])}"); partial.Add(rev[i] + rev[i + 1]); }
                    else partial.Add(rev[i]);
                }
                verification = $"adding in pairs from the right, {string.Join(", ", pairs)}; then {string.Join(" + ", partial.Select(Inv))} = {Inv(result)}.";
            }
            int wrong = result + (rng.Chance(0.5) || result == 0 ? 1 : -1);
            slip = [read, steps[1].Replace($"= {Inv(result)}.", $"= {Inv(wrong)}.")];
            slipValue = Inv(wrong);
            value = Inv(result); kind = AnswerKind.Number;
            distractors = NumericDistractors(rng, result);
        }
        var reasoning = new Reasoning(summary, caption, steps, verification, slip, slipValue, keys);
        return new TaskDraft(question, value, kind, distractors, reasoning, scene, canvas);
    }

    /// <summary>Axes, one grid line per unit, bars with labels underneath and optional values on top.</summary>
    static (Canvas, JsonObject) Render(int size, int[] values, string[] labels, string[] colors, bool showValues, int maxValue)
    {
        var canvas = new Canvas(size, size, Palette.White);
        int scale = Math.Max(1, size / 112 + (size >= 84 ? 1 : 0));
        int labelH = BitmapFont.GlyphHeight * scale;
        int left = Math.Max(3, size / 16), right = size - 3;
        int baseline = size - labelH - 4;
        int top = showValues ? labelH + 4 : 4;
        int unit = Math.Max(1, (baseline - top) / maxValue);
        int n = values.Length;
        double slot = (double)(right - left) / n;
        for (int v = 1; v <= maxValue; v++) canvas.FillRect(left, baseline - v * unit, right, baseline - v * unit + 1, Palette.Grid);
        var bars = new JsonArray();
        for (int i = 0; i < n; i++)
        {
            int x0 = (int)Math.Round(left + slot * i + slot * 0.2), x1 = (int)Math.Round(left + slot * (i + 0.8));
            int y0 = baseline - values[i] * unit;
            canvas.FillRect(x0, y0, x1, baseline, Palette.Of(colors[i]));
            var (lw, _) = BitmapFont.Measure(labels[i], scale);
            canvas.DrawText(labels[i], (x0 + x1 - lw) / 2, baseline + 3, scale, Palette.Black);
            if (showValues)
            {
                string t = Inv(values[i]);
                var (vw, vh) = BitmapFont.Measure(t, scale);
                // the cell row at or above the wanted spot, so a snapped value never sits on its bar
                int cell = BitmapFont.Advance * scale, above = Math.Max(0, (y0 - vh - 2) / cell * cell);
                canvas.DrawText(t, (x0 + x1 - vw) / 2, above, scale, Palette.Black);
            }
            bars.Add(new JsonObject { ["x0"] = x0, ["x1"] = x1, ["top"] = y0 });
        }
        canvas.FillRect(left - 1, top - 2, left + 1, baseline + 1, Palette.Axis);   // y axis
        canvas.FillRect(left - 1, baseline, right, baseline + 2, Palette.Axis);     // x axis
        return (canvas, new JsonObject { ["baseline"] = baseline, ["unit"] = unit, ["bars"] = bars });
    }
}
