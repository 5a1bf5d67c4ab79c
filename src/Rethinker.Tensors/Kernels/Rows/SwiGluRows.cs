// Fused SwiGLU: y = silu(g)·u (Qwen2 MLP). Backward: dg += dy·u·σ(g)(1 + g(1−σ(g))), du += dy·silu(g);
// σ is recomputed rather than stored. Scalar twin: Kernels/Reference/ActivationsReference.SwiGlu*.
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public static class SwiGluRows
{
    public static void Forward(ReadOnlySpan<float> g, ReadOnlySpan<float> u, Span<float> y)
    {
        if (g.Length != y.Length || u.Length != y.Length) throw new ArgumentException("SwiGluRows.Forward: lengths differ");
        int i = Simd.Width switch
        {
            SimdWidth.V512 => ForwardV<Simd512, Vector512<float>>(g, u, y),
            SimdWidth.V256 => ForwardV<Simd256, Vector256<float>>(g, u, y),
            _ => 0,
        };
        for (; i < y.Length; i++) y[i] = g[i] / (1f + MathF.Exp(-g[i])) * u[i];
    }

    static int ForwardV<O, V>(ReadOnlySpan<float> g, ReadOnlySpan<float> u, Span<float> y) where O : ISimd<V> where V : struct
    {
        int n = y.Length - O.Count, i = 0;
        for (; i <= n; i += O.Count)
        {
            var gv = O.Load(g, i);
            O.Store(O.Mul(O.Mul(gv, Activations.SigmoidV<O, V>(gv)), O.Load(u, i)), y, i);
        }
        return i;
    }

    /// <summary>Accumulates into dg and du (or writes them, accumulate false); either may be empty (no gradient wanted).</summary>
    public static void Backward(ReadOnlySpan<float> g, ReadOnlySpan<float> u, ReadOnlySpan<float> dy, Span<float> dg, Span<float> du,
        bool accumulate = true)
    {
        if (g.Length != dy.Length || u.Length != dy.Length || (!dg.IsEmpty && dg.Length != dy.Length) || (!du.IsEmpty && du.Length != dy.Length))
            throw new ArgumentException("SwiGluRows.Backward: lengths differ");
        if (dy.Length == 0) return;
        bool wantG = !dg.IsEmpty, wantU = !du.IsEmpty;
        int i = !(wantG && wantU) ? 0 : Simd.Width switch
        {
            SimdWidth.V512 => BackwardV<Simd512, Vector512<float>>(g, u, dy, dg, du, accumulate),
            SimdWidth.V256 => BackwardV<Simd256, Vector256<float>>(g, u, dy, dg, du, accumulate),
            _ => 0,
        };
        for (; i < dy.Length; i++)
        {
            float s = 1f / (1f + MathF.Exp(-g[i]));
            if (wantG) dg[i] = (accumulate ? dg[i] : 0f) + dy[i] * u[i] * s * (1f + g[i] * (1f - s));
            if (wantU) du[i] = (accumulate ? du[i] : 0f) + dy[i] * g[i] * s;
        }
    }

    static int BackwardV<O, V>(ReadOnlySpan<float> g, ReadOnlySpan<float> u, ReadOnlySpan<float> dy, Span<float> dg, Span<float> du, bool accumulate)
        where O : ISimd<V> where V : struct
    {
        int n = dy.Length - O.Count, i = 0;
        V one = O.Splat(1f), zero = O.Splat(0f);
        for (; i <= n; i += O.Count)
        {
            V gv = O.Load(g, i), s = Activations.SigmoidV<O, V>(gv), d = O.Load(dy, i);
            O.Store(O.Fma(O.Mul(d, O.Load(u, i)), O.Mul(s, O.Fma(gv, O.Sub(one, s), one)), accumulate ? O.Load(dg, i) : zero), dg, i);
            O.Store(O.Fma(d, O.Mul(gv, s), accumulate ? O.Load(du, i) : zero), du, i);
        }
        return i;
    }
}
