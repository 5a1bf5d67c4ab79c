using Rethinker.Cli;

namespace Rethinker.Cli.Tests;

[Collection("Console")]
public class TrainSftCommandTests
{
    [Fact]
    public void Help_ShowsExample()
    {
        var (code, output, _) = TrainGrpoCommandTests.Run("train", "sft", "--help");
        Assert.Equal(0, code);
        Assert.Contains("rethinker train sft --config configs/sft.yaml", output);
    }

    [Fact]
    public void DryRun_AppliesOverrides_BadValueIsBadInput()
    {
        var (code, output, err) = TrainGrpoCommandTests.Run("train", "sft", "--set", "sft.gradient_accumulation=8", "--dry-run");
        Assert.True(code == 0, err);
        Assert.Contains("gradient_accumulation: 8", output);
        var bad = TrainGrpoCommandTests.Run("train", "sft", "--set", "sft.gradient_accumulation=0", "--dry-run");
        Assert.Equal(ExitCodes.BadInput, bad.Code);
        Assert.Contains("sft.gradient_accumulation", bad.Err);
    }
}
