// `rethinker train sft`: supervised fine-tuning on assistant tokens only (DESIGN.md §5 SFT) from a YAML config
// with --set overrides; --resume continues from the newest complete checkpoint; --dry-run prints the resolved config.
using System.CommandLine;
using Rethinker.Training.Config;
using Rethinker.Training.Hosting;
using Rethinker.Training.Sft;

namespace Rethinker.Cli.Commands;

public sealed class TrainSftCommand : ICliCommand
{
    public string? Parent => "train";

    public Command Build()
    {
        var cmd = new Command("sft", "Supervised fine-tuning: next-token loss on assistant tokens, packed batches, gradient accumulation, held-out loss.\n\n" +
            "Every option lives in the YAML config (see configs/sft.yaml).\n\n" +
            "Examples:\n  rethinker train sft --config configs/sft.yaml\n" +
            "  rethinker train sft --config configs/sft.yaml --set optim.learning_rate=1e-3 --set run.total_steps=200\n" +
            "  rethinker train sft --config configs/sft.yaml --resume");
        var options = TrainCliOptions.Create();
        options.AddTo(cmd);
        cmd.SetAction(parse => TrainCliOptions.Run(parse, options, (path, sets) => ConfigLoader.Load<SftConfig>(path, sets), c => c.Validate(),
            (config, resume) =>
            {
                using var setup = RunSetup.ForSft(config);
                using var trainer = new SftTrainer(config, setup.Policy, setup.Train, setup.Eval, Console.Out);
                if (resume && !trainer.ResumeFromLatest()) Console.Error.WriteLine($"note: no checkpoint in {config.Run.OutputDir}/checkpoints; starting from step 0");
                trainer.Train();
                Console.WriteLine($"done: {trainer.Step} updates; metrics in {Path.Combine(config.Run.OutputDir, "metrics.jsonl")}");
            }));
        return cmd;
    }
}

/// <summary>The options both train verbs share, and their common run logic (bad config → one line, exit 2).</summary>
internal sealed record TrainCliOptions(Option<string?> Config, Option<string[]> Set, Option<bool> Resume, Option<bool> DryRun)
{
    public static TrainCliOptions Create() => new(
        new Option<string?>("--config") { Description = "YAML config file (sections run, model, data, optim, checkpoint, …); omitted: all defaults." },
        new Option<string[]>("--set") { Description = "Override one option by its dotted path, e.g. --set grpo.group_size=4 (repeatable; lists as [a, b]).", AllowMultipleArgumentsPerToken = false },
        new Option<bool>("--resume") { Description = "Continue from the newest complete checkpoint in run.output_dir/checkpoints (same samples, same numbers)." },
        new Option<bool>("--dry-run") { Description = "Validate and print the resolved config, then exit without training." });

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Config); cmd.Options.Add(Set); cmd.Options.Add(Resume); cmd.Options.Add(DryRun);
    }

    public static int Run<T>(ParseResult parse, TrainCliOptions o, Func<string?, string[], T> load, Action<T> validate, Action<T, bool> train) where T : notnull
    {
        T config;
        try
        {
            string? path = parse.GetValue(o.Config);
            if (path is not null && !File.Exists(path)) throw new ConfigException($"config file '{path}' does not exist");
            config = load(path, parse.GetValue(o.Set) ?? []);
            validate(config);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        if (parse.GetValue(o.DryRun))
        {
            Console.Write(ConfigWriter.ToYaml(config));
            return ExitCodes.Ok;
        }
        try
        {
            train(config, parse.GetValue(o.Resume));
        }
        catch (Exception e) when (e is ConfigException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        return ExitCodes.Ok;
    }
}
