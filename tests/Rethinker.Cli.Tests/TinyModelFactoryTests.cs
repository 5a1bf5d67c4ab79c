// The quickstart's tiny checkpoint shares `model init`'s preprocessor_config.json writer, with its own settings:
// min_pixels = max_pixels = image side² (every image keeps its size) and the measured channel statistics.
using Rethinker.Cli.Commands;
using Rethinker.Cli.Quickstart;
using Rethinker.Models.Imaging;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Tests;

public class TinyModelFactoryTests
{
    [Fact]
    public void Create_WritesAPreprocessorThatKeepsTheImageSizeAndUsesTheGivenStatistics()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-tiny-factory-" + Guid.NewGuid().ToString("N"));
        try
        {
            var trainer = new BpeTrainer(new BpeTrainerOptions(300, ModelInitCommand.QwenSpecials));
            trainer.Feed("how many red circles are there? count them one by one");
            var plan = QuickstartPlan.Fast with { ImageSize = 84 };
            var stats = new ChannelStatistics([0.93f, 0.92f, 0.9f], [0.2f, 0.21f, 0.22f]);
            TinyModelFactory.Create(dir, plan, trainer.Train(), seed: 1, stats);
            var o = QwenImageProcessor.FromFile(Path.Combine(dir, "preprocessor_config.json")).Options;
            Assert.Equal((84 * 84, 84 * 84), (o.MinPixels, o.MaxPixels));
            Assert.Equal(stats.Mean, o.ImageMean);
            Assert.Equal(stats.Std, o.ImageStd);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void PlanSettings_ReachTheConfig_RopeThetaMropeSectionAndPatchSize()
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions(300, ModelInitCommand.QwenSpecials));
        trainer.Feed("how many red circles are there?");
        var plan = QuickstartPlanOverrides.Apply(QuickstartPlan.Fast, ["rope_theta=100", "mrope_section=0,4,4", "patch_size=7"]);
        plan.Validate();
        var config = TinyModelFactory.Config(plan, trainer.Train());
        Assert.Equal(100f, (float)config.RopeTheta);
        Assert.Equal([0, 4, 4], config.MropeSection);
        Assert.Equal(7, config.Vision.PatchSize);
    }

    [Theory]
    [InlineData("mrope_section=1,2", "mrope_section")]
    [InlineData("mrope_section=4,4,4", "head_dim/2 = 8")]
    [InlineData("patch_size=10", "multiple of 20")]
    [InlineData("rope_theta=1", "rope_theta")]
    public void PlanSettings_ThatCannotBuildAModel_AreRejectedByName(string assignment, string expected)
    {
        var plan = QuickstartPlanOverrides.Apply(QuickstartPlan.Fast, [assignment]);
        var e = Assert.Throws<ArgumentException>(plan.Validate);
        Assert.Contains(expected, e.Message);
    }
}

public class QuickstartBlindBaselineTests
{
    [Fact]
    public void BlindRows_HaveNoImagesAndNoPlaceholder_AndBlindIsSettable()
    {
        var row = new Rethinker.Data.Rows.DatasetRow { Id = "r1", Question = "<image>\nHow many red circles?", Answer = "3", Images = ["images/a.png"] };
        var blind = QuickstartRunner.WithoutImages(row);
        Assert.Empty(blind.Images);
        Assert.Equal("How many red circles?", blind.Question);
        Assert.Equal(("r1", "3"), (blind.Id, blind.Answer));
        Assert.True(QuickstartPlanOverrides.Apply(QuickstartPlan.Fast, ["blind=true"]).Blind);
        Assert.Contains("boolean", Assert.Throws<ArgumentException>(() => QuickstartPlanOverrides.Apply(QuickstartPlan.Fast, ["blind=maybe"])).Message);
    }
}
