// Model presets as JSON: internally consistent shapes (heads, rotary sections, merger width), the published
// hub shapes for the real models, special ids taken from a trained tokenizer, and an image processor range
// that keeps the synthetic images small (checked with Qwen2-VL's smart_resize rule) and normalises with the given
// channel statistics (CLIP's by default).
using System.Text.Json.Nodes;
using Rethinker.Data.Presets;
using Rethinker.Models.Imaging;

namespace Rethinker.Data.Tests.Presets;

public class ModelPresetsTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("qwen2-vl-2b")]
    [InlineData("qwen2.5-vl-3b")]
    [InlineData("qwen2.5-vl-7b")]
    public void Config_ShapesAreConsistent(string preset)
    {
        var c = ModelPresets.Config(preset, preset == "tiny" ? new SpecialTokenIds(930, null, 2, 0, 3, 4, 5, 6, 7) : null);
        int hidden = (int)c["hidden_size"]!, heads = (int)c["num_attention_heads"]!, kv = (int)c["num_key_value_heads"]!;
        Assert.Equal(0, hidden % heads);
        Assert.Equal(0, heads % kv);
        Assert.Equal(hidden / heads / 2, c["rope_scaling"]!["mrope_section"]!.AsArray().Sum(x => (int)x!));
        var v = c["vision_config"]!;
        bool v25 = (string)c["model_type"]! == "qwen2_5_vl";
        int vWidth = v25 ? (int)v["hidden_size"]! : (int)v["embed_dim"]!;
        Assert.Equal(0, vWidth / (int)v["num_heads"]! % 4);   // 2-D rotary needs head size divisible by 4
        Assert.Equal(hidden, v25 ? (int)v["out_hidden_size"]! : (int)v["hidden_size"]!);
        if (v25) Assert.All(v["fullatt_block_indexes"]!.AsArray(), i => Assert.InRange((int)i!, 0, (int)v["depth"]! - 1));
    }

    [Fact]
    public void RealPresets_CarryThePublishedHubShapes()
    {
        var q2 = ModelPresets.Config("qwen2-vl-2b");
        Assert.Equal((1536, 8960, 28, 12, 2, 151936, true), ((int)q2["hidden_size"]!, (int)q2["intermediate_size"]!, (int)q2["num_hidden_layers"]!,
            (int)q2["num_attention_heads"]!, (int)q2["num_key_value_heads"]!, (int)q2["vocab_size"]!, (bool)q2["tie_word_embeddings"]!));
        Assert.Equal((32, 1280, 4, 16), ((int)q2["vision_config"]!["depth"]!, (int)q2["vision_config"]!["embed_dim"]!, (int)q2["vision_config"]!["mlp_ratio"]!, (int)q2["vision_config"]!["num_heads"]!));
        var q7 = ModelPresets.Config("qwen2.5-vl-7b");
        Assert.Equal((3584, 18944, 28, 28, 4, 152064, false), ((int)q7["hidden_size"]!, (int)q7["intermediate_size"]!, (int)q7["num_hidden_layers"]!,
            (int)q7["num_attention_heads"]!, (int)q7["num_key_value_heads"]!, (int)q7["vocab_size"]!, (bool)q7["tie_word_embeddings"]!));
        Assert.Equal(3420, (int)q7["vision_config"]!["intermediate_size"]!);
        var q3 = ModelPresets.Config("qwen2.5-vl-3b");
        Assert.Equal((2048, 11008, 36, 16, 2), ((int)q3["hidden_size"]!, (int)q3["intermediate_size"]!, (int)q3["num_hidden_layers"]!, (int)q3["num_attention_heads"]!, (int)q3["num_key_value_heads"]!));
        Assert.Equal(151655, (int)q3["image_token_id"]!);
        Assert.Throws<ArgumentException>(() => ModelPresets.Config("qwen9-vl-1t"));
    }

    [Fact]
    public void SpecialIds_ComeFromTheTokenizerJson()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-preset-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string[] specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];
            var added = new JsonArray(specials.Select((s, i) => (JsonNode?)new JsonObject { ["id"] = i, ["content"] = s, ["special"] = true }).ToArray());
            var vocab = new JsonObject { ["a"] = 8, ["b"] = 9, ["ab"] = 41 };
            string path = Path.Combine(dir, "tokenizer.json");
            File.WriteAllText(path, new JsonObject { ["added_tokens"] = added, ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab } }.ToJsonString());
            var ids = ModelPresets.FromTokenizerJson(path);
            Assert.Equal(new SpecialTokenIds(42, null, 2, 0, 3, 4, 5, 6, 7), ids);
            var c = ModelPresets.Config("tiny", ids);
            Assert.Equal((42, 6, 3, 2), ((int)c["vocab_size"]!, (int)c["image_token_id"]!, (int)c["vision_start_token_id"]!, (int)c["eos_token_id"]!));
            File.WriteAllText(path, new JsonObject { ["added_tokens"] = new JsonArray(), ["model"] = new JsonObject { ["vocab"] = vocab.DeepClone() } }.ToJsonString());
            Assert.Contains("'<|im_end|>' is missing", Assert.Throws<InvalidDataException>(() => ModelPresets.FromTokenizerJson(path)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Qwen2-VL's smart_resize (image_processing_qwen2_vl.py): multiples of 28 within [min, max] pixels.</summary>
    static (int H, int W) SmartResize(int h, int w, int min, int max, int factor = 28)
    {
        int hb = Math.Max(factor, (int)Math.Round(h / (double)factor) * factor), wb = Math.Max(factor, (int)Math.Round(w / (double)factor) * factor);
        if ((long)hb * wb > max)
        {
            double beta = Math.Sqrt(h * (double)w / max);
            hb = Math.Max(factor, (int)Math.Floor(h / beta / factor) * factor); wb = Math.Max(factor, (int)Math.Floor(w / beta / factor) * factor);
        }
        else if ((long)hb * wb < min)
        {
            double beta = Math.Sqrt(min / (h * (double)w));
            hb = (int)Math.Ceiling(h * beta / factor) * factor; wb = (int)Math.Ceiling(w * beta / factor) * factor;
        }
        return (hb, wb);
    }

    [Theory]
    [InlineData(56, 56, 4)]
    [InlineData(84, 84, 9)]
    [InlineData(112, 112, 16)]
    [InlineData(224, 112, 16)]
    [InlineData(28, 56, 4)]
    public void TinyPreprocessor_KeepsSyntheticImagesToAFewTokens(int side, int resized, int mergedTokens)
    {
        var p = ModelPresets.Preprocessor("tiny");
        var (h, w) = SmartResize(side, side, (int)p["min_pixels"]!, (int)p["max_pixels"]!);
        Assert.Equal((resized, resized), (h, w));
        Assert.Equal(mergedTokens, h / 14 * (w / 14) / 4);
        Assert.Equal("Qwen2VLImageProcessor", (string)p["image_processor_type"]!);
    }

    [Fact]
    public void Preprocessor_WithStatisticsAndAnImageSide_IsReadBackByTheImageProcessor()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-preproc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var stats = new ChannelStatistics([0.91f, 0.9f, 0.87654321f], [0.21f, 0.2f, 0.05f]);
            ModelPresets.WritePreprocessor(dir, "tiny", stats, imageSide: 84);
            var o = QwenImageProcessor.FromFile(Path.Combine(dir, "preprocessor_config.json")).Options;
            Assert.Equal(stats.Mean, o.ImageMean);
            Assert.Equal(stats.Std, o.ImageStd);
            Assert.Equal((84 * 84, 84 * 84), (o.MinPixels, o.MaxPixels));   // every image keeps its size
        }
        finally { Directory.Delete(dir, true); }
        Assert.Throws<ArgumentException>(() => ModelPresets.Preprocessor("tiny", imageSide: 100));
    }

    [Theory]
    [InlineData("tiny")]
    [InlineData("qwen2-vl-2b")]
    public void Preprocessor_WithoutStatistics_CarriesClipsPublishedDecimals(string preset)
    {
        string json = ModelPresets.Preprocessor(preset).ToJsonString();
        Assert.Contains("\"image_mean\":[0.48145466,0.4578275,0.40821073]", json);
        Assert.Contains("\"image_std\":[0.26862954,0.26130258,0.27577711]", json);
    }
}
