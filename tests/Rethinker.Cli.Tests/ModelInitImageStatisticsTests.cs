// `rethinker model init --preset tiny` normalises images with a `data synth` folder's training-image statistics:
// from --tokenizer when it is such a folder, from --image-stats otherwise; with neither it keeps CLIP's and warns.
// A malformed manifest field, or --image-stats on a real preset, is bad input (exit 2, one line).
using System.Text.Json.Nodes;
using Rethinker.Cli;
using Rethinker.Data.Synthetic;

namespace Rethinker.Cli.Tests;

/// <summary>One small synthetic dataset and a tokenizer trained on it, shared by the tests (synthesis and BPE are the slow part).</summary>
public sealed class SynthDataAndTokenizer : IDisposable
{
    public string Data { get; } = Path.Combine(Path.GetTempPath(), "rethinker-stats-data-" + Guid.NewGuid().ToString("N"));
    public string Tokenizer { get; } = Path.Combine(Path.GetTempPath(), "rethinker-stats-tok-" + Guid.NewGuid().ToString("N"));

    public SynthDataAndTokenizer()
    {
        SyntheticGenerator.Generate(Data, new SynthOptions { Count = 20, HeldOut = 0, Seed = 6, ImageSize = 56, Threads = 1 });
        var (code, _, err) = ModelInitImageStatisticsTests.Run("tokenizer", "train", "--in", Path.Combine(Data, "corpus.jsonl"), "--vocab-size", "400", "--out", Tokenizer);
        if (code != 0) throw new InvalidOperationException(err);
    }

    public void Dispose()
    {
        foreach (var d in new[] { Data, Tokenizer }) if (Directory.Exists(d)) Directory.Delete(d, true);
    }
}

[Collection("console")]
public sealed class ModelInitImageStatisticsTests(SynthDataAndTokenizer fixture) : IClassFixture<SynthDataAndTokenizer>, IDisposable
{
    readonly string _model = Path.Combine(Path.GetTempPath(), "rethinker-stats-model-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_model)) Directory.Delete(_model, true); }

    internal static (int Code, string Out, string Err) Run(params string[] args) => CliConsole.Run(args);

    static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    static float[] Floats(JsonNode? node) => node!.AsArray().Select(x => (float)x!).ToArray();

    void AssertPreprocessorHasTheManifestStatistics()
    {
        var manifest = Json(Path.Combine(fixture.Data, "manifest.json"));
        var pre = Json(Path.Combine(_model, "preprocessor_config.json"));
        Assert.Equal(Floats(manifest["image_mean"]), Floats(pre["image_mean"]));
        Assert.Equal(Floats(manifest["image_std"]), Floats(pre["image_std"]));
        Assert.True(Floats(pre["image_mean"]).All(m => m > 0.6f), "synthetic images are mostly white, unlike CLIP's ~0.45 mean");
    }

    [Fact]
    public void Tiny_WithASynthFolderAsTokenizer_NormalisesWithItsManifestStatistics()
    {
        var (code, stdout, err) = Run("model", "init", "--preset", "tiny", "--tokenizer", fixture.Data, "--vocab-size", "400", "--out", _model);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("warning", err);
        Assert.Contains("manifest.json", stdout);
        AssertPreprocessorHasTheManifestStatistics();
    }

    [Fact]
    public void Tiny_WithImageStats_TakesThemFromThatFolder_WhereverTheTokenizerComesFrom()
    {
        var (code, _, err) = Run("model", "init", "--preset", "tiny", "--tokenizer", fixture.Tokenizer, "--image-stats", fixture.Data, "--out", _model);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("warning", err);
        AssertPreprocessorHasTheManifestStatistics();
    }

    [Fact]
    public void Tiny_WithoutADataset_KeepsClipsStatisticsAndWarnsOnceWhy()
    {
        var (code, _, err) = Run("model", "init", "--preset", "tiny", "--tokenizer", fixture.Tokenizer, "--out", _model);
        Assert.True(code == 0, err);
        Assert.StartsWith("warning: ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("--image-stats", err);
        Assert.Equal([0.48145466f, 0.4578275f, 0.40821073f], Floats(Json(Path.Combine(_model, "preprocessor_config.json"))["image_mean"]));
    }

    [Theory]
    [InlineData("""{"image_mean": [0.9, 0.9, 0.9], "image_std": "wide"}""", "image_std must be 3 numbers")]
    [InlineData("""{"image_mean": [0.9, 0.9, 0.9]}""", "has image_mean but no image_std")]
    public void Tiny_GarbledManifestField_ExitsTwoWithOneLineNamingFileAndField(string manifest, string message)
    {
        string bad = Path.Combine(Path.GetTempPath(), "rethinker-stats-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bad);
        try
        {
            File.WriteAllText(Path.Combine(bad, "corpus.jsonl"), "{\"text\": \"how many circles?\"}\n");
            File.WriteAllText(Path.Combine(bad, "manifest.json"), manifest);
            foreach (var args in new[] { new[] { "--tokenizer", bad }, ["--tokenizer", fixture.Tokenizer, "--image-stats", bad] })
            {
                var (code, _, err) = Run(["model", "init", "--preset", "tiny", "--out", _model, .. args]);
                Assert.Equal(ExitCodes.BadInput, code);
                Assert.StartsWith($"error: {Path.Combine(bad, "manifest.json")}: ", err);
                Assert.Contains(message, err);
                Assert.Single(err.Trim().Split('\n'));
                Assert.False(Directory.Exists(_model));
            }
        }
        finally { Directory.Delete(bad, true); }
    }

    [Fact]
    public void ImageStats_OnARealPresetOrAFolderWithoutStatistics_ExitsTwo()
    {
        var (code, _, err) = Run("model", "init", "--preset", "qwen2-vl-2b", "--image-stats", fixture.Data, "--out", _model);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--image-stats is for the tiny preset only", err);
        (code, _, err) = Run("model", "init", "--preset", "tiny", "--tokenizer", fixture.Tokenizer, "--image-stats", "/no/such/dir", "--out", _model);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("/no/such/dir: no manifest.json", err);
        Assert.False(Directory.Exists(_model));
    }

    [Fact]
    public void Help_ShowsTheImageStatsOptionAndAnExample()
    {
        var (code, stdout, _) = Run("model", "init", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--image-stats", stdout);
        Assert.Contains("--tokenizer tok --image-stats data", stdout);
    }
}
