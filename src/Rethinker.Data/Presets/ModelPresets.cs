// Model presets for `rethinker model init`: config.json and preprocessor_config.json in Hugging Face layout.
// "tiny" is a Qwen2.5-VL-architecture model sized for the synthetic tasks on two CPU cores (≈1M parameters,
// a 112 px image → 8×8 patches → 16 merged image tokens); the others carry the published shapes of
// Qwen2-VL-2B-Instruct, Qwen2.5-VL-3B-Instruct and Qwen2.5-VL-7B-Instruct (config.json on the hub).
using System.Text.Json;
using System.Text.Json.Nodes;
using Rethinker.Models.Imaging;

namespace Rethinker.Data.Presets;

/// <summary>Special-token ids a config needs; the hub models' ids by default, or those of a trained tokenizer.</summary>
public sealed record SpecialTokenIds(int Vocab, int? Bos, int Eos, int? Pad, int VisionStart, int VisionEnd, int VisionPad, int ImagePad, int VideoPad)
{
    public static readonly SpecialTokenIds Qwen2 = new(151936, 151643, 151645, 151643, 151652, 151653, 151654, 151655, 151656);
}

public static class ModelPresets
{
    public static readonly IReadOnlyList<string> Names = ["tiny", "qwen2-vl-2b", "qwen2.5-vl-3b", "qwen2.5-vl-7b"];

    /// <summary>Text decoder and vision tower sizes of one preset.</summary>
    public sealed record Shape(string Arch, int Hidden, int Intermediate, int Layers, int Heads, int KvHeads, int[] MropeSection, bool Tie, int MaxPositions,
        int VDepth, int VWidth, int VHeads, int VIntermediate, int[] FullAtt, int Vocab, int? MinPixels, int? MaxPixels);

    public static Shape Of(string preset) => preset switch
    {
        // Tiny: 4 decoder layers of width 128 (4 heads of 32, 2 KV heads; mrope 4+6+6 = 32/2), a 2-block vision tower of width 64
        // with the second block global and the first windowed (112 px windows = the whole 112 px image). Vocab comes from the tokenizer.
        "tiny" => new("qwen2_5_vl", 128, 384, 4, 4, 2, [4, 6, 6], true, 4096, 2, 64, 2, 128, [1], 0, 56 * 56, 112 * 112),
        "qwen2-vl-2b" => new("qwen2_vl", 1536, 8960, 28, 12, 2, [16, 24, 24], true, 32768, 32, 1280, 16, 5120, [], 151936, null, null),
        "qwen2.5-vl-3b" => new("qwen2_5_vl", 2048, 11008, 36, 16, 2, [16, 24, 24], true, 128000, 32, 1280, 16, 3420, [7, 15, 23, 31], 151936, null, null),
        "qwen2.5-vl-7b" => new("qwen2_5_vl", 3584, 18944, 28, 28, 4, [16, 24, 24], false, 128000, 32, 1280, 16, 3420, [7, 15, 23, 31], 152064, null, null),
        _ => throw new ArgumentException($"unknown preset '{preset}'; known: {string.Join(", ", Names)}"),
    };

    /// <summary>config.json of <paramref name="preset"/>; the tiny preset takes its vocabulary and special ids from <paramref name="ids"/>.</summary>
    public static JsonObject Config(string preset, SpecialTokenIds? ids = null)
    {
        var s = Of(preset);
        ids ??= SpecialTokenIds.Qwen2;
        int vocab = s.Vocab > 0 ? Math.Max(s.Vocab, ids.Vocab) : ids.Vocab;
        bool v25 = s.Arch == "qwen2_5_vl";
        var vision = v25
            ? new JsonObject
            {
                ["depth"] = s.VDepth, ["hidden_act"] = "silu", ["hidden_size"] = s.VWidth, ["intermediate_size"] = s.VIntermediate, ["num_heads"] = s.VHeads,
                ["in_chans"] = 3, ["out_hidden_size"] = s.Hidden, ["patch_size"] = 14, ["spatial_merge_size"] = 2, ["spatial_patch_size"] = 14,
                ["window_size"] = 112, ["fullatt_block_indexes"] = new JsonArray(s.FullAtt.Select(i => (JsonNode?)i).ToArray()),
                ["tokens_per_second"] = 2, ["temporal_patch_size"] = 2,
            }
            : new JsonObject
            {
                ["depth"] = s.VDepth, ["embed_dim"] = s.VWidth, ["mlp_ratio"] = s.VIntermediate / s.VWidth, ["num_heads"] = s.VHeads, ["in_chans"] = 3,
                ["hidden_size"] = s.Hidden, ["patch_size"] = 14, ["spatial_merge_size"] = 2, ["spatial_patch_size"] = 14, ["temporal_patch_size"] = 2,
            };
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(v25 ? "Qwen2_5_VLForConditionalGeneration" : "Qwen2VLForConditionalGeneration"),
            ["model_type"] = s.Arch, ["attention_dropout"] = 0.0, ["hidden_act"] = "silu",
            ["hidden_size"] = s.Hidden, ["intermediate_size"] = s.Intermediate, ["num_hidden_layers"] = s.Layers,
            ["num_attention_heads"] = s.Heads, ["num_key_value_heads"] = s.KvHeads, ["initializer_range"] = 0.02,
            ["max_position_embeddings"] = s.MaxPositions, ["max_window_layers"] = s.Layers, ["rms_norm_eps"] = 1e-6, ["rope_theta"] = 1000000.0,
            ["sliding_window"] = s.MaxPositions, ["use_sliding_window"] = false, ["tie_word_embeddings"] = s.Tie, ["use_cache"] = true,
            ["vocab_size"] = vocab, ["eos_token_id"] = ids.Eos,
            ["vision_start_token_id"] = ids.VisionStart, ["vision_end_token_id"] = ids.VisionEnd, ["vision_token_id"] = ids.VisionPad,
            ["image_token_id"] = ids.ImagePad, ["video_token_id"] = ids.VideoPad,
            ["rope_scaling"] = new JsonObject { ["type"] = "mrope", ["mrope_section"] = new JsonArray(s.MropeSection.Select(i => (JsonNode?)i).ToArray()) },
            ["vision_config"] = vision,
        };
        if (ids.Bos is int bos) config["bos_token_id"] = bos;
        if (ids.Pad is int pad) config["pad_token_id"] = pad;
        return config;
    }

    /// <summary>preprocessor_config.json (Qwen2VLImageProcessor), the one writer for `model init` and the quickstart.
    /// Pixel range: tiny 56² … 112², so a synthetic image is 16–64 patches; <paramref name="imageSide"/> pins it to side²
    /// (min = max) so every image keeps its size. image_mean / image_std: <paramref name="stats"/> (a tiny model's own
    /// training images: see <see cref="ChannelStatistics"/> for why), or null for CLIP's, which pretrained towers expect.</summary>
    public static JsonObject Preprocessor(string preset, ChannelStatistics? stats = null, int? imageSide = null, int patchSize = 14)
    {
        var s = Of(preset);
        if (patchSize <= 0) throw new ArgumentException($"patch size must be positive, got {patchSize}");
        if (imageSide is int side && (side <= 0 || side % (2 * patchSize) != 0))
            throw new ArgumentException($"image side must be a positive multiple of {2 * patchSize} (patch × merge), got {side}");
        JsonArray Floats(float[] v) => new(v.Select(x => (JsonNode?)x).ToArray());
        return new JsonObject
        {
            ["image_processor_type"] = "Qwen2VLImageProcessor", ["processor_class"] = s.Arch == "qwen2_vl" ? "Qwen2VLProcessor" : "Qwen2_5_VLProcessor",
            ["do_resize"] = true, ["do_rescale"] = true, ["rescale_factor"] = 1.0 / 255, ["do_normalize"] = true, ["do_convert_rgb"] = true,
            // CLIP's as the published decimals (doubles), not as floats that would print other digits.
            ["image_mean"] = stats is null ? new JsonArray(0.48145466, 0.4578275, 0.40821073) : Floats(stats.Mean),
            ["image_std"] = stats is null ? new JsonArray(0.26862954, 0.26130258, 0.27577711) : Floats(stats.Std),
            ["resample"] = 3, ["patch_size"] = patchSize, ["temporal_patch_size"] = 2, ["merge_size"] = 2,
            ["min_pixels"] = imageSide * imageSide ?? s.MinPixels ?? 56 * 56, ["max_pixels"] = imageSide * imageSide ?? s.MaxPixels ?? 28 * 28 * 16384,
        };
    }

    /// <summary>Writes <see cref="Preprocessor"/> as DIR/preprocessor_config.json.</summary>
    public static void WritePreprocessor(string directory, string preset, ChannelStatistics? stats = null, int? imageSide = null, int patchSize = 14) =>
        File.WriteAllText(Path.Combine(directory, "preprocessor_config.json"),
            Preprocessor(preset, stats, imageSide, patchSize).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>Special ids from a tokenizer.json: its added tokens by content, vocabulary = highest id + 1.</summary>
    public static SpecialTokenIds FromTokenizerJson(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        var added = (root["added_tokens"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(t => (string?)t["content"] ?? "", t => (int)t["id"]!);
        int maxVocab = (root["model"]?["vocab"] as JsonObject)?.Select(kv => (int)kv.Value!).DefaultIfEmpty(-1).Max() ?? -1;
        int vocab = Math.Max(maxVocab, added.Values.DefaultIfEmpty(-1).Max()) + 1;
        int Need(string token) => added.TryGetValue(token, out int id) ? id
            : throw new InvalidDataException($"{path}: special token '{token}' is missing; expected the Qwen special tokens (train with `rethinker tokenizer train`, which adds them)");
        int? Maybe(string token) => added.TryGetValue(token, out int id) ? id : null;
        return new SpecialTokenIds(vocab, null, Need("<|im_end|>"), Maybe("<|endoftext|>"), Need("<|vision_start|>"), Need("<|vision_end|>"),
            Need("<|vision_pad|>"), Need("<|image_pad|>"), Maybe("<|video_pad|>") ?? Need("<|image_pad|>"));
    }
}
