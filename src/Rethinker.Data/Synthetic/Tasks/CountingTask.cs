// Counting (ViRL39K's counting / "how many" questions at toy scale): coloured circles, squares and
// triangles; count one kind-and-colour, the total of two, or how many more of one than another.
// Difficulty: number of objects, distractors sharing colour or kind, and reasoning steps (1 → 2).
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;
using static Rethinker.Data.Synthetic.Tasks.SceneKit;

namespace Rethinker.Data.Synthetic.Tasks;

public sealed class CountingTask : ITaskFamily
{
    public string Name => "counting";
    public string Category => "counting";

    public TaskDraft Generate(SynthRng rng, int difficulty, int size)
    {
        int grid = Math.Max(2, size / 28), cells = grid * grid;
        string mode = difficulty == 3 ? (rng.Chance(0.5) ? "total" : "difference") : "count";
        var types = AllTypes();
        rng.Shuffle(types);
        var t1 = types[0];
        // The second target shares colour or kind with the first at higher difficulty, so attention must bind both.
        var t2 = types.First(t => t != t1 && (difficulty < 2 || t.Color == t1.Color || t.Kind == t1.Kind));
        int total = Math.Min(cells, difficulty switch { 1 => rng.Between(2, 4), 2 => rng.Between(4, 7), _ => rng.Between(6, 10) });
        int k1, k2 = 0;
        if (mode == "count") k1 = rng.Between(1, Math.Min(total, difficulty == 1 ? 3 : 5));
        else
        {
            int cap = Math.Max(2, Math.Min(4, total - 1));
            k1 = rng.Between(mode == "difference" ? 2 : 1, cap);
            k2 = rng.Between(1, Math.Min(total - k1, mode == "difference" ? k1 - 1 : cap));
        }
        var kinds = new List<(string Kind, string Color)>();
        for (int i = 0; i < k1; i++) kinds.Add(t1);
        for (int i = 0; i < k2; i++) kinds.Add(t2);
        // Distractors: at medium+ prefer near misses (same colour other kind, same kind other colour).
        var others = types.Where(t => t != t1 && (mode == "count" || t != t2)).ToList();
        var near = others.Where(t => t.Color == t1.Color || t.Kind == t1.Kind).ToList();
        while (kinds.Count < total)
            kinds.Add(difficulty >= 2 && near.Count > 0 && rng.Chance(0.6) ? rng.Pick(near) : rng.Pick(others));
        rng.Shuffle(kinds);

        var spots = PlaceInGrid(rng, size, grid, kinds.Count, 0.26, 0.36);
        var shapes = kinds.Select((t, i) => new ShapeObject(t.Kind, t.Color, spots[i].X, spots[i].Y, spots[i].Radius)).ToList();
        var canvas = new Canvas(size, size, Palette.White);
        foreach (var s in shapes) s.Draw(canvas);

        var scene = new JsonObject
        {
            ["type"] = "counting", ["width"] = size, ["height"] = size, ["mode"] = mode,
            ["shapes"] = ToJsonArray(shapes.Select(s => (JsonNode?)s.ToJson())),
            ["targets"] = ToJsonArray(new[] { t1, t2 }.Take(mode == "count" ? 1 : 2)
                .Select(t => (JsonNode?)new JsonObject { ["kind"] = t.Kind, ["color"] = t.Color })),
        };
        int value = mode switch { "count" => k1, "total" => k1 + k2, _ => k1 - k2 };
        string q = mode switch
        {
            "count" => $"How many {t1.Color} {Plural(t1.Kind, 2)} are there in the image?",
            "total" => $"How many {t1.Color} {Plural(t1.Kind, 2)} and {t2.Color} {Plural(t2.Kind, 2)} are there in total?",
            _ => $"How many more {t1.Color} {Plural(t1.Kind, 2)} than {t2.Color} {Plural(t2.Kind, 2)} are there?",
        };
        var reasoning = Reason(rng, shapes, mode, t1, t2, k1, k2, value, size);
        return new TaskDraft(q, Inv(value), AnswerKind.Number, NumericDistractors(rng, value), reasoning, scene, canvas);
    }

    static List<(string Kind, string Color)> AllTypes()
        => ShapeObject.Kinds.SelectMany(k => Palette.ShapeColors.Select(c => (k, c))).ToList();

    static Reasoning Reason(SynthRng rng, List<ShapeObject> shapes, string mode, (string Kind, string Color) t1, (string Kind, string Color) t2,
        int k1, int k2, int value, int size)
    {
        var groups = shapes.GroupBy(s => (s.Kind, s.Color)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Color).ThenBy(g => g.Key.Kind).ToList();
        string caption = $"The image shows {Inv(shapes.Count)} {Plural("shape", shapes.Count)}: "
            + Join(groups.Select(g => CountPhrase(g.Count(), g.Key.Color, g.Key.Kind)).ToList()) + ".";
        string Locate((string Kind, string Color) t, int k)
        {
            var where = shapes.Where(s => s.Kind == t.Kind && s.Color == t.Color).Select(s => Where(s.X, s.Y, size)).ToList();
            string list = Join(where.Select(w => $"one at {w}").ToList());
            return $"Looking for {t.Color} {Plural(t.Kind, 2)}: {list}. That makes {CountPhrase(k, t.Color, t.Kind)}.";
        }
        var steps = new List<string> { Locate(t1, k1) };
        var keys = new List<IReadOnlyList<string>> { new[] { CountPhrase(k1, t1.Color, t1.Kind), WordCountPhrase(k1, t1.Color, t1.Kind) } };
        if (mode != "count")
        {
            steps.Add(Locate(t2, k2));
            keys.Add(new[] { CountPhrase(k2, t2.Color, t2.Kind), WordCountPhrase(k2, t2.Color, t2.Kind) });
            string arith = mode == "total" ? $"{Inv(k1)} + {Inv(k2)} = {Inv(value)}" : $"{Inv(k1)} - {Inv(k2)} = {Inv(value)}";
            steps.Add(arith + ".");
            keys.Add(new[] { arith, $"{Inv(value)} in {(mode == "total" ? "total" : "difference")}" });
        }

        // Verification by the complement: everything that is not a target, subtracted from the total.
        var targetSet = mode == "count" ? new[] { t1 } : new[] { t1, t2 };
        var rest = groups.Where(g => !targetSet.Contains(g.Key)).ToList();
        int restCount = rest.Sum(g => g.Count());
        string restText = rest.Count == 0 ? "no other shapes" : Join(rest.Select(g => CountPhrase(g.Count(), g.Key.Color, g.Key.Kind)).ToList());
        string verification = mode switch
        {
            "count" => $"there are {Inv(shapes.Count)} shapes in all, and the others are {restText}, {Inv(restCount)} in all; {Inv(shapes.Count)} - {Inv(restCount)} = {Inv(k1)}.",
            "total" => $"there are {Inv(shapes.Count)} shapes in all, and the others are {restText}, {Inv(restCount)} in all; {Inv(shapes.Count)} - {Inv(restCount)} = {Inv(value)}.",
            _ => $"adding back, {Inv(k2)} + {Inv(value)} = {Inv(k1)}, which is the number of {t1.Color} {Plural(t1.Kind, 2)}, and there are {Inv(k1 + k2)} {t1.Color} {Plural(t1.Kind, 2)} and {t2.Color} {Plural(t2.Kind, 2)} together, as counted.",
        };

        // The slip: a miscount of the first target by one (a plausible perception error) carried through.
        int wrongK1 = k1 + (rng.Chance(0.5) || (mode == "difference" && k1 - 1 <= k2) || k1 == 1 ? 1 : -1);
        var slip = new List<string> { Locate(t1, k1).Replace($"That makes {CountPhrase(k1, t1.Color, t1.Kind)}.", $"That makes {CountPhrase(wrongK1, t1.Color, t1.Kind)}.") };
        int wrongValue = mode switch { "count" => wrongK1, "total" => wrongK1 + k2, _ => wrongK1 - k2 };
        if (mode != "count")
        {
            slip.Add(steps[1]);
            slip.Add((mode == "total" ? $"{Inv(wrongK1)} + {Inv(k2)} = {Inv(wrongValue)}" : $"{Inv(wrongK1)} - {Inv(k2)} = {Inv(wrongValue)}") + ".");
        }
        string summary = mode switch
        {
            "count" => $"I need to count the {t1.Color} {Plural(t1.Kind, 2)} in the image.",
            "total" => $"I need to count the {t1.Color} {Plural(t1.Kind, 2)} and the {t2.Color} {Plural(t2.Kind, 2)}, then add the counts.",
            _ => $"I need to count the {t1.Color} {Plural(t1.Kind, 2)} and the {t2.Color} {Plural(t2.Kind, 2)}, then subtract.",
        };
        return new Reasoning(summary, caption, steps, verification, slip, Inv(wrongValue), keys);
    }

    internal static string Join(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "",
        1 => parts[0],
        _ => string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1],
    };
}
