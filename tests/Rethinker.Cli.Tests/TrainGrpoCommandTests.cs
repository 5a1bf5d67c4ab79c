using Rethinker.Cli;

namespace Rethinker.Cli.Tests;

[Collection("Console")]
public class TrainGrpoCommandTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args) => CliConsole.Run(args);

    [Fact]
    public void Help_ShowsExamplesAndOptions()
    {
        var (code, output, _) = Run("train", "grpo", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--set", output);
        Assert.Contains("--resume", output);
        Assert.Contains("rethinker train grpo --config configs/grpo.yaml", output);
    }

    [Fact]
    public void DryRun_PrintsResolvedConfigWithOverrides()
    {
        var (code, output, err) = Run("train", "grpo", "--set", "grpo.group_size=4", "--set", "replay.mode=filter", "--dry-run");
        Assert.True(code == 0, err);
        Assert.Contains("group_size: 4", output);
        Assert.Contains("mode: filter", output);
        Assert.Contains("clip_epsilon_high: 0.28", output);
    }

    [Fact]
    public void UnknownOption_IsBadInputWithOneClearLine()
    {
        var (code, _, err) = Run("train", "grpo", "--set", "grpo.gruop_size=4", "--dry-run");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains("grpo.gruop_size", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void InvalidValue_AndMissingConfigFile_AreBadInput()
    {
        Assert.Equal(ExitCodes.BadInput, Run("train", "grpo", "--set", "grpo.clip_epsilon_low=2", "--dry-run").Code);
        var (code, _, err) = Run("train", "grpo", "--config", "/no/such/grpo.yaml");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("/no/such/grpo.yaml", err);
    }

    [Fact]
    public void MissingModelPath_IsBadInputNamingTheOption()
    {
        var (code, _, err) = Run("train", "grpo", "--set", $"run.output_dir={Path.Combine(Path.GetTempPath(), "rt-cli-" + Guid.NewGuid().ToString("N"))}");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("model.path", err);
    }
}
