// Leaf layers with HF parameter names: Dense ("weight" [out, in], "bias" [out]) = torch.nn.Linear,
// Rms ("weight") = Qwen2RMSNorm, Norm ("weight", "bias") = torch.nn.LayerNorm, TokenEmbedding ("weight" [V, C]).
// Built through ModelBuild so they can be meta; the math is Rethinker.Tensors.Ops.
using Rethinker.Tensors;

namespace Rethinker.Models.Modules;

public sealed class Dense : ParamModule
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public int In { get; }
    public int Out { get; }

    /// <param name="weightShape">Stored shape when it is not [out, in] (Conv3d patch embedding [C, 3, 2, 14, 14]).</param>
    public Dense(ModelBuild build, int inF, int outF, bool bias, int[]? weightShape = null) : base(build)
    {
        In = inF;
        Out = outF;
        Weight = Param("weight", weightShape ?? [outF, inF], ParamInit.Normal);
        if (bias) Bias = Param("bias", [outF], ParamInit.Zeros);
    }

    public Tensor Forward(Tensor x)
    {
        EnsureReal();
        if (Weight.Rank == 2) return Ops.Linear(x, Weight, Bias);
        var w = Ops.Reshape(Weight, Out, In);   // free view of a conv kernel as [out, in] (kept alive for backward)
        return Ops.Linear(x, w, Bias);
    }
}

public sealed class Rms : ParamModule
{
    public Tensor Weight { get; }
    public float Eps { get; }

    public Rms(ModelBuild build, int dim, float eps) : base(build)
    {
        Eps = eps;
        Weight = Param("weight", [dim], ParamInit.Ones);
    }

    public Tensor Forward(Tensor x)
    {
        EnsureReal();
        return Ops.RmsNorm(x, Weight, Eps);
    }
}

public sealed class Norm : ParamModule
{
    public Tensor Weight { get; }
    public Tensor Bias { get; }
    public float Eps { get; }

    public Norm(ModelBuild build, int dim, float eps) : base(build)
    {
        Eps = eps;
        Weight = Param("weight", [dim], ParamInit.Ones);
        Bias = Param("bias", [dim], ParamInit.Zeros);
    }

    public Tensor Forward(Tensor x)
    {
        EnsureReal();
        return Ops.LayerNorm(x, Weight, Bias, Eps);
    }
}

public sealed class TokenEmbedding : ParamModule
{
    public Tensor Weight { get; }

    public TokenEmbedding(ModelBuild build, int vocab, int dim) : base(build) => Weight = Param("weight", [vocab, dim], ParamInit.Normal);

    public Tensor Forward(ReadOnlySpan<int> ids)
    {
        EnsureReal();
        return Ops.Embedding(Weight, ids);
    }
}
