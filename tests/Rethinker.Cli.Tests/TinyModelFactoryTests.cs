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
}
