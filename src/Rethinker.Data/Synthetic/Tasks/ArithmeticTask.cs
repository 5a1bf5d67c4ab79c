// Arithmetic on numbers drawn in the image (ViRL39K's grade-school math with a figure, at toy scale):
// an expression to evaluate ("12+7=?"), or numbers scattered in colours to combine (sum; largest minus
// smallest; blue numbers added, red subtracted, green ignored). Difficulty: magnitude, operators, steps.
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;
using static Rethinker.Data.Synthetic.Tasks.SceneKit;

namespace Rethinker.Data.Synthetic.Tasks;

public sealed class ArithmeticTask : ITaskFamily
{
    public string Name => "arithmetic";
    public string Category => "arithmetic";

    static readonly string[] TextColors = ["red", "green", "blue", "purple", "orange", "black"];

    public TaskDraft Generate(SynthRng rng, int difficulty, int size)
        => rng.Chance(0.5) ? Expression(rng, difficulty, size) : Scattered(rng, difficulty, size);

    static TaskDraft Expression(SynthRng rng, int difficulty, int size)
    {
        int[] operands; string[] ops;
        switch (difficulty)
        {
            case 1: operands = [rng.Between(1, 9), rng.Between(1, 9)]; ops = ["+"]; break;
            case 2:
                if (rng.Chance(0.5)) { int a = rng.Between(10, 39); operands = [a, rng.Between(1, a - 1)]; ops = ["-"]; }
                else { operands = [rng.Between(2, 9), rng.Between(2, 9)]; ops = ["×"]; }
                break;
            default:
                {
                    // ≤ 9 glyphs fit 112 px (at scale 1) but a 56 px image has 8 character cells: keep a to one digit there
                    int a = rng.Between(2, size > 56 ? 20 : 9), b = rng.Between(2, 9);
                    operands = [a, b, rng.Between(1, a + b - 1)]; ops = ["+", "-"]; break;
                }
        }
        string drawn = Inv(operands[0]) + string.Concat(ops.Select((o, i) => o + Inv(operands[i + 1]))) + "=?";
        var canvas = new Canvas(size, size, Palette.White);
        int scale = FontScale(size);
        while (scale > 1 && BitmapFont.Measure(drawn, scale).Width > size - 4) scale--;
        var (w, h) = BitmapFont.Measure(drawn, scale);
        int x = (size - w) / 2 + rng.Between(-Math.Max(0, (size - w) / 2 - 2), Math.Max(0, (size - w) / 2 - 2));
        int y = rng.Between(4, size - h - 4);
        (x, y) = canvas.DrawText(drawn, x, y, scale, Palette.Black);
        var scene = new JsonObject
        {
            ["type"] = "arithmetic", ["variant"] = "expression", ["width"] = size, ["height"] = size, ["text"] = drawn,
            ["operands"] = new JsonArray(operands.Select(v => (JsonNode?)v).ToArray()),
            ["ops"] = new JsonArray(ops.Select(o => (JsonNode?)o).ToArray()),
            ["x"] = x, ["y"] = y, ["scale"] = scale,
        };
        // Left to right; the generator never mixes × with + or −, so this is also the precedence order.
        var steps = new List<string>(); var keys = new List<IReadOnlyList<string>>();
        int acc = operands[0];
        for (int i = 0; i < ops.Length; i++)
        {
            int next = Apply(acc, ops[i], operands[i + 1]);
            string eq = $"{Inv(acc)} {ops[i]} {Inv(operands[i + 1])} = {Inv(next)}";
            steps.Add(eq + "."); keys.Add([eq]);
            acc = next;
        }
        string pretty = string.Join(" ", Inv(operands[0]), string.Join(" ", ops.Select((o, i) => $"{o} {Inv(operands[i + 1])}")));
        string verification = Inverse(operands, ops, acc);
        var (slipSteps, slipValue) = Slip(rng, steps, operands, ops, acc);
        var reasoning = new Reasoning(
            "I need to read the expression in the image and evaluate it.",
            $"The image shows the expression {pretty} = ?.",
            steps, verification, slipSteps, Inv(slipValue), keys);
        return new TaskDraft("What is the value of the expression in the image?", Inv(acc), AnswerKind.Number,
            NumericDistractors(rng, acc), reasoning, scene, canvas);
    }

    static TaskDraft Scattered(SynthRng rng, int difficulty, int size)
    {
        var values = new List<(int Value, string Color)>();
        string query;
        switch (difficulty)
        {
            case 1: query = "sum"; for (int i = 0; i < 2; i++) values.Add((rng.Between(1, 9), rng.Pick(TextColors))); break;
            case 2:
                query = "range";
                foreach (int v in rng.Sample(20, 3)) values.Add((v + 1, rng.Pick(TextColors)));
                break;
            default:
                query = "colored";
                int b1 = rng.Between(2, 20), b2 = rng.Between(2, 20);
                values.Add((b1, "blue")); values.Add((b2, "blue")); values.Add((rng.Between(1, b1 + b2 - 1), "red")); values.Add((rng.Between(1, 20), "green"));
                break;
        }
        var canvas = new Canvas(size, size, Palette.White);
        // Numbers sit in a 3 × 3 layout of character-cell blocks with a blank cell between blocks, so two numbers
        // never touch and read as one (values have at most two digits).
        int scale = FontScale(size), grid = 3, cellPx = BitmapFont.Advance * scale;
        int stride = Math.Max(3, size / cellPx / grid);
        var cells = rng.Sample(grid * grid, values.Count);
        var placed = new JsonArray();
        for (int i = 0; i < values.Count; i++)
        {
            string text = Inv(values[i].Value);
            int col = cells[i] % grid * stride + rng.Between(0, Math.Max(0, stride - 1 - text.Length));
            int row = cells[i] / grid * stride + rng.Between(0, stride - 2);
            int x = col * cellPx + BitmapFont.LeftMargin * scale, y = row * cellPx;
            (x, y) = canvas.DrawText(text, x, y, scale, Palette.Of(values[i].Color));
            placed.Add(new JsonObject { ["value"] = values[i].Value, ["color"] = values[i].Color, ["x"] = x, ["y"] = y, ["scale"] = scale });
        }
        var scene = new JsonObject
        {
            ["type"] = "arithmetic", ["variant"] = "scattered", ["query"] = query, ["width"] = size, ["height"] = size, ["numbers"] = placed,
        };
        var nums = values.Select(v => v.Value).ToArray();
        string numList = CountingTask.Join(nums.Select(Inv).ToList());
        List<string> steps; List<IReadOnlyList<string>> keys; string verification, question, caption, summary; int value;
        switch (query)
        {
            case "sum":
                value = nums[0] + nums[1];
                question = "What is the sum of the numbers in the image?";
                summary = "I need to read the two numbers and add them.";
                caption = $"The image shows the numbers {numList}.";
                steps = [$"{Inv(nums[0])} + {Inv(nums[1])} = {Inv(value)}."];
                keys = [[$"{Inv(nums[0])} + {Inv(nums[1])} = {Inv(value)}", $"{Inv(nums[1])} + {Inv(nums[0])} = {Inv(value)}"]];
                verification = $"{Inv(value)} - {Inv(nums[0])} = {Inv(nums[1])}, which is the other number.";
                break;
            case "range":
                int max = nums.Max(), min = nums.Min(), mid = nums.Single(n => n != max && n != min);
                value = max - min;
                question = "What is the largest number in the image minus the smallest number?";
                summary = "I need to find the largest and the smallest number and subtract.";
                caption = $"The image shows the numbers {numList}.";
                steps = [$"The largest number is {Inv(max)} and the smallest is {Inv(min)}.", $"{Inv(max)} - {Inv(min)} = {Inv(value)}."];
                keys = [[$"largest number is {Inv(max)}", $"{Inv(max)} is the largest"], [$"smallest is {Inv(min)}", $"{Inv(min)} is the smallest"], [$"{Inv(max)} - {Inv(min)} = {Inv(value)}"]];
                verification = $"{Inv(mid)} lies between {Inv(min)} and {Inv(max)}, so those are the extremes, and {Inv(min)} + {Inv(value)} = {Inv(max)}.";
                break;
            default:
                int sumBlue = nums[0] + nums[1];
                value = sumBlue - nums[2];
                question = "Add the blue numbers and subtract the red number. Ignore the green number. What is the result?";
                summary = "I need to add the blue numbers, subtract the red number and ignore the green one.";
                caption = $"The image shows the blue numbers {Inv(nums[0])} and {Inv(nums[1])}, the red number {Inv(nums[2])} and the green number {Inv(nums[3])}.";
                steps = [$"The blue numbers: {Inv(nums[0])} + {Inv(nums[1])} = {Inv(sumBlue)}.", $"Subtract the red number: {Inv(sumBlue)} - {Inv(nums[2])} = {Inv(value)}."];
                keys = [[$"{Inv(nums[0])} + {Inv(nums[1])} = {Inv(sumBlue)}"], [$"{Inv(sumBlue)} - {Inv(nums[2])} = {Inv(value)}"]];
                verification = $"{Inv(value)} + {Inv(nums[2])} = {Inv(sumBlue)} and {Inv(sumBlue)} - {Inv(nums[1])} = {Inv(nums[0])}, the first blue number; the green {Inv(nums[3])} is not used.";
                break;
        }
        int wrong = value + (rng.Chance(0.5) || value == 0 ? 1 : -1);
        var slipSteps = steps.Take(steps.Count - 1).Append(steps[^1].Replace($"= {Inv(value)}.", $"= {Inv(wrong)}.")).ToList();
        var reasoning = new Reasoning(summary, caption, steps, verification, slipSteps, Inv(wrong), keys);
        return new TaskDraft(question, Inv(value), AnswerKind.Number, NumericDistractors(rng, value), reasoning, scene, canvas);
    }

    internal static int Apply(int a, string op, int b) => op switch
    {
        "+" => a + b, "-" => a - b, "×" => a * b,
        _ => throw new InvalidOperationException($"unknown operator '{op}'"),
    };

    /// <summary>Undo the operations from the result back to the first operand.</summary>
    static string Inverse(int[] operands, string[] ops, int result)
    {
        var parts = new List<string>();
        int acc = result;
        for (int i = ops.Length - 1; i >= 0; i--)
        {
            int b = operands[i + 1];
            int back = ops[i] switch { "+" => acc - b, "-" => acc + b, _ => acc / b };
            string inv = ops[i] switch { "+" => "-", "-" => "+", _ => "/" };
            parts.Add($"{Inv(acc)} {inv} {Inv(b)} = {Inv(back)}");
            acc = back;
        }
        return string.Join(" and ", parts) + $", which gives back {Inv(operands[0])}.";
    }

    /// <summary>The last operation done one off (a carry or borrow slip); earlier steps stay right.</summary>
    static (List<string> Steps, int Value) Slip(SynthRng rng, List<string> steps, int[] operands, string[] ops, int result)
    {
        int wrong = result + (rng.Chance(0.5) || result == 0 ? 1 : -1);
        var slip = steps.Take(steps.Count - 1).ToList();
        slip.Add(steps[^1].Replace($"= {Inv(result)}.", $"= {Inv(wrong)}."));
        return (slip, wrong);
    }
}
