using System.CommandLine;

namespace Rethinker.Cli;

/// <summary>One CLI verb. <see cref="Parent"/> names its group ("model", "train", "data", ...) or is null for a top-level verb.</summary>
public interface ICliCommand
{
    string? Parent { get; }
    Command Build();
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    /// <summary>Bad arguments or bad input data.</summary>
    public const int BadInput = 2;
}

public static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces on errors.", Recursive = true };
}

public static class GroupDescriptions
{
    public static string For(string group) => group switch
    {
        "model" => "Inspect, initialise and run Qwen2-VL / Qwen2.5-VL checkpoints.",
        "train" => "Train a policy: SFT, GRPO (SSR + forced rethinking), DPO/MPO.",
        "data" => "Create and inspect datasets.",
        "tokenizer" => "Train and inspect tokenizers.",
        _ => group,
    };
}
