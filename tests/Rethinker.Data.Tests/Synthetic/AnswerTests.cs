// Every generated answer against an independent recomputation from the scene description, and the
// rendered pixels against the scene (so the answer is really in the image).
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic;
using Rethinker.Data.Synthetic.Drawing;

namespace Rethinker.Data.Tests.Synthetic;

public class AnswerTests
{
    internal static string GoldValue(SyntheticExample ex)
    {
        var row = ex.Row;
        if (row.Choices is null) return row.Answer;
        Assert.Matches("^[A-D]$", row.Answer);
        return row.Choices[row.Answer[0] - 'A'];
    }

    [Fact]
    public void EveryAnswer_EqualsIndependentRecomputationFromScene()
    {
        var failures = Examples.All.Where(ex => SceneSolver.Solve(ex.Row.Scene!) != GoldValue(ex))
            .Select(ex => $"{ex.Row.Task}/{ex.Row.Difficulty}: gold {GoldValue(ex)} vs recomputed {SceneSolver.Solve(ex.Row.Scene!)}: {ex.Row.Question}").ToList();
        Assert.Empty(failures);
    }

    [Fact]
    public void EveryTaskDifficultyAndAnswerType_IsCovered()
    {
        foreach (var f in SyntheticGenerator.Families)
            for (int d = 1; d <= 3; d++)
                Assert.Contains(Examples.All, ex => ex.Row.Task == f.Name && ex.Row.Difficulty == d);
        foreach (var t in new[] { "number", "text", "yes_no", "choice" }) Assert.Contains(Examples.All, ex => ex.Row.AnswerType == t);
    }

    [Fact]
    public void MultipleChoice_OptionsAreDistinctAndListedInTheQuestion()
    {
        foreach (var ex in Examples.All.Where(e => e.Row.Choices is not null))
        {
            var c = ex.Row.Choices!;
            Assert.Equal(c.Count, c.Distinct().Count());
            Assert.InRange(c.Count, 2, 4);
            for (int i = 0; i < c.Count; i++) Assert.Contains($"({(char)('A' + i)}) {c[i]}\n", ex.Row.Question);
        }
    }

    [Fact]
    public void Questions_StartWithOneImagePlaceholder()
    {
        foreach (var ex in Examples.All)
        {
            Assert.StartsWith("<image>\n", ex.Row.Question);
            Assert.Equal(1, Rethinker.Data.Rows.JsonlDatasetReader.CountPlaceholders(ex.Row.Question));
        }
    }

    [Fact]
    public void Geometry_FigureIsDrawnToMeasure()
    {
        int triangles = 0, rects = 0;
        foreach (var ex in Examples.All.Where(e => e.Row.Task == "geometry"))
        {
            var s = ex.Row.Scene!;
            string v = (string)s["variant"]!;
            string gold = SceneSolver.Solve(s);
            if (v == "triangle_angle") { Assert.Equal(double.Parse(gold), SceneSolver.AngleAt(s["vertices"]!.AsArray(), 2), 1e-1); triangles++; }
            if (v == "isosceles_base_angle") { Assert.Equal(double.Parse(gold), SceneSolver.AngleAt(s["vertices"]!.AsArray(), 0), 1e-1); triangles++; }
            if (v == "right_hypotenuse")
            {
                var vx = s["vertices"]!.AsArray();
                double dx = (double)vx[1]![0]! - (double)vx[2]![0]!, dy = (double)vx[1]![1]! - (double)vx[2]![1]!;
                Assert.Equal(double.Parse(gold), Math.Sqrt(dx * dx + dy * dy) / (double)s["unit_px"]!, 0.05);
                Assert.Equal(90, SceneSolver.AngleAt(vx, 0), 1e-1);
            }
            if (v.StartsWith("rect") || v.StartsWith("square"))
            {
                var r = s["rect"]!; double k = (double)s["unit_px"]!;
                Assert.Equal((int)s["sides"]!["width"]!, ((int)r["x1"]! - (int)r["x0"]!) / k, 0.3);
                Assert.Equal((int)s["sides"]!["height"]!, ((int)r["y1"]! - (int)r["y0"]!) / k, 0.3);
                rects++;
            }
        }
        Assert.True(triangles > 5 && rects > 5);
    }

    [Fact]
    public void ShapeScenes_ImageHasOneBlobPerShapeOfItsColour()
    {
        foreach (var ex in Examples.All.Where(e => e.Row.Task is "counting" or "spatial"))
        {
            var shapes = ex.Row.Scene!["shapes"]!.AsArray();
            foreach (var color in Palette.ShapeColors)
            {
                var blobs = Blobs(ex.Image, Palette.Of(color));
                var expected = shapes.Where(x => (string)x!["color"]! == color).ToList();
                Assert.Equal(expected.Count, blobs.Count);
                // Each scene shape's centre lies near one blob's centroid.
                foreach (var shape in expected)
                    Assert.Contains(blobs, b => Math.Abs(b.X - (double)shape!["x"]!) < 3.5 && Math.Abs(b.Y - (double)shape["y"]!) < 3.5);
            }
        }
    }

    [Fact]
    public void BarChart_BarHeightsInPixelsMatchValues()
    {
        foreach (var ex in Examples.All.Where(e => e.Row.Task == "bar_chart"))
        {
            var s = ex.Row.Scene!;
            int baseline = (int)s["plot"]!["baseline"]!, unit = (int)s["plot"]!["unit"]!;
            var bars = s["bars"]!.AsArray();
            var geometry = s["plot"]!["bars"]!.AsArray();
            for (int i = 0; i < bars.Count; i++)
            {
                int x = ((int)geometry[i]!["x0"]! + (int)geometry[i]!["x1"]!) / 2;
                var c = Palette.Of((string)bars[i]!["color"]!);
                int h = 0;
                while (baseline - 1 - h >= 0 && ex.Image.Get(x, baseline - 1 - h) == c) h++;
                Assert.Equal((int)bars[i]!["value"]! * unit, h);
            }
        }
    }

    [Fact]
    public void Arithmetic_DrawnTextIsExactlyTheSceneNumbers()
    {
        foreach (var ex in Examples.All.Where(e => e.Row.Task == "arithmetic"))
        {
            var s = ex.Row.Scene!;
            var texts = (string)s["variant"]! == "expression"
                ? [((string)s["text"]!, (int)s["x"]!, (int)s["y"]!, (int)s["scale"]!, "black")]
                : s["numbers"]!.AsArray().Select(n => (((int)n!["value"]!).ToString(), (int)n["x"]!, (int)n["y"]!, (int)n["scale"]!, (string)n["color"]!)).ToList();
            int ink = 0;
            foreach (var (text, x0, y0, scale, color) in texts)
                for (int ci = 0; ci < text.Length; ci++)
                    for (int r = 0; r < 7; r++)
                        for (int col = 0; col < 5; col++)
                        {
                            if (!BitmapFont.Ink(text[ci], col, r)) continue;
                            ink += scale * scale;
                            Assert.Equal(Palette.Of(color), ex.Image.Get(x0 + (ci * BitmapFont.Advance + col) * scale, y0 + r * scale));
                        }
            int nonWhite = 0;
            for (int y = 0; y < ex.Image.Height; y++) for (int x = 0; x < ex.Image.Width; x++) if (ex.Image.Get(x, y) != Palette.White) nonWhite++;
            Assert.Equal(ink, nonWhite);   // nothing else is drawn
        }
    }

    /// <summary>8-connected components of exactly colour <paramref name="c"/>, with their centroids.</summary>
    internal static List<(double X, double Y, int Size)> Blobs(Canvas img, Rgb c)
    {
        var seen = new bool[img.Width * img.Height];
        var blobs = new List<(double, double, int)>();
        var stack = new Stack<int>();
        for (int start = 0; start < seen.Length; start++)
        {
            if (seen[start] || img.Get(start % img.Width, start / img.Width) != c) continue;
            double sx = 0, sy = 0; int n = 0;
            stack.Push(start); seen[start] = true;
            while (stack.Count > 0)
            {
                int p = stack.Pop(), px = p % img.Width, py = p / img.Width;
                sx += px + 0.5; sy += py + 0.5; n++;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int qx = px + dx, qy = py + dy;
                        if ((uint)qx >= (uint)img.Width || (uint)qy >= (uint)img.Height) continue;
                        int q = qy * img.Width + qx;
                        if (!seen[q] && img.Get(qx, qy) == c) { seen[q] = true; stack.Push(q); }
                    }
            }
            blobs.Add((sx / n, sy / n, n));
        }
        return blobs;
    }
}
