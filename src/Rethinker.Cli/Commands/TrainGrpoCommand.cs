// `rethinker train grpo`: GRPO with Selective Sample Replay and Forced Rethinking (DESIGN.md §5) from a YAML
// config with --set overrides; --resume continues from the newest complete checkpoint; --dry-run prints the
// resolved config. The policy, prompts and reward are built by Rethinker.Training.Hosting.RunSetup.
using System.CommandLine;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Hosting;

namespace Rethinker.Cli.Commands;

public sealed class TrainGrpoCommand : ICliCommand
{
    public string? Parent => "train";

    public Command Build()
    {
        var cmd = new Command("grpo", "Train a policy with GRPO + Selective Sample Replay + Forced Rethinking (VL-Rethinker).\n\n" +
            "Every option lives in the YAML config (see configs/grpo.yaml, which documents each one with its default).\n\n" +
            "Examples:\n  rethinker train grpo --config configs/grpo.yaml\n" +
            "  rethinker train grpo --config configs/grpo.yaml --set grpo.group_size=4 --set replay.mode=filter\n" +
            "  rethinker train grpo --config configs/grpo.yaml --resume\n  rethinker train grpo --config configs/grpo.yaml --dry-run");
        var options = TrainCliOptions.Create();
        options.AddTo(cmd);
        cmd.SetAction(parse => TrainCliOptions.Run(parse, options, (path, sets) => ConfigLoader.Load<GrpoConfig>(path, sets), c => c.Validate(),
            (config, resume) =>
            {
                using var setup = RunSetup.ForGrpo(config);
                using var trainer = new GrpoTrainer(config, setup.Policy, setup.Prompts, setup.Reward, setup.Sampling, setup.ReferenceFactory, Console.Out);
                if (resume && !trainer.ResumeFromLatest()) Console.Error.WriteLine($"note: no checkpoint in {config.Run.OutputDir}/checkpoints; starting from step 0");
                trainer.Train();
                Console.WriteLine($"done: {trainer.Step} steps; metrics in {Path.Combine(config.Run.OutputDir, "metrics.jsonl")}");
            }));
        return cmd;
    }
}
