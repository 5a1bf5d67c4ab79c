// `model info` on a tiny random checkpoint: parameters per tower, checkpoint bytes and dtypes, memory estimate;
// a directory without config.json exits with code 2.
using System.Text.Json.Nodes;
using Rethinker.Cli;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;

namespace Rethinker.Cli.Tests;

[Collection("Console")]
public sealed class ModelInfoCommandTests : TinyModelDirTests
{
    [Fact]
    public void Info_ReportsTowersDtypesAndMemory()
    {
        var (code, err, stdout) = Run("model", "info", "--model", _model, "--json");
        Assert.True(code == 0, err);
        var j = JsonNode.Parse(stdout)!;
        var meta = ModelSizes.Of(QwenVlModel.CreateMeta(QwenVlConfig.Parse(Config)));
        Assert.Equal(meta.Visual, (long)j["VisualParams"]!);
        Assert.Equal(meta.Text, (long)j["TextParams"]!);
        Assert.Equal(0, (long)j["LmHeadParams"]!);
        Assert.Equal(meta.Total * 4, (long)j["CheckpointBytes"]!);
        Assert.Equal(meta.Total * 4, (long)j["WeightsF32Bytes"]!);
        Assert.Equal("qwen2_5_vl", (string)j["ModelType"]!);
        (code, _, stdout) = Run("model", "info", "--model", _model);
        Assert.Equal(0, code);
        Assert.Contains("Qwen2_5_VLForConditionalGeneration", stdout);
        Assert.Contains("F32", stdout);
    }

    [Fact]
    public void Info_MissingConfigExitsWithCode2()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var (code, err, _) = Run("model", "info", "--model", Path.Combine(_dir, "empty"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("config.json", err);
    }
}
