// Bench suite `verifier` (DESIGN.md §9, issue 6): answer verifications per second on typical ~500-token responses
// (≈2,300 characters of step-by-step reasoning, then a final answer in one of the common styles: boxed number,
// LaTeX fraction or root, option letter, <answer> tag, "the answer is", Chinese marker, interval), single-threaded
// and with the batch API on --threads cores. Target: ≥ 5,000/s on 2 cores. Median of 5 repetitions after warm-up.
using System.Diagnostics;
using System.Text;
using Rethinker.Rewards.Batch;
using Rethinker.Rewards.Verification;

namespace Rethinker.Bench.Suites;

public sealed class VerifierSuite : IBenchSuite
{
    public string Name => "verifier";

    const double Target = 5000;

    public void Run(BenchReport report)
    {
        var inputs = Corpus(4000, seed: 7);
        double avgChars = inputs.Average(i => i.Response.Length);
        var p = new Dictionary<string, object> { ["responses"] = inputs.Count, ["avg_chars"] = Math.Round(avgChars), ["approx_tokens"] = Math.Round(avgChars / 4.5) };
        BatchScoring.Verify(inputs, maxThreads: report.Options.Threads); // warm-up: JIT tiers, regex automata
        BatchScoring.Verify(inputs, maxThreads: 1);
        report.Add("verify_single_thread", p, 1, Median(() => BatchScoring.Verify(inputs, maxThreads: 1), inputs.Count), "verifications/s", reference: Target / 2, referenceName: "target/2");
        int t = report.Options.Threads;
        report.Add("verify_batch", p, t, Median(() => BatchScoring.Verify(inputs, maxThreads: t), inputs.Count), "verifications/s", reference: Target, referenceName: "target");
    }

    static double Median(Action run, int n)
    {
        var rates = new double[5];
        for (int i = 0; i < rates.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            rates[i] = n / sw.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return rates[rates.Length / 2];
    }

    static readonly string[] Sentences =
    [
        "Looking at the figure, triangle ABC has a right angle at C with legs AC = 6 and BC = 8.",
        "By the Pythagorean theorem, AB = \\sqrt{6^2 + 8^2} = \\sqrt{100} = 10.",
        "The area of the triangle is \\frac{1}{2} \\cdot 6 \\cdot 8 = 24, so the altitude to AB is 2 \\cdot 24 / 10 = 4.8.",
        "From the bar chart, the values for the four years are approximately 42, 57, 38 and 63.",
        "Reading the gridlines again (each gridline is 5 units), the largest bar is 63 and the smallest is 38.",
        "Let me double check the scale on the y-axis before computing the difference.",
        "**Step 2: Set up the equations.** The distance from O to the chord is \\sqrt{10^2 - 8^2} = 6.",
        "Since the lines a and b are parallel, the alternate interior angles are equal, so angle 2 = 180^\\circ - 115^\\circ = 65^\\circ.",
        "We substitute x = 2 into f(x) = x^2 - 2x - 3 and obtain f(2) = -3, which matches the picture.",
        "Checking the options one by one: (A) is too small, (B) ignores the scale, and (D) double counts the last bar.",
        "The object starts from rest and accelerates uniformly; the slope of the velocity-time graph is 3 m/s^2.",
        "Therefore the displacement, the area under the graph, is \\frac{1}{2} \\cdot 4 \\cdot 12 = 24 m.",
    ];

    static readonly (string answer, string gold, string[]? choices, string? type)[] Finals =
    [
        ("The answer is $\\boxed{24}$.", "24", null, "integer"),
        ("Therefore, the answer is $\\boxed{\\frac{12}{5}}$.", "2.4", null, "float"),
        ("**Final Answer**\n\\[\n\\boxed{2\\sqrt{3}}\n\\]", "\\sqrt{12}", null, "expression"),
        ("The answer is (C).", "C", ["30°", "45°", "60°", "90°"], "multiple_choice"),
        ("<answer>25</answer>", "25", null, "integer"),
        ("故答案为：$\\boxed{1,000}$", "1000", null, "integer"),
        ("Final Answer: The final answer is $[1, 3)$. I hope it is correct.", "[1,3)", null, "interval"),
        ("Answer: B", "C", ["12", "18", "27", "54"], "multiple_choice"),
        ("So the final result is $y = 2x + 1$.", "y=2x+1", null, "expression"),
        ("The answer is 3 or 4.", "4", null, "integer"),
    ];

    public static List<VerifyInput> Corpus(int n, int seed)
    {
        var rng = new Random(seed);
        var list = new List<VerifyInput>(n);
        for (int i = 0; i < n; i++)
        {
            var sb = new StringBuilder(2600);
            while (sb.Length < 2200) sb.Append(Sentences[rng.Next(Sentences.Length)]).Append(rng.Next(4) == 0 ? "\n\n" : " ");
            var f = Finals[rng.Next(Finals.Length)];
            sb.Append("\n\n").Append(f.answer);
            list.Add(new VerifyInput(sb.ToString(), f.gold, f.choices, f.type));
        }
        return list;
    }
}
