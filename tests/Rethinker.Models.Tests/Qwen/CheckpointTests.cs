// Save/load of Qwen-VL model directories: hub layout round trip, the newer transformers layout, bf16 and
// shards, and each broken checkpoint (missing / extra / mis-shaped tensor, truncated file, corrupt header)
// failing with a message that names the problem.
using System.Text.Json.Nodes;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Qwen;

public sealed class CheckpointTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "rt-ck-" + Guid.NewGuid().ToString("N"));

    public CheckpointTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    static float[] Logits(QwenVlModel m, QwenVlInputs inputs)
    {
        using var _ = Autograd.NoGrad();
        return m.Forward(inputs).Logits.ToArray();
    }

    [Theory]
    [InlineData("qwen2_vl", false)]
    [InlineData("qwen2_5_vl", true)]
    public void SaveThenLoad_GivesTheSameModel(string arch, bool tied)
    {
        var c = TinyModels.Config(arch, tied);
        var model = QwenVlModel.CreateRandom(c, 3);
        model.Save(_dir);
        Assert.True(File.Exists(Path.Combine(_dir, "model.safetensors")));
        var gen = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "generation_config.json")))!;
        Assert.Equal(43, (int)gen["eos_token_id"]!);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!;
        Assert.Equal("kept", (string)cfg["some_future_key"]!);
        using (var f = SafeTensorsFile.Open(Path.Combine(_dir, "model.safetensors")))
            Assert.Equal(tied, !f.Contains("lm_head.weight"));

        var loaded = QwenVlModel.Load(_dir);
        var (inputs, _) = TinyModels.Batch(c, 1);
        Assert.Equal(Logits(model, inputs), Logits(loaded, inputs));
    }

    [Fact]
    public void Load_AcceptsNewerTransformersNames()
    {
        var c = TinyModels.Config("qwen2_5_vl");
        var model = QwenVlModel.CreateRandom(c, 4);
        model.Save(_dir);
        string file = Path.Combine(_dir, "model.safetensors");
        var renamed = new List<SafeTensorWrite>();
        using (var f = SafeTensorsFile.Open(file))
            foreach (var e in f.Entries)
            {
                string n = e.Name.StartsWith("visual.") ? "model." + e.Name : e.Name.StartsWith("model.") ? "model.language_model." + e.Name[6..] : e.Name;
                renamed.Add(SafeTensorWrite.Float(n, e.Shape, f.ReadSingle(e.Name)));
            }
        SafeTensorsWriter.Write(file, renamed);
        var loaded = QwenVlModel.Load(_dir);
        var (inputs, _) = TinyModels.Batch(c, 2);
        Assert.Equal(Logits(model, inputs), Logits(loaded, inputs));
    }

    [Fact]
    public void SaveBf16Sharded_LoadsWithinBf16Precision()
    {
        var c = TinyModels.Config("qwen2_vl");
        var model = QwenVlModel.CreateRandom(c, 5);
        QwenVlCheckpoint.Save(model, _dir, SafeTensorDType.BF16, maxShardBytes: 8_000);
        Assert.True(File.Exists(Path.Combine(_dir, "model.safetensors.index.json")));
        Assert.Equal("bfloat16", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!["torch_dtype"]!);
        var loaded = QwenVlModel.Load(_dir);
        var a = model.StateDict();
        foreach (var (name, p) in loaded.NamedParameters())
        {
            var x = a[name].Span; var y = p.Span;
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) <= Math.Abs(x[i]) / 128f, $"{name}[{i}] {x[i]} vs {y[i]}");
        }
    }

    string SavedTiny()
    {
        QwenVlModel.CreateRandom(TinyModels.Config("qwen2_vl"), 6).Save(_dir);
        return Path.Combine(_dir, "model.safetensors");
    }

    void Rewrite(string file, Func<SafeTensorEntry, SafeTensorsFile, SafeTensorWrite?> map, params SafeTensorWrite[] extra)
    {
        var list = new List<SafeTensorWrite>();
        using (var f = SafeTensorsFile.Open(file))
            foreach (var e in f.Entries) if (map(e, f) is { } w) list.Add(w);
        list.AddRange(extra);
        SafeTensorsWriter.Write(file, list);
    }

    string LoadError() => Assert.ThrowsAny<Exception>(() => QwenVlModel.Load(_dir)).Message;

    [Fact]
    public void MissingTensor_IsNamed()
    {
        string file = SavedTiny();
        Rewrite(file, (e, f) => e.Name == "model.layers.1.mlp.up_proj.weight" ? null : SafeTensorWrite.Float(e.Name, e.Shape, f.ReadSingle(e.Name)));
        string m = LoadError();
        Assert.Contains("missing tensor 'model.layers.1.mlp.up_proj.weight' [40, 24]", m);
    }

    [Fact]
    public void ExtraTensor_IsNamed()
    {
        string file = SavedTiny();
        Rewrite(file, (e, f) => SafeTensorWrite.Float(e.Name, e.Shape, f.ReadSingle(e.Name)), SafeTensorWrite.Float("model.layers.2.mlp.up_proj.weight", [2], new float[2]));
        Assert.Contains("unexpected tensor 'model.layers.2.mlp.up_proj.weight'", LoadError());
    }

    [Fact]
    public void WrongShape_IsNamedWithBothShapes()
    {
        string file = SavedTiny();
        Rewrite(file, (e, f) => e.Name == "visual.merger.mlp.0.bias" ? SafeTensorWrite.Float(e.Name, [95], new float[95]) : SafeTensorWrite.Float(e.Name, e.Shape, f.ReadSingle(e.Name)));
        string m = LoadError();
        Assert.Contains("'visual.merger.mlp.0.bias' has shape [95], the model expects [96]", m);
    }

    [Fact]
    public void TruncatedFile_IsReported()
    {
        string file = SavedTiny();
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<SafeTensorsFormatException>(() => QwenVlModel.Load(_dir));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("past the end", e.Message);
    }

    [Fact]
    public void CorruptHeader_IsReported()
    {
        string file = SavedTiny();
        var bytes = File.ReadAllBytes(file);
        bytes[8] = (byte)'X';   // the header no longer opens a JSON object
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<SafeTensorsFormatException>(() => QwenVlModel.Load(_dir));
        Assert.Contains("corrupt header", e.Message);
    }

    [Fact]
    public void ImageTokenCountMismatch_IsAnError()
    {
        var c = TinyModels.Config("qwen2_vl");
        var model = QwenVlModel.CreateRandom(c, 8);
        var (inputs, _) = TinyModels.Batch(c, 1);
        var ids = inputs.InputIds.ToArray();
        ids[Array.IndexOf(ids, TinyModels.ImageToken)] = 5;   // one pad token fewer than image features
        var e = Assert.Throws<ArgumentException>(() => model.Forward(inputs with { InputIds = ids }));
        Assert.Contains("6 <|image_pad|> tokens", e.Message);
        Assert.Contains("7 image feature rows", e.Message);
    }
}
