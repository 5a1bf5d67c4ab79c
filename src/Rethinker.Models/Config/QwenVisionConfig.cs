// The nested `vision_config` of Qwen2-VL / Qwen2.5-VL, normalised: the two families name their widths
// differently. Qwen2-VL: `embed_dim` = vision width, `hidden_size` = LLM width, MLP = embed_dim × mlp_ratio.
// Qwen2.5-VL: `hidden_size` = vision width, `out_hidden_size` = LLM width, `intermediate_size` = MLP width.
// Defaults are HF transformers 4.50's config-class defaults (used when a hub file omits a key).
namespace Rethinker.Models.Config;

public sealed class QwenVisionConfig
{
    public int Depth { get; }
    /// <summary>Width of the vision blocks (Qwen2-VL embed_dim, Qwen2.5-VL hidden_size).</summary>
    public int Width { get; }
    public int NumHeads { get; }
    public int HeadDim => Width / NumHeads;
    /// <summary>Hidden width of a vision block MLP.</summary>
    public int MlpHidden { get; }
    /// <summary>Width the patch merger outputs: the LLM hidden size.</summary>
    public int OutHidden { get; }
    public int PatchSize { get; }
    public int TemporalPatchSize { get; }
    public int SpatialMergeSize { get; }
    public int InChannels { get; }
    public string HiddenAct { get; }
    /// <summary>Qwen2.5-VL: window side in pixels (0 for Qwen2-VL); windows hold (WindowSize / merge / patch)² merged tokens.</summary>
    public int WindowSize { get; }
    /// <summary>Qwen2.5-VL: blocks that attend over the whole image; the rest attend within windows.</summary>
    public int[] FullAttBlockIndexes { get; }
    public double TokensPerSecond { get; }

    /// <summary>One flattened patch: channels × temporal × patch × patch (1176 for the hub models).</summary>
    public int PatchDim => InChannels * TemporalPatchSize * PatchSize * PatchSize;
    public int MergeUnit => SpatialMergeSize * SpatialMergeSize;

    internal QwenVisionConfig(QwenVlArchitecture arch, JsonConfigReader v, string source)
    {
        Depth = v.Int("depth", 32);
        NumHeads = v.Int("num_heads", 16);
        PatchSize = v.Int("patch_size", 14);
        TemporalPatchSize = v.Int("temporal_patch_size", 2);
        SpatialMergeSize = v.Int("spatial_merge_size", 2);
        InChannels = v.Int("in_channels", 3);
        if (arch == QwenVlArchitecture.Qwen2VL)
        {
            Width = v.Int("embed_dim", 1280);
            OutHidden = v.Int("hidden_size", 3584);
            MlpHidden = checked(Width * v.Int("mlp_ratio", 4));
            HiddenAct = v.String("hidden_act", "quick_gelu");
            WindowSize = 0;
            FullAttBlockIndexes = [];
            TokensPerSecond = 0;
        }
        else
        {
            Width = v.Int("hidden_size", 3584);
            OutHidden = v.Int("out_hidden_size", 3584);
            MlpHidden = v.Int("intermediate_size", 3420);
            HiddenAct = v.String("hidden_act", "silu");
            WindowSize = v.Int("window_size", 112);
            FullAttBlockIndexes = v.IntArray("fullatt_block_indexes", [7, 15, 23, 31]);
            TokensPerSecond = v.Double("tokens_per_second", 4);
        }
        foreach (var (val, key) in new[] { (Depth, "depth"), (NumHeads, "num_heads"), (PatchSize, "patch_size"), (TemporalPatchSize, "temporal_patch_size"),
                     (SpatialMergeSize, "spatial_merge_size"), (InChannels, "in_channels"), (Width, "width"), (OutHidden, "out width"), (MlpHidden, "mlp width") })
            if (val <= 0) throw new InvalidDataException($"{source}: vision_config {key} must be positive, got {val}");
        if (Width % NumHeads != 0 || HeadDim % 4 != 0)
            throw new InvalidDataException($"{source}: vision width {Width} / num_heads {NumHeads} must give a head size divisible by 4 (2-D rotary), got {Width / (double)NumHeads}");
        if (arch == QwenVlArchitecture.Qwen2_5VL && WindowSize < SpatialMergeSize * PatchSize)
            throw new InvalidDataException($"{source}: 'vision_config.window_size' {WindowSize} must be at least spatial_merge_size × patch_size = {SpatialMergeSize * PatchSize} pixels");
        foreach (int i in FullAttBlockIndexes)
            if (i < 0 || i >= Depth) throw new InvalidDataException($"{source}: 'vision_config.fullatt_block_indexes' holds {i}, outside 0..{Depth - 1}");
        if (arch == QwenVlArchitecture.Qwen2VL && HiddenAct != "quick_gelu")
            throw new InvalidDataException($"{source}: 'vision_config.hidden_act' '{HiddenAct}' is not supported for qwen2_vl (quick_gelu)");
        if (arch == QwenVlArchitecture.Qwen2_5VL && HiddenAct != "silu")
            throw new InvalidDataException($"{source}: 'vision_config.hidden_act' '{HiddenAct}' is not supported for qwen2_5_vl (silu)");
    }
}
