// Spatial relations (ViRL39K's spatial / visual-relation questions at toy scale). Objects sit in distinct
// rows and columns of a grid, so every left/right/above/below relation is unambiguous. Easy: is A left of
// B (yes/no); medium: colour of the leftmost/topmost... shape; hard: how many shapes are left of B.
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;
using static Rethinker.Data.Synthetic.Tasks.SceneKit;

namespace Rethinker.Data.Synthetic.Tasks;

public sealed class SpatialTask : ITaskFamily
{
    public string Name => "spatial";
    public string Category => "spatial";

    static readonly string[] Relations = ["to the left of", "to the right of", "above", "below"];

    /// <summary>True when <paramref name="a"/> stands in <paramref name="relation"/> to <paramref name="b"/> (image y grows downward).</summary>
    internal static bool Holds(ShapeObject a, string relation, ShapeObject b) => relation switch
    {
        "to the left of" => a.X < b.X, "to the right of" => a.X > b.X, "above" => a.Y < b.Y, "below" => a.Y > b.Y,
        _ => throw new ArgumentException($"unknown relation '{relation}'"),
    };

    static string Opposite(string relation) => relation switch { "to the left of" => "to the right of", "to the right of" => "to the left of", "above" => "below", _ => "above" };

    public TaskDraft Generate(SynthRng rng, int difficulty, int size)
    {
        int n = difficulty switch { 1 => 2, 2 => rng.Between(3, 4), _ => rng.Between(4, 6) };
        int grid = Math.Max(n, 3);
        double cell = (double)size / grid;
        var rows = rng.Sample(grid, n); var cols = rng.Sample(grid, n);
        var colors = rng.Sample(Palette.ShapeColors.Count, n);
        var shapes = new List<ShapeObject>(n);
        for (int i = 0; i < n; i++)
        {
            double r = cell * (0.26 + 0.08 * rng.NextDouble()), slack = Math.Max(0, cell / 2 - r - 1);
            double x = (cols[i] + 0.5) * cell + (rng.NextDouble() * 2 - 1) * slack, y = (rows[i] + 0.5) * cell + (rng.NextDouble() * 2 - 1) * slack;
            shapes.Add(new ShapeObject(rng.Pick(ShapeObject.Kinds), Palette.ShapeColors[colors[i]], x, y, r));
        }
        var canvas = new Canvas(size, size, Palette.White);
        foreach (var s in shapes) s.Draw(canvas);
        var scene = new JsonObject
        {
            ["type"] = "spatial", ["width"] = size, ["height"] = size,
            ["shapes"] = ToJsonArray(shapes.Select(s => (JsonNode?)s.ToJson())),
        };
        string caption = $"The image shows {Word(n)} shapes: " + CountingTask.Join(shapes.Select(s => $"a {s.Name} at {Where(s.X, s.Y, size)}").ToList()) + ".";
        return difficulty switch
        {
            1 => IsRelation(rng, shapes, scene, canvas, caption),
            2 => Extreme(rng, shapes, scene, canvas, caption),
            _ => CountRelation(rng, shapes, scene, canvas, caption),
        };
    }

    static TaskDraft IsRelation(SynthRng rng, List<ShapeObject> shapes, JsonObject scene, Canvas canvas, string caption)
    {
        var (a, b) = (shapes[0], shapes[1]);
        string relation = rng.Pick(Relations);
        bool holds = Holds(a, relation, b);
        string axis = relation is "to the left of" or "to the right of" ? "horizontal" : "vertical";
        string actual = axis == "horizontal" ? (a.X < b.X ? "to the left of" : "to the right of") : (a.Y < b.Y ? "above" : "below");
        string yes = holds ? "yes" : "no", no = holds ? "no" : "yes";
        scene["query"] = new JsonObject { ["subject"] = a.Name, ["relation"] = relation, ["reference"] = b.Name };
        var steps = new List<string>
        {
            $"I compare the {axis} positions of the {a.Name} and the {b.Name}.",
            $"The {a.Name} is {actual} the {b.Name}.",
            $"So the {a.Name} is {(holds ? "" : "not ")}{relation} the {b.Name}: {yes}.",
        };
        var slip = new List<string> { steps[0], $"The {a.Name} is {Opposite(actual)} the {b.Name}.", $"So the {a.Name} is {(holds ? "not " : "")}{relation} the {b.Name}: {no}." };
        string verification = $"from the {b.Name}'s side, the {b.Name} is {Opposite(actual)} the {a.Name}, so the {a.Name} is {actual} it, and the answer to \"{relation}\" is {yes}.";
        var reasoning = new Reasoning($"I need to find the {a.Name} and the {b.Name} and compare their positions.", caption, steps, verification, slip, no,
            [[$"{a.Name} is {actual} the {b.Name}", $"{b.Name} is {Opposite(actual)} the {a.Name}"]]);
        return new TaskDraft($"Is the {a.Name} {relation} the {b.Name}?", yes, AnswerKind.YesNo, [no], reasoning, scene, canvas);
    }

    static TaskDraft Extreme(SynthRng rng, List<ShapeObject> shapes, JsonObject scene, Canvas canvas, string caption)
    {
        var (extreme, order) = rng.Next(4) switch
        {
            0 => ("leftmost", shapes.OrderBy(s => s.X).ToList()),
            1 => ("rightmost", shapes.OrderByDescending(s => s.X).ToList()),
            2 => ("topmost", shapes.OrderBy(s => s.Y).ToList()),
            _ => ("bottommost", shapes.OrderByDescending(s => s.Y).ToList()),
        };
        string direction = extreme switch { "leftmost" => "from left to right", "rightmost" => "from right to left", "topmost" => "from top to bottom", _ => "from bottom to top" };
        string reverse = extreme switch { "leftmost" => "from right to left", "rightmost" => "from left to right", "topmost" => "from bottom to top", _ => "from top to bottom" };
        scene["query"] = new JsonObject { ["extreme"] = extreme };
        string list = string.Join(", ", order.Select(s => s.Name));
        var steps = new List<string> { $"Ordering the shapes {direction}: {list}.", $"The {extreme} shape is the {order[0].Name}, which is {order[0].Color}." };
        var slip = new List<string> { steps[0], $"The {extreme} shape is the {order[1].Name}, which is {order[1].Color}." };
        string verification = $"reading {reverse} instead: {string.Join(", ", Enumerable.Reverse(order).Select(s => s.Name))}; the last one is the {order[0].Name}, so the color is {order[0].Color}.";
        var distractors = order.Skip(1).Select(s => s.Color).ToList();
        foreach (var c in Palette.ShapeColors) if (distractors.Count < 3 && c != order[0].Color && !distractors.Contains(c)) distractors.Add(c);
        var reasoning = new Reasoning($"I need to order the shapes {direction} and take the first one's color.", caption, steps, verification, slip, order[1].Color,
            [[$"{extreme} shape is the {order[0].Name}"], [$"which is {order[0].Color}", $"color is {order[0].Color}"]]);
        return new TaskDraft($"What color is the {extreme} shape?", order[0].Color, AnswerKind.Text, distractors, reasoning, scene, canvas);
    }

    static TaskDraft CountRelation(SynthRng rng, List<ShapeObject> shapes, JsonObject scene, Canvas canvas, string caption)
    {
        var reference = rng.Pick(shapes);
        string relation = rng.Pick(Relations);
        scene["query"] = new JsonObject { ["relation"] = relation, ["reference"] = reference.Name };
        var others = shapes.Where(s => s != reference).ToList();
        var matching = others.Where(s => Holds(s, relation, reference)).ToList();
        int count = matching.Count, rest = others.Count - count;
        var steps = others.Select(s => $"The {s.Name} is {(Holds(s, relation, reference) ? relation : Opposite(relation))} the {reference.Name}.").ToList();
        steps.Add(count == 0 ? $"No shape is {relation} the {reference.Name}, so the count is 0." : $"The shapes {relation} the {reference.Name} are the {CountingTask.Join(matching.Select(s => s.Name).ToList())}: {Inv(count)} in all.");
        int wrong = count + (count == 0 || rng.Chance(0.5) ? 1 : -1);
        var slip = steps.Take(steps.Count - 1).Append($"Counting the shapes {relation} the {reference.Name}, I get {Inv(wrong)}.").ToList();
        string verification = $"there are {Inv(others.Count)} other shapes, {Inv(rest)} of them {Opposite(relation)} the {reference.Name}, and {Inv(others.Count)} - {Inv(rest)} = {Inv(count)}.";
        var keys = new List<IReadOnlyList<string>> { new[] { $": {Inv(count)} in all", $"count is {Inv(count)}" } };
        keys.AddRange(matching.Select(s => (IReadOnlyList<string>)new[] { $"{s.Name} is {relation} the {reference.Name}" }));
        var reasoning = new Reasoning($"I need to check each shape against the {reference.Name} and count those {relation} it.", caption, steps, verification, slip, Inv(wrong), keys);
        return new TaskDraft($"How many shapes are {relation} the {reference.Name}?", Inv(count), AnswerKind.Number, NumericDistractors(rng, count), reasoning, scene, canvas);
    }
}
