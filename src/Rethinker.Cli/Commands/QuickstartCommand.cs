// `rethinker quickstart`: the README's first command. Everything it makes lands in one run directory.
using System.CommandLine;
using Rethinker.Cli.Quickstart;

namespace Rethinker.Cli.Commands;

public sealed class QuickstartCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var fast = new Option<bool>("--fast") { Description = "A small end-to-end run (≤ 3 minutes on two cores) that checks the pipeline rather than the method." };
        var output = new Option<string?>("--out") { Description = "Run directory (default: runs/quickstart-<time>)." };
        var seed = new Option<long?>("--seed") { Description = "Seed for data, initialisation and sampling (default 7)." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a plan setting, repeatable: " + string.Join(", ", QuickstartPlanOverrides.Keys) + ". grpo_steps=0 stops after SFT.",
            AllowMultipleArgumentsPerToken = false,
        };
        var cmd = new Command("quickstart",
            "Train a tiny vision-language model from scratch on synthetic visual reasoning tasks: data → tokenizer → SFT → GRPO with " +
            "Selective Sample Replay and Forced Rethinking → evaluation → an HTML report. No downloads.\n\nExamples:\n" +
            "  rethinker quickstart\n  rethinker quickstart --fast --out runs/smoke\n  rethinker quickstart --set sft_steps=800 --set vision_width=128");
        foreach (var o in new Option[] { fast, output, seed, set }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var plan = parse.GetValue(fast) ? QuickstartPlan.Fast : QuickstartPlan.Full;
            if (parse.GetValue(seed) is { } s) plan = plan with { Seed = s };
            plan = QuickstartPlanOverrides.Apply(plan, parse.GetValue(set) ?? []);
            plan.Validate();
            string dir = parse.GetValue(output) ?? Path.Combine("runs", $"quickstart-{DateTime.Now:yyyyMMdd-HHmmss}");
            Console.WriteLine($"Rethinker quickstart ({plan.Name}) → {Path.GetFullPath(dir)}");
            var result = new QuickstartRunner(plan, dir, Console.Out).Run();
            Console.WriteLine();
            Console.WriteLine($"held-out accuracy: SFT {result.Sft.Accuracy:0.000} → RL {result.Rl.Accuracy:0.000} (forced rethinking {result.RlForced.Accuracy:0.000})");
            Console.WriteLine($"run directory: {Path.GetFullPath(result.RunDir)}");
            Console.WriteLine($"report: {Path.GetFullPath(result.ReportPath)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
