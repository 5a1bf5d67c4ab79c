// The training images' channel statistics in a `data synth` folder: the manifest records what measuring the written
// train PNGs gives (not the held-out ones), an older manifest without the fields falls back to those PNGs with the
// same result, and a malformed or lone field is an error that names the manifest and the field.
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic;
using Rethinker.Models.Imaging;

namespace Rethinker.Data.Tests.Synthetic;

public sealed class SynthImageStatisticsTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "rethinker-synth-stats-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    string Manifest => Path.Combine(_dir, "manifest.json");

    void Generate() => SyntheticGenerator.Generate(_dir, new SynthOptions { Count = 24, HeldOut = 6, Seed = 5, ImageSize = 56, Threads = 1 });

    static ChannelStatistics MeasurePngs(string dir) =>
        ChannelStatistics.Of(Directory.GetFiles(dir, "*.png").Select(f => ImageLoader.Load(f)));

    static float[] Floats(JsonNode? node) => node!.AsArray().Select(x => (float)x!).ToArray();

    [Fact]
    public void Manifest_RecordsTheStatisticsOfTheWrittenTrainImages()
    {
        Generate();
        var root = JsonNode.Parse(File.ReadAllText(Manifest))!;
        var train = MeasurePngs(Path.Combine(_dir, "images", "train"));
        Assert.Equal(train.Mean, Floats(root["image_mean"]));
        Assert.Equal(train.Std, Floats(root["image_std"]));
        Assert.Equal(24, (int)root["image_stats_images"]!);
        // Train only: the held-out images (another stream) measure differently.
        Assert.NotEqual(train.Mean, MeasurePngs(Path.Combine(_dir, "images", "heldout")).Mean);
    }

    [Fact]
    public void Read_ManifestWithoutTheFields_MeasuresTheTrainPngsToTheSameValues()
    {
        Generate();
        var fromManifest = SynthImageStatistics.Read(_dir);
        Assert.Equal(Manifest, fromManifest.Source);
        var root = JsonNode.Parse(File.ReadAllText(Manifest))!.AsObject();
        root.Remove("image_mean");
        root.Remove("image_std");
        File.WriteAllText(Manifest, root.ToJsonString());
        var measured = SynthImageStatistics.Read(_dir);
        Assert.Contains(Path.Combine("images", "train"), measured.Source);
        Assert.Equal(fromManifest.Statistics.Mean, measured.Statistics.Mean);
        Assert.Equal(fromManifest.Statistics.Std, measured.Statistics.Std);
    }

    [Theory]
    [InlineData("""{"image_mean": "white", "image_std": [0.2, 0.2, 0.2]}""", "image_mean must be 3 numbers")]
    [InlineData("""{"image_mean": [0.9, 0.9], "image_std": [0.2, 0.2, 0.2]}""", "image_mean must be 3 numbers")]
    [InlineData("""{"image_mean": [0.9, 0.9, 1.5], "image_std": [0.2, 0.2, 0.2]}""", "image_mean must be 3 numbers in [0, 1]")]
    [InlineData("""{"image_mean": [0.9, 0.9, 0.9], "image_std": [0.2, 0, 0.2]}""", "image_std must be 3 numbers > 0")]
    [InlineData("""{"image_mean": [0.9, 0.9, 0.9], "image_std": [0.2, "x", 0.2]}""", "image_std must be 3 numbers")]
    [InlineData("""{"image_mean": [0.9, 0.9, 0.9]}""", "has image_mean but no image_std")]
    [InlineData("""{"image_mean": [0.9, """, "not valid JSON")]
    public void Read_MalformedManifestField_IsAOneLineErrorNamingFileAndField(string manifest, string message)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Manifest, manifest);
        var e = Assert.Throws<InvalidDataException>(() => SynthImageStatistics.Read(_dir));
        Assert.StartsWith(Manifest + ": ", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Read_FolderWithNothingToMeasure_SaysWhatWasExpected()
    {
        Directory.CreateDirectory(_dir);
        var e = Assert.Throws<InvalidDataException>(() => SynthImageStatistics.Read(_dir));
        Assert.Contains("no manifest.json with image_mean/image_std and no images/train/*.png", e.Message);
        Assert.False(SynthImageStatistics.CanRead(_dir));
    }

    [Fact]
    public void Measure_UsesOnlyTheFirst512Images()
    {
        var white = RgbImage.Create(2, 2, Enumerable.Repeat((byte)255, 12).ToArray());
        var black = RgbImage.Create(2, 2, new byte[12]);
        var stats = SynthImageStatistics.Measure([.. Enumerable.Repeat(white, SynthImageStatistics.MaxImages), black]);
        Assert.Equal([1f, 1f, 1f], stats.Mean);
    }
}
