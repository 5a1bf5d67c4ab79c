// How a model's parameters come to exist: allocated and initialised HF-style (normal(0, initializer_range)
// for Linear/Conv/Embedding weights, norms 1, biases 0, as Qwen2VLPreTrainedModel._init_weights), allocated
// as zeros (to be overwritten by a checkpoint), or meta: shapes recorded, nothing allocated (parameter lists of
// 7B/72B configs, memory estimates).
using Rethinker.Tensors;

namespace Rethinker.Models.Modules;

public enum ParamInit { Normal, Ones, Zeros }

public sealed class ModelBuild
{
    readonly Rng? _rng;

    /// <summary>Shapes only: parameters are not allocated and forwards refuse to run.</summary>
    public bool Meta { get; }
    public float InitStd { get; }

    ModelBuild(bool meta, Rng? rng, float std)
    {
        Meta = meta;
        _rng = rng;
        InitStd = std;
    }

    /// <summary>Random HF-like initialisation from a seeded RNG.</summary>
    public static ModelBuild Random(ulong seed, float std) => new(false, new Rng(seed), std);

    /// <summary>Zero-filled parameters, to be overwritten by a checkpoint (no time spent on random numbers).</summary>
    public static ModelBuild ForLoading() => new(false, null, 0);

    public static ModelBuild MetaOnly() => new(true, null, 0);

    /// <summary>The shared stand-in every meta parameter points at (never read).</summary>
    internal static readonly Tensor MetaPlaceholder = Tensor.Zeros(1);

    internal Tensor Create(int[] shape, ParamInit init)
    {
        if (Meta) return MetaPlaceholder;
        var t = Tensor.Zeros(shape);
        if (_rng is null) return t;
        var s = t.Span;
        switch (init)
        {
            case ParamInit.Ones: s.Fill(1f); break;
            case ParamInit.Normal:
                for (int i = 0; i < s.Length; i++) s[i] = _rng.NextNormal() * InitStd;
                break;
        }
        return t;
    }
}
