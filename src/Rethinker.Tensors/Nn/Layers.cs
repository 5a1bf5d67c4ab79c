// Leaf modules with HF parameter names: Linear ("weight" [out, in], "bias" [out]), Embedding ("weight" [V, C]),
// RmsNorm ("weight", ones; Qwen2RMSNorm), LayerNorm ("weight" ones, "bias" zeros; torch.nn.LayerNorm).
namespace Rethinker.Tensors.Nn;

public sealed class Linear : Module
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public int InFeatures { get; }
    public int OutFeatures { get; }

    public Linear(int inF, int outF, bool bias, Rng? rng = null)
    {
        if (inF <= 0 || outF <= 0) throw new ArgumentException($"Linear: features must be > 0, got in {inF}, out {outF}");
        InFeatures = inF; OutFeatures = outF;
        float bound = 1f / MathF.Sqrt(inF);
        Weight = Register("weight", Init.Uniform([outF, inF], bound, rng));
        if (bias) Bias = Register("bias", Init.Uniform([outF], bound, rng));
    }

    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);
}

public sealed class Embedding : Module
{
    public Tensor Weight { get; }
    public int NumEmbeddings { get; }
    public int Dim { get; }

    public Embedding(int numEmbeddings, int dim, float initStd = 0.02f, Rng? rng = null)
    {
        if (numEmbeddings <= 0 || dim <= 0) throw new ArgumentException($"Embedding: sizes must be > 0, got {numEmbeddings} × {dim}");
        NumEmbeddings = numEmbeddings; Dim = dim;
        Weight = Register("weight", Init.Normal([numEmbeddings, dim], initStd, rng));
    }

    public Tensor Forward(ReadOnlySpan<int> ids) => Ops.Embedding(Weight, ids);
}

public sealed class RmsNorm : Module
{
    public Tensor Weight { get; }
    public float Eps { get; }

    public RmsNorm(int dim, float eps = 1e-6f)
    {
        Eps = eps;
        Weight = Register("weight", Tensor.Ones(dim));
    }

    public Tensor Forward(Tensor x) => Ops.RmsNorm(x, Weight, Eps);
}

public sealed class LayerNorm : Module
{
    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public float Eps { get; }

    public LayerNorm(int dim, float eps = 1e-5f, bool bias = true)
    {
        Eps = eps;
        Weight = Register("weight", Tensor.Ones(dim));
        if (bias) Bias = Register("bias", Tensor.Zeros(dim));
    }

    public Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);
}
