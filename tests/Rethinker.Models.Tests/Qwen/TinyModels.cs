// Tiny random configs of both families with sizes unlike the fixtures' (odd head counts, small patches,
// 2 KV heads vs 3 query heads, other windows), for gradient checks, save/load and training tests.
using System.Text.Json.Nodes;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Qwen;

internal static class TinyModels
{
    public const int ImageToken = 45, VisionStart = 41, VisionEnd = 42;

    public static QwenVlConfig Config(string arch, bool tied = false, int visionDepth = 2)
    {
        var vision = arch == "qwen2_vl"
            ? new JsonObject { ["depth"] = visionDepth, ["embed_dim"] = 24, ["num_heads"] = 3, ["mlp_ratio"] = 2, ["hidden_size"] = 24,
                ["patch_size"] = 2, ["temporal_patch_size"] = 2, ["spatial_merge_size"] = 2, ["in_channels"] = 3, ["hidden_act"] = "quick_gelu" }
            : new JsonObject { ["depth"] = visionDepth, ["hidden_size"] = 24, ["num_heads"] = 3, ["intermediate_size"] = 20, ["out_hidden_size"] = 24,
                ["patch_size"] = 2, ["temporal_patch_size"] = 2, ["spatial_merge_size"] = 2, ["in_channels"] = 3, ["hidden_act"] = "silu",
                ["window_size"] = 8, ["fullatt_block_indexes"] = new JsonArray(visionDepth - 1), ["tokens_per_second"] = 2 };
        var o = new JsonObject
        {
            ["model_type"] = arch, ["vocab_size"] = 48, ["hidden_size"] = 24, ["intermediate_size"] = 40, ["num_hidden_layers"] = 2,
            ["num_attention_heads"] = 3, ["num_key_value_heads"] = 1, ["rms_norm_eps"] = 1e-6, ["rope_theta"] = 10000.0,
            ["rope_scaling"] = new JsonObject { ["type"] = "mrope", ["mrope_section"] = new JsonArray(1, 2, 1) },
            ["tie_word_embeddings"] = tied, ["initializer_range"] = 0.2, ["bos_token_id"] = 40, ["eos_token_id"] = 43,
            ["image_token_id"] = ImageToken, ["video_token_id"] = 46, ["vision_start_token_id"] = VisionStart, ["vision_end_token_id"] = VisionEnd,
            ["vision_token_id"] = 44, ["vision_config"] = vision, ["some_future_key"] = "kept",
        };
        return QwenVlConfig.FromJson(o, $"tiny-{arch}");
    }

    /// <summary>Two packed sequences: the first with a 4×6-patch image and a 2×2 one, the second text-only.</summary>
    public static (QwenVlInputs Inputs, int[] Labels) Batch(QwenVlConfig c, ulong seed)
    {
        var rng = new Rng(seed);
        GridThw[] grids = [new(1, 4, 6), new(1, 2, 2)];
        var ids = new List<int> { 1, 2, VisionStart };
        ids.AddRange(Enumerable.Repeat(ImageToken, 6));
        ids.AddRange([VisionEnd, 3, VisionStart, ImageToken, VisionEnd, 4, 5, 6]);
        int first = ids.Count;
        ids.AddRange([7, 8, 9, 10, 11]);
        int[] inputIds = ids.ToArray();
        int patches = grids.Sum(g => g.Patches);
        var pv = new float[patches * c.Vision.PatchDim];
        for (int i = 0; i < pv.Length; i++) pv[i] = rng.NextNormal();
        var labels = inputIds.Select(id => id == ImageToken ? -100 : rng.NextInt(40)).ToArray();
        var inputs = new QwenVlInputs(inputIds, [0, first, inputIds.Length], Tensor.FromArray(pv, patches, c.Vision.PatchDim), grids);
        return (inputs, labels);
    }
}
