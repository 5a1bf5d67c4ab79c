// `rethinker model init`: the tiny preset end to end (tokenizer trained on a synthetic corpus, random
// weights, HF files that load back), real presets checked by shape only (never allocated here), bad input.
using System.Text.Json.Nodes;
using Rethinker.Cli;
using Rethinker.Data.Presets;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;

namespace Rethinker.Cli.Tests;

[Collection("console")]
public class ModelInitCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => CliConsole.Run(args);

    static string Temp(string tag) => Path.Combine(Path.GetTempPath(), $"rethinker-{tag}-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Tiny_FromASyntheticDataset_WritesACheckpointThatLoadsBack()
    {
        string data = Temp("init-data"), model = Temp("init-model");
        try
        {
            Assert.Equal(0, Run("data", "synth", "--out", data, "--n", "60", "--heldout", "0", "--seed", "4").Code);
            var (code, stdout, err) = Run("model", "init", "--preset", "tiny", "--tokenizer", data, "--vocab-size", "600", "--out", model, "--seed", "1");
            Assert.True(code == 0, err);
            Assert.Contains("trained a", stdout);
            foreach (var f in new[] { "config.json", "model.safetensors", "generation_config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json" })
                Assert.True(File.Exists(Path.Combine(model, f)), f);
            var config = QwenVlConfig.Load(Path.Combine(model, "config.json"));
            Assert.Equal(QwenVlArchitecture.Qwen2_5VL, config.Architecture);
            var ids = ModelPresets.FromTokenizerJson(Path.Combine(model, "tokenizer.json"));
            Assert.Equal(ids.Vocab, config.VocabSize);
            Assert.Equal(ids.ImagePad, config.ImageTokenId);
            var loaded = QwenVlModel.Load(model);
            var sizes = ModelSizes.Of(loaded);
            Assert.InRange(sizes.Total, 500_000, 3_000_000);
            // Same seed, same weights; another seed, other weights.
            string again = Temp("init-model2");
            try
            {
                Assert.Equal(0, Run("model", "init", "--preset", "tiny", "--tokenizer", model, "--out", again, "--seed", "1").Code);
                Assert.Equal(File.ReadAllBytes(Path.Combine(model, "model.safetensors")), File.ReadAllBytes(Path.Combine(again, "model.safetensors")));
            }
            finally { if (Directory.Exists(again)) Directory.Delete(again, true); }
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, true);
            if (Directory.Exists(model)) Directory.Delete(model, true);
        }
    }

    [Theory]
    [InlineData("qwen2-vl-2b", 2.15e9, 2.25e9)]
    [InlineData("qwen2.5-vl-3b", 3.70e9, 3.80e9)]
    [InlineData("qwen2.5-vl-7b", 8.25e9, 8.33e9)]
    public void RealPresets_HaveThePublishedParameterCounts_CheckedOnAMetaModel(string preset, double lo, double hi)
    {
        var config = QwenVlConfig.FromJson(ModelPresets.Config(preset));
        var sizes = ModelSizes.Of(QwenVlModel.CreateMeta(config));   // shapes only: nothing allocated
        Assert.InRange(sizes.Total, lo, hi);
    }

    [Theory]
    [InlineData(new[] { "--preset", "huge" }, "unknown preset 'huge'")]
    [InlineData(new[] { "--preset", "tiny" }, "--tokenizer is required")]
    [InlineData(new[] { "--preset", "tiny", "--tokenizer", "/no/such/dir" }, "expected tokenizer.json")]
    [InlineData(new[] { "--preset", "qwen2-vl-2b", "--dtype", "f8" }, "--dtype: 'f8'")]
    public void BadInput_ExitsTwoWithOneLine(string[] args, string message)
    {
        string dir = Temp("init-bad");
        var (code, _, err) = Run(["model", "init", "--out", dir, .. args]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(dir));
    }
}
