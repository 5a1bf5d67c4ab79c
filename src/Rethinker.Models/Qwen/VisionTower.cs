// The vision encoder `visual.*` of both families (HF Qwen2VisionTransformerPretrainedModel /
// Qwen2_5_VisionTransformerPretrainedModel): Conv3d patch embedding as a GEMM over flattened patches
// (kernel = stride, so each patch row [C·T·P·P] times the kernel viewed as [width, C·T·P·P]), 2-D rotary,
// blocks, patch merger. Qwen2.5-VL regroups merge units into windows before the blocks (windowed attention
// except at fullatt_block_indexes) and restores image order after the merger. Videos are not supported.
using Rethinker.Models.Config;
using Rethinker.Models.Modules;
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

/// <summary>Optional capture of intermediate activations (detached copies), named as in the fixtures.</summary>
public sealed class VisionTrace
{
    public Dictionary<string, float[]> Tensors { get; } = new(StringComparer.Ordinal);
    public int[] CuSeqlens { get; set; } = [];
    public int[] WindowIndex { get; set; } = [];
    public int[] CuWindowSeqlens { get; set; } = [];

    internal void Add(string name, Tensor t) => Tensors[name] = t.ToArray();
}

public sealed class VisionTower : ParamModule
{
    readonly QwenVlArchitecture _arch;
    readonly QwenVisionConfig _v;
    readonly Dense _patchEmbed;
    readonly ParamList<VisionBlock> _blocks;
    readonly PatchMerger _merger;

    public QwenVisionConfig Config => _v;

    public VisionTower(ModelBuild build, QwenVlArchitecture arch, QwenVisionConfig v) : base(build)
    {
        _arch = arch;
        _v = v;
        var pe = Child("patch_embed", new ParamList<Dense>(build));
        _patchEmbed = pe.AddNamed("proj", new Dense(build, v.PatchDim, v.Width, bias: false,
            weightShape: [v.Width, v.InChannels, v.TemporalPatchSize, v.PatchSize, v.PatchSize]));
        _blocks = Child("blocks", new ParamList<VisionBlock>(build));
        for (int i = 0; i < v.Depth; i++)
            _blocks.Add(arch == QwenVlArchitecture.Qwen2VL ? new Qwen2VisionBlock(build, v) : new Qwen25VisionBlock(build, v));
        _merger = Child("merger", new PatchMerger(build, arch, v));
    }

    /// <summary>pixelValues [N, PatchDim] (patches in processor order) → image embeddings [Σ merged tokens, OutHidden] in image order.</summary>
    public Tensor Forward(Tensor pixelValues, IReadOnlyList<GridThw> grids, VisionTrace? trace = null)
    {
        EnsureReal();
        foreach (var g in grids) g.Validate(_v.SpatialMergeSize, "image_grid_thw");
        int n = grids.Sum(g => g.Patches);
        if (pixelValues.Rank != 2 || pixelValues.Dim(0) != n || pixelValues.Dim(1) != _v.PatchDim)
            throw new ArgumentException(
                $"pixel_values must be [{n}, {_v.PatchDim}] for image_grid_thw [{string.Join(", ", grids.Select(g => $"[{g.T}, {g.H}, {g.W}]"))}], got [{string.Join(", ", pixelValues.Shape)}]");
        int unit = _v.MergeUnit;
        int[] cuSeqlens = VisionIndexing.CuSeqlens(grids);
        int[] hw = VisionIndexing.RotaryPositions(grids, _v.SpatialMergeSize);
        if (trace is not null) trace.CuSeqlens = cuSeqlens;

        var x = _patchEmbed.Forward(pixelValues);                    // [N, C]
        trace?.Add("vision.patch_embed_out", x);

        int[] windowIndex = [], cuWindow = [], patchOrder = [];
        if (_arch == QwenVlArchitecture.Qwen2_5VL)
        {
            (windowIndex, cuWindow) = VisionIndexing.WindowIndex(grids, _v.WindowSize, _v.SpatialMergeSize, _v.PatchSize);
            patchOrder = new int[n];                                  // patch rows in window order, merge units kept whole
            for (int i = 0; i < windowIndex.Length; i++)
                for (int j = 0; j < unit; j++) patchOrder[i * unit + j] = windowIndex[i] * unit + j;
            var ordered = Ops.IndexSelect(x, 0, patchOrder);
            Scratch.Free(x);
            x = ordered;
            if (trace is not null) { trace.WindowIndex = windowIndex; trace.CuWindowSeqlens = cuWindow; }
        }
        var (cos, sin) = RotaryTables.Vision(hw, _v.HeadDim, patchOrder);
        for (int i = 0; i < _blocks.Count; i++)
        {
            bool windowed = _arch == QwenVlArchitecture.Qwen2_5VL && Array.IndexOf(_v.FullAttBlockIndexes, i) < 0;
            var next = _blocks[i].Forward(x, cos, sin, windowed ? cuWindow : cuSeqlens);
            Scratch.Free(x);
            x = next;
            trace?.Add($"vision.block{i}_out", x);
        }
        var merged = _merger.Forward(x);                              // [N/unit, OutHidden]
        Scratch.Free(x, cos, sin);
        trace?.Add("vision.merger_out", merged);
        if (_arch == QwenVlArchitecture.Qwen2_5VL)
        {
            var restored = Ops.IndexSelect(merged, 0, VisionIndexing.Inverse(windowIndex));
            Scratch.Free(merged);
            merged = restored;
        }
        return merged;
    }
}
