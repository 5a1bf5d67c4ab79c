// Default weight initialisation for modules built from scratch (checkpoints overwrite it): a process-wide seeded
// Rng so two runs build identical models. Linear: U(−1/√in, 1/√in) as torch.nn.Linear; Embedding: N(0, std).
namespace Rethinker.Tensors.Nn;

public static class Init
{
    static Rng _rng = new(0x5EED);
    static readonly Lock Gate = new();

    /// <summary>Reseeds the default initialisation stream.</summary>
    public static void Seed(ulong seed)
    {
        lock (Gate) _rng = new Rng(seed);
    }

    public static Tensor Uniform(int[] shape, float bound, Rng? rng = null)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        lock (Gate)
        {
            var r = rng ?? _rng;
            for (int i = 0; i < s.Length; i++) s[i] = (2f * r.NextUniform() - 1f) * bound;
        }
        return t;
    }

    public static Tensor Normal(int[] shape, float std, Rng? rng = null)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        lock (Gate)
        {
            var r = rng ?? _rng;
            for (int i = 0; i < s.Length; i++) s[i] = r.NextNormal() * std;
        }
        return t;
    }
}
