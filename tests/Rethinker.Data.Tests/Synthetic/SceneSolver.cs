// Independent recomputation of a synthetic example's answer from its scene description alone (never from
// the generator's reasoning): counts shapes, evaluates the drawn expression text, compares coordinates,
// and for geometry re-measures the drawn figure (angles from vertex coordinates, lengths in units).
using System.Globalization;
using System.Text.Json.Nodes;

namespace Rethinker.Data.Tests.Synthetic;

internal static class SceneSolver
{
    public static string Solve(JsonObject scene) => (string)scene["type"]! switch
    {
        "counting" => Counting(scene),
        "arithmetic" => Arithmetic(scene),
        "bar_chart" => BarChart(scene),
        "geometry" => Geometry(scene),
        "spatial" => Spatial(scene),
        var t => throw new InvalidOperationException($"unknown scene type {t}"),
    };

    static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    static string Counting(JsonObject s)
    {
        var shapes = s["shapes"]!.AsArray();
        var targets = s["targets"]!.AsArray();
        int Count(JsonNode t) => shapes.Count(x => (string)x!["kind"]! == (string)t["kind"]! && (string)x!["color"]! == (string)t["color"]!);
        return (string)s["mode"]! switch
        {
            "count" => I(Count(targets[0]!)),
            "total" => I(Count(targets[0]!) + Count(targets[1]!)),
            "difference" => I(Count(targets[0]!) - Count(targets[1]!)),
            var m => throw new InvalidOperationException(m),
        };
    }

    static string Arithmetic(JsonObject s)
    {
        if ((string)s["variant"]! == "expression")
        {
            // Parse the text as drawn ("12+7-5=?"), not the operand list.
            string text = (string)s["text"]!;
            Assert.EndsWith("=?", text);
            string expr = text[..^2];
            long acc = 0; char op = '+'; int i = 0;
            while (i < expr.Length)
            {
                int j = i;
                while (j < expr.Length && char.IsDigit(expr[j])) j++;
                long v = long.Parse(expr[i..j], CultureInfo.InvariantCulture);
                acc = op switch { '+' => acc + v, '-' => acc - v, '×' => acc * v, _ => throw new InvalidOperationException($"op {op}") };
                if (j < expr.Length) op = expr[j];
                i = j + 1;
            }
            Assert.False(expr.Contains('×') && (expr.Contains('+') || expr.Contains('-')), $"left-to-right evaluation assumes × is never mixed with + or -: {text}");
            return I(acc);
        }
        var nums = s["numbers"]!.AsArray().Select(n => (Value: (int)n!["value"]!, Color: (string)n!["color"]!)).ToList();
        return (string)s["query"]! switch
        {
            "sum" => I(nums.Sum(n => n.Value)),
            "range" => I(nums.Max(n => n.Value) - nums.Min(n => n.Value)),
            "colored" => I(nums.Where(n => n.Color == "blue").Sum(n => n.Value) - nums.Where(n => n.Color == "red").Sum(n => n.Value)),
            var q => throw new InvalidOperationException(q),
        };
    }

    static string BarChart(JsonObject s)
    {
        var bars = s["bars"]!.AsArray().Select(b => (Label: (string)b!["label"]!, Value: (int)b!["value"]!)).ToList();
        return (string)s["query"]! switch
        {
            "tallest" => bars.MaxBy(b => b.Value).Label,
            "shortest" => bars.MinBy(b => b.Value).Label,
            "difference" => I(Math.Abs(bars.Single(b => b.Label == (string)s["query_bars"]![0]!).Value - bars.Single(b => b.Label == (string)s["query_bars"]![1]!).Value)),
            "total" => I(bars.Sum(b => b.Value)),
            var q => throw new InvalidOperationException(q),
        };
    }

    static string Geometry(JsonObject s)
    {
        switch ((string)s["variant"]!)
        {
            case "square_perimeter": return I(4 * (int)s["sides"]!["width"]!);
            case "rect_perimeter": return I(2 * ((int)s["sides"]!["width"]! + (int)s["sides"]!["height"]!));
            case "rect_area": return I((int)s["sides"]!["width"]! * (int)s["sides"]!["height"]!);
            case "triangle_angle": return I(180 - s["angles"]!.AsArray().Sum(a => (int)a!));
            case "isosceles_base_angle": return I((180 - (int)s["apex_angle"]!) / 2);
            case "right_hypotenuse":
                var legs = s["legs"]!.AsArray().Select(l => (int)l!).ToArray();
                double c = Math.Sqrt(legs[0] * legs[0] + legs[1] * legs[1]);
                Assert.Equal(Math.Round(c), c);
                return I((long)c);
            default: throw new InvalidOperationException((string)s["variant"]!);
        }
    }

    /// <summary>Angle at vertex <paramref name="v"/> of the drawn triangle, in degrees.</summary>
    public static double AngleAt(JsonArray vertices, int v)
    {
        (double X, double Y) P(int i) => ((double)vertices[i]![0]!, (double)vertices[i]![1]!);
        var (a, b, c) = (P(v), P((v + 1) % 3), P((v + 2) % 3));
        double ux = b.X - a.X, uy = b.Y - a.Y, wx = c.X - a.X, wy = c.Y - a.Y;
        return Math.Acos((ux * wx + uy * wy) / Math.Sqrt((ux * ux + uy * uy) * (wx * wx + wy * wy))) * 180 / Math.PI;
    }

    static string Spatial(JsonObject s)
    {
        var shapes = s["shapes"]!.AsArray().Select(x => (Name: $"{(string)x!["color"]!} {(string)x["kind"]!}", Color: (string)x["color"]!, X: (double)x["x"]!, Y: (double)x["y"]!)).ToList();
        var q = s["query"]!.AsObject();
        bool Rel((string Name, string Color, double X, double Y) a, string rel, (string Name, string Color, double X, double Y) b) => rel switch
        {
            "to the left of" => a.X < b.X, "to the right of" => a.X > b.X, "above" => a.Y < b.Y, "below" => a.Y > b.Y,
            _ => throw new InvalidOperationException(rel),
        };
        if (q.ContainsKey("subject"))
            return Rel(shapes.Single(x => x.Name == (string)q["subject"]!), (string)q["relation"]!, shapes.Single(x => x.Name == (string)q["reference"]!)) ? "yes" : "no";
        if (q.ContainsKey("extreme"))
            return (string)q["extreme"]! switch
            {
                "leftmost" => shapes.MinBy(x => x.X).Color, "rightmost" => shapes.MaxBy(x => x.X).Color,
                "topmost" => shapes.MinBy(x => x.Y).Color, _ => shapes.MaxBy(x => x.Y).Color,
            };
        var reference = shapes.Single(x => x.Name == (string)q["reference"]!);
        return I(shapes.Count(x => x.Name != reference.Name && Rel(x, (string)q["relation"]!, reference)));
    }
}
