// config.json parsing for both families: width meanings, rope_scaling spellings, defaults, unknown keys kept,
// missing or inconsistent keys named in the error.
using System.Text.Json.Nodes;
using Rethinker.Models.Config;

namespace Rethinker.Models.Tests.Qwen;

public sealed class QwenVlConfigTests
{
    static QwenVlConfig Real(string model) => QwenVlConfig.Load(TestFiles.Data("hf-configs", model, "config.json"));

    [Fact]
    public void Qwen2VL2B_VisionHiddenSizeIsTheLlmWidth()
    {
        var c = Real("Qwen2-VL-2B-Instruct");
        Assert.Equal(QwenVlArchitecture.Qwen2VL, c.Architecture);
        Assert.Equal(1536, c.HiddenSize);
        Assert.Equal(1280, c.Vision.Width);           // embed_dim
        Assert.Equal(1536, c.Vision.OutHidden);       // vision hidden_size
        Assert.Equal(5120, c.Vision.MlpHidden);       // embed_dim × mlp_ratio
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal(new[] { 16, 24, 24 }, c.MropeSection);
        Assert.Equal("mrope", c.RopeType);
        Assert.Equal(2, c.NumKvHeads);
        Assert.Equal(151655, c.ImageTokenId);
    }

    [Fact]
    public void Qwen25VL7B_VisionHiddenSizeIsTheVisionWidth()
    {
        var c = Real("Qwen2.5-VL-7B-Instruct");
        Assert.Equal(QwenVlArchitecture.Qwen2_5VL, c.Architecture);
        Assert.Equal(3584, c.HiddenSize);
        Assert.Equal(1280, c.Vision.Width);
        Assert.Equal(3584, c.Vision.OutHidden);
        Assert.Equal(3420, c.Vision.MlpHidden);
        Assert.Equal(112, c.Vision.WindowSize);
        Assert.Equal(new[] { 7, 15, 23, 31 }, c.Vision.FullAttBlockIndexes);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(1176, c.Vision.PatchDim);
    }

    [Fact]
    public void Fixture_DefaultRopeTypeAccepted()
    {
        var c = QwenVlConfig.Load(Path.Combine(TestFiles.ModelDir("qwen2_5_vl"), "config.json"));
        Assert.Equal("default", c.RopeType);
        Assert.Equal(56, c.Vision.WindowSize);
        Assert.Equal(new[] { 282 }, c.EosTokenIds);
        Assert.Equal(292, c.ImageTokenId);
    }

    [Fact]
    public void UnknownKeys_AreWrittenBack()
    {
        var o = JsonNode.Parse(File.ReadAllText(Path.Combine(TestFiles.ModelDir("qwen2_vl"), "config.json")))!.AsObject();
        o["my_custom_key"] = new JsonObject { ["nested"] = 3 };
        o["vision_config"]!["vision_extra"] = "kept";
        var c = QwenVlConfig.FromJson(o);
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
        c.Save(path);
        var back = JsonNode.Parse(File.ReadAllText(path))!;
        var reloaded = QwenVlConfig.Load(path);
        File.Delete(path);
        Assert.Equal(3, (int)back["my_custom_key"]!["nested"]!);
        Assert.Equal("kept", (string)back["vision_config"]!["vision_extra"]!);
        Assert.True(JsonNode.DeepEquals(o, back));
        Assert.Equal(c.HiddenSize, reloaded.HiddenSize);
        Assert.Equal(c.Vision.Width, reloaded.Vision.Width);
    }

    [Theory]
    [InlineData("hidden_size", "'hidden_size' is required but missing")]
    [InlineData("num_hidden_layers", "'num_hidden_layers' is required")]
    [InlineData("vision_config", "'vision_config' is required")]
    [InlineData("rope_scaling", "'rope_scaling' is required")]
    [InlineData("model_type", "'model_type' is required")]
    public void MissingRequiredKey_NamedInError(string key, string expected)
    {
        var o = JsonNode.Parse(File.ReadAllText(Path.Combine(TestFiles.ModelDir("qwen2_vl"), "config.json")))!.AsObject();
        o.Remove(key);
        var e = Assert.Throws<InvalidDataException>(() => QwenVlConfig.FromJson(o, "cfg.json"));
        Assert.Contains("cfg.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void MissingMropeSection_NamedWithItsPath()
    {
        var o = JsonNode.Parse(File.ReadAllText(Path.Combine(TestFiles.ModelDir("qwen2_vl"), "config.json")))!.AsObject();
        o["rope_scaling"]!.AsObject().Remove("mrope_section");
        Assert.Contains("'rope_scaling.mrope_section' is required", Assert.Throws<InvalidDataException>(() => QwenVlConfig.FromJson(o)).Message);
    }

    [Theory]
    [InlineData("rope_scaling", "{\"type\": \"yarn\", \"mrope_section\": [2, 3, 3]}", "yarn")]
    [InlineData("rope_scaling", "{\"type\": \"mrope\", \"mrope_section\": [2, 3, 4]}", "head_dim/2 = 8")]
    [InlineData("num_key_value_heads", "3", "not divisible")]
    [InlineData("hidden_size", "\"64\"", "must be an integer")]
    [InlineData("model_type", "\"llava\"", "supported: qwen2_vl, qwen2_5_vl")]
    [InlineData("vision_config", "{\"embed_dim\": 32, \"num_heads\": 2, \"depth\": 1, \"hidden_size\": 48}", "outputs 48 features")]
    public void InconsistentValues_Explained(string key, string json, string expected)
    {
        var o = JsonNode.Parse(File.ReadAllText(Path.Combine(TestFiles.ModelDir("qwen2_vl"), "config.json")))!.AsObject();
        o[key] = JsonNode.Parse(json);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => QwenVlConfig.FromJson(o)).Message);
    }
}
