// Helpers shared by the task families: shape objects, grid placement without overlap, English words
// for counts and positions, and numeric distractors for multiple choice.
using System.Globalization;
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;

namespace Rethinker.Data.Synthetic.Tasks;

/// <summary>A filled shape centred at (X, Y) with "radius" Size: circle radius, half the square's side, triangle circumradius.</summary>
public sealed record ShapeObject(string Kind, string Color, double X, double Y, double Size)
{
    public static readonly IReadOnlyList<string> Kinds = ["circle", "square", "triangle"];

    public string Name => $"{Color} {Kind}";

    public void Draw(Canvas canvas)
    {
        var c = Palette.Of(Color);
        switch (Kind)
        {
            case "circle": canvas.FillCircle(X, Y, Size, c); break;
            case "square":
                double h = Size * 0.85;
                canvas.FillRect((int)Math.Round(X - h), (int)Math.Round(Y - h), (int)Math.Round(X + h), (int)Math.Round(Y + h), c);
                break;
            case "triangle":
                canvas.FillTriangle(X, Y - Size, X - Size * 0.95, Y + Size * 0.75, X + Size * 0.95, Y + Size * 0.75, c);
                break;
            default: throw new InvalidOperationException($"unknown shape kind '{Kind}'");
        }
    }

    public JsonObject ToJson() => new()
    {
        ["kind"] = Kind, ["color"] = Color, ["x"] = Math.Round(X, 2), ["y"] = Math.Round(Y, 2), ["size"] = Math.Round(Size, 2),
    };
}

public static class SceneKit
{
    static readonly string[] NumberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    public static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Word(int n) => n >= 0 && n < NumberWords.Length ? NumberWords[n] : Inv(n);

    public static string Plural(string noun, int n) => n == 1 ? noun : noun + "s";

    /// <summary>"3 red triangles" / "1 red triangle".</summary>
    public static string CountPhrase(int n, string color, string kind) => $"{Inv(n)} {color} {Plural(kind, n)}";

    public static string WordCountPhrase(int n, string color, string kind) => $"{Word(n)} {color} {Plural(kind, n)}";

    /// <summary>Coarse 3×3 position word of a point, as a person would describe it.</summary>
    public static string Where(double x, double y, int size)
    {
        int col = Math.Clamp((int)(x * 3 / size), 0, 2), row = Math.Clamp((int)(y * 3 / size), 0, 2);
        string[] rows = ["top", "middle", "bottom"], cols = ["left", "center", "right"];
        if (row == 1 && col == 1) return "the center";
        if (row == 1) return $"the middle {cols[col]}";
        if (col == 1) return $"the {rows[row]} center";
        return $"the {rows[row]}-{cols[col]}";
    }

    /// <summary>k object centres in distinct cells of a g×g grid (g = size / cell), jittered within the cell.</summary>
    public static List<(double X, double Y, double Radius)> PlaceInGrid(SynthRng rng, int size, int grid, int k, double minFrac, double maxFrac)
    {
        double cell = (double)size / grid;
        var cells = rng.Sample(grid * grid, k);
        var result = new List<(double, double, double)>(k);
        foreach (int idx in cells)
        {
            double r = cell * (minFrac + (maxFrac - minFrac) * rng.NextDouble());
            double slack = cell / 2 - r - 1;
            double cx = (idx % grid + 0.5) * cell + (rng.NextDouble() * 2 - 1) * Math.Max(0, slack);
            double cy = (idx / grid + 0.5) * cell + (rng.NextDouble() * 2 - 1) * Math.Max(0, slack);
            result.Add((cx, cy, r));
        }
        return result;
    }

    /// <summary>Three distinct non-negative integers near <paramref name="gold"/>, for multiple choice.</summary>
    public static List<string> NumericDistractors(SynthRng rng, int gold)
    {
        var set = new HashSet<int> { gold };
        var result = new List<string>(3);
        int[] offsets = [1, -1, 2, -2, 3, -3, 4, 5, -4, 10, -10, 6];
        var order = offsets.ToArray();
        rng.Shuffle(order);
        foreach (int d in order.OrderBy(o => Math.Abs(o) > 3 ? 1 : 0))
        {
            int v = gold + d;
            if (v < 0 || !set.Add(v)) continue;
            result.Add(Inv(v));
            if (result.Count == 3) break;
        }
        return result;
    }

    /// <summary>Font scale for numbers and labels on a size×size canvas (2 at 112 px, 1 at 56 px).</summary>
    public static int FontScale(int size) => Math.Max(1, size / 56);

    public static JsonArray ToJsonArray(IEnumerable<JsonNode?> nodes) => new(nodes.ToArray());
}
