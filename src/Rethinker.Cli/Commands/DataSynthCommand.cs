// `rethinker data synth`: writes the synthetic visual-reasoning dataset (Rethinker.Data.Synthetic):
// train.jsonl, heldout.jsonl, images/, corpus.jsonl (tokenizer training text) and manifest.json under --out.
using System.CommandLine;
using System.Diagnostics;
using Rethinker.Data.Synthetic;

namespace Rethinker.Cli.Commands;

public sealed class DataSynthCommand : ICliCommand
{
    public string? Parent => "data";

    public Command Build()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder (created if missing).", Required = true };
        var n = new Option<int>("--n") { Description = "Number of training examples.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed gives the same files.", DefaultValueFactory = _ => 0 };
        var tasks = new Option<string>("--tasks") { Description = $"Comma-separated task families: {string.Join(", ", SyntheticGenerator.Families.Select(f => f.Name))} (default: all)." };
        var difficulty = new Option<string>("--difficulty") { Description = "Comma-separated levels: 1|easy, 2|medium, 3|hard, or 'all' (default).", DefaultValueFactory = _ => "all" };
        var heldOut = new Option<int>("--heldout") { Description = "Number of held-out examples (never duplicating a training one).", DefaultValueFactory = _ => 200 };
        var size = new Option<int>("--image-size") { Description = "Image side in pixels, a multiple of 28 in [56, 224].", DefaultValueFactory = _ => 112 };
        var choice = new Option<double>("--choice-share") { Description = "Share of multiple-choice questions.", DefaultValueFactory = _ => 0.3 };
        var check = new Option<double>("--self-check") { Description = "Share of traces with a 'Wait, let me verify: …' re-derivation.", DefaultValueFactory = _ => 0.25 };
        var correct = new Option<double>("--self-correct") { Description = "Share of traces with a slip caught and corrected after 'Wait, …'.", DefaultValueFactory = _ => 0.1 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("synth",
            "Generate synthetic visual reasoning tasks (counting, arithmetic, bar charts, geometry, spatial relations) with images, gold answers and reasoning traces.\n\n"
            + "Example:\n  rethinker data synth --out data/synth --n 2000 --seed 1 --heldout 300 --tasks counting,bar_chart --difficulty easy,medium");
        foreach (var o in new Option[] { outDir, n, seed, tasks, difficulty, heldOut, size, choice, check, correct, threads }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            SynthOptions options;
            try
            {
                options = new SynthOptions
                {
                    Count = p.GetValue(n), HeldOut = p.GetValue(heldOut), Seed = p.GetValue(seed),
                    Tasks = p.GetValue(tasks) is { } t ? SplitList(t) : SyntheticGenerator.Families.Select(f => f.Name).ToList(),
                    Difficulties = ParseDifficulties(p.GetValue(difficulty) ?? "all"), ImageSize = p.GetValue(size),
                    ChoiceShare = p.GetValue(choice), SelfCheckShare = p.GetValue(check), SelfCorrectShare = p.GetValue(correct), Threads = p.GetValue(threads),
                };
                options.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            var sw = Stopwatch.StartNew();
            var summary = SyntheticGenerator.Generate(p.GetValue(outDir)!, options);
            double s = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"wrote {summary.Train} train + {summary.HeldOut} held-out examples to {Path.GetFullPath(summary.OutDir)} in {s:0.00} s "
                + $"({(summary.Train + summary.HeldOut) / Math.Max(s, 1e-9):0} examples/s; {summary.DuplicatesSkipped} duplicates skipped)");
            Console.WriteLine("per task: " + string.Join(", ", summary.PerTask.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
            if (summary.HeldOut > 0)
                Console.WriteLine($"question-only baseline on held-out: {summary.Blind.Accuracy:P1} (" + string.Join(", ", summary.Blind.PerTask.Select(kv => $"{kv.Key} {kv.Value:P0}")) + ")");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    static List<string> SplitList(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    internal static List<int> ParseDifficulties(string s)
    {
        if (s.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return [1, 2, 3];
        return SplitList(s).Select(x => x.ToLowerInvariant() switch
        {
            "1" or "easy" => 1, "2" or "medium" => 2, "3" or "hard" => 3,
            _ => throw new ArgumentException($"--difficulty: '{x}' is not a level; expected 1|easy, 2|medium, 3|hard or all"),
        }).Distinct().ToList();
    }
}
