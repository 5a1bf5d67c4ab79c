// Fused SwiGLU: y = silu(g)·u (Qwen2 MLP). Backward: dg += dy·u·σ(g)(1 + g(1-σ(g))), du += dy·silu(g);
// σ is recomputed rather than stored. Scalar twin: Kernels/Reference/SwiGluReference.cs.
namespace Rethinker.Tensors.Kernels.Rows;

public static class SwiGluRows
{
    public static void Forward(ReadOnlySpan<float> g, ReadOnlySpan<float> u, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = g[i] / (1f + MathF.Exp(-g[i])) * u[i];
    }

    /// <summary>Accumulates into dg and du; either may be empty (no gradient wanted).</summary>
    public static void Backward(ReadOnlySpan<float> g, ReadOnlySpan<float> u, ReadOnlySpan<float> dy, Span<float> dg, Span<float> du)
    {
        bool wantG = !dg.IsEmpty, wantU = !du.IsEmpty;
        for (int i = 0; i < dy.Length; i++)
        {
            float s = 1f / (1f + MathF.Exp(-g[i]));
            if (wantG) dg[i] += dy[i] * u[i] * s * (1f + g[i] * (1f - s));
            if (wantU) du[i] += dy[i] * g[i] * s;
        }
    }
}
