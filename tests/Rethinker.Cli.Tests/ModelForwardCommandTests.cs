// `model forward` on a tiny random checkpoint written by the test: outputs agree with the library's forward
// and greedy reference, and bad inputs exit with code 2 and a one-line reason.
using System.Text.Json.Nodes;
using Rethinker.Cli;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Tensors;

namespace Rethinker.Cli.Tests;

/// <summary>A tiny random Qwen2.5-VL checkpoint in a temp directory, and a console-capturing runner.</summary>
public abstract class TinyModelDirTests : IDisposable
{
    protected readonly string _dir = Path.Combine(Path.GetTempPath(), "rt-cli-model-" + Guid.NewGuid().ToString("N"));
    protected readonly string _model;

    protected const string Config = """
        {"model_type": "qwen2_5_vl", "vocab_size": 40, "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
         "num_attention_heads": 2, "num_key_value_heads": 1, "rope_scaling": {"type": "mrope", "mrope_section": [1, 2, 1]},
         "tie_word_embeddings": true, "bos_token_id": 30, "eos_token_id": 31, "image_token_id": 35, "video_token_id": 36,
         "vision_start_token_id": 33, "vision_end_token_id": 34, "vision_token_id": 37,
         "vision_config": {"depth": 2, "hidden_size": 8, "num_heads": 2, "intermediate_size": 12, "out_hidden_size": 16, "patch_size": 2,
                           "temporal_patch_size": 2, "spatial_merge_size": 2, "window_size": 8, "fullatt_block_indexes": [1]}}
        """;

    protected TinyModelDirTests()
    {
        _model = Path.Combine(_dir, "model");
        QwenVlModel.CreateRandom(QwenVlConfig.Parse(Config), 2).Save(_model);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    protected static (int Code, string Err, string Out) Run(params string[] args)
    {
        var (err, stdout) = (Console.Error, Console.Out);
        var e = new StringWriter();
        var o = new StringWriter();
        try
        {
            Console.SetError(e);
            Console.SetOut(o);
            return (Program.Run(args), e.ToString(), o.ToString());
        }
        finally { Console.SetError(err); Console.SetOut(stdout); }
    }

    protected string WriteCase(bool withImage)
    {
        var ids = new List<long> { 1, 2 };
        var writes = new List<SafeTensorWrite>();
        if (withImage)
        {
            ids.Add(33); ids.AddRange(Enumerable.Repeat(35L, 6)); ids.Add(34);
            var rng = new Random(3);
            writes.Add(SafeTensorWrite.Float("pixel_values", [24, 24], Enumerable.Range(0, 24 * 24).Select(_ => (float)rng.NextDouble()).ToArray()));
            writes.Add(SafeTensorWrite.Int64("image_grid_thw", [1, 3], [1, 4, 6]));
        }
        ids.AddRange([3, 4, 5]);
        writes.Add(SafeTensorWrite.Int64("input_ids", [1, ids.Count], ids.ToArray()));
        string p = Path.Combine(_dir, withImage ? "img.safetensors" : "text.safetensors");
        SafeTensorsWriter.Write(p, writes);
        return p;
    }
}

[Collection("Console")]
public sealed class ModelForwardCommandTests : TinyModelDirTests
{
    [Fact]
    public void Forward_WritesTheLibraryOutputs()
    {
        string casePath = WriteCase(withImage: true), outPath = Path.Combine(_dir, "out.safetensors");
        var (code, err, _) = Run("model", "forward", "--model", _model, "--case", casePath, "--out", outPath, "--pixel-values", "--generate", "3", "--suppress-tokens", "30-39");
        Assert.True(code == 0, err);
        using var o = SafeTensorsFile.Open(outPath);
        Assert.Equal(new[] { 1, 13, 40 }, o.Entry("logits").Shape);
        Assert.Equal(new[] { 3, 1, 13 }, o.Entry("position_ids").Shape);
        Assert.Equal(new[] { 6, 16 }, o.Entry("image_embeds").Shape);
        var gen = o.ReadInt32("generated_ids");
        Assert.Equal(3, gen.Length);
        Assert.All(gen, t => Assert.True(t < 30));

        var model = QwenVlModel.Load(_model);
        using var c = SafeTensorsFile.Open(casePath);
        var inputs = QwenVlInputs.Single(c.ReadInt32("input_ids"), Tensor.FromArray(c.ReadSingle("pixel_values"), 24, 24), [new GridThw(1, 4, 6)]);
        using (Autograd.NoGrad())
        {
            var expected = model.Forward(inputs);
            Assert.Equal(expected.Logits.ToArray(), o.ReadSingle("logits"));
            Assert.Equal(expected.RopeDeltas[0], o.ReadInt32("rope_deltas")[0]);
        }
        Assert.Equal(GreedyReference.Generate(model, inputs, 3, GreedyReference.ParseTokenRanges("30-39")).Tokens, gen);
    }

    [Fact]
    public void Forward_RawImagesGoThroughTheImageProcessor()
    {
        File.WriteAllText(Path.Combine(_model, "preprocessor_config.json"),
            """{"min_pixels": 16, "max_pixels": 100000, "patch_size": 2, "temporal_patch_size": 2, "merge_size": 2, "resample": 3}""");
        var rng = new Random(4);
        var rgb = new byte[8 * 12 * 3];
        rng.NextBytes(rgb);
        long[] ids = [1, 33, 35, 35, 35, 35, 35, 35, 34, 3];
        string casePath = Path.Combine(_dir, "raw.safetensors"), outPath = Path.Combine(_dir, "raw-out.safetensors");
        SafeTensorsWriter.Write(casePath, [SafeTensorWrite.Int64("input_ids", [1, ids.Length], ids), SafeTensorWrite.UInt8("image0_rgb", [8, 12, 3], rgb)]);
        var (code, err, _) = Run("model", "forward", "--model", _model, "--case", casePath, "--out", outPath);
        Assert.True(code == 0, err);
        using var o = SafeTensorsFile.Open(outPath);
        Assert.Equal(new long[] { 1, 4, 6 }, o.ReadInt64("image_grid_thw"));
        Assert.Equal(new[] { 6, 16 }, o.Entry("image_embeds").Shape);

        File.Delete(Path.Combine(_model, "preprocessor_config.json"));
        (code, err, _) = Run("model", "forward", "--model", _model, "--case", casePath, "--out", outPath);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("preprocessor_config.json", err);
    }

    [Fact]
    public void Forward_TextOnlyCaseRunsWithoutPixelValues()
    {
        string outPath = Path.Combine(_dir, "out2.safetensors");
        var (code, err, _) = Run("model", "forward", "--model", _model, "--case", WriteCase(false), "--out", outPath);
        Assert.True(code == 0, err);
        using var o = SafeTensorsFile.Open(outPath);
        Assert.False(o.Contains("image_embeds"));
        Assert.Equal(0, o.ReadInt32("rope_deltas")[0]);
    }

    [Fact]
    public void Forward_BadInputsExitWithCode2()
    {
        string outPath = Path.Combine(_dir, "o.safetensors");
        var (code, err, _) = Run("model", "forward", "--model", Path.Combine(_dir, "nope"), "--case", WriteCase(false), "--out", outPath);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error:", err);
        (code, err, _) = Run("model", "forward", "--model", _model, "--case", WriteCase(true), "--out", outPath, "--suppress-tokens", "9-1");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("9-1", err);
        (code, err, _) = Run("model", "forward", "--model", _model, "--case", Path.Combine(_dir, "missing.safetensors"), "--out", outPath);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("missing.safetensors", err);
    }
}
