// Rotary embedding of one head vector (HF rotate_half convention, Qwen2 apply_rotary_pos_emb):
// y = x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] with halves of D/2.
// So y[i] = x[i]c[i] − x[i+h]s[i], y[i+h] = x[i+h]c[i+h] + x[i]s[i+h]; backward is the transpose.
// Vector512/256 over the half index; scalar twin: Kernels/Reference/RopeReference.cs.
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public static class RopeRows
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> y)
    {
        int h = x.Length / 2;
        int i = Simd.Width switch
        {
            SimdWidth.V512 => ForwardV<Simd512, Vector512<float>>(x, c, s, y, h),
            SimdWidth.V256 => ForwardV<Simd256, Vector256<float>>(x, c, s, y, h),
            _ => 0,
        };
        for (; i < h; i++)
        {
            float a = x[i], b = x[i + h];
            y[i] = a * c[i] - b * s[i];
            y[i + h] = b * c[i + h] + a * s[i + h];
        }
    }

    static int ForwardV<O, V>(ReadOnlySpan<float> x, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> y, int h)
        where O : ISimd<V> where V : struct
    {
        int n = h - O.Count, i = 0;
        for (; i <= n; i += O.Count)
        {
            V a = O.Load(x, i), b = O.Load(x, i + h);
            O.Store(O.Sub(O.Mul(a, O.Load(c, i)), O.Mul(b, O.Load(s, i))), y, i);
            O.Store(O.Fma(b, O.Load(c, i + h), O.Mul(a, O.Load(s, i + h))), y, i + h);
        }
        return i;
    }

    /// <summary>dx += Rᵀ·dy (accumulate false: dx = Rᵀ·dy).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> dx, bool accumulate = true)
    {
        int h = dy.Length / 2;
        int i = Simd.Width switch
        {
            SimdWidth.V512 => BackwardV<Simd512, Vector512<float>>(dy, c, s, dx, h, accumulate),
            SimdWidth.V256 => BackwardV<Simd256, Vector256<float>>(dy, c, s, dx, h, accumulate),
            _ => 0,
        };
        for (; i < h; i++)
        {
            float ga = dy[i], gb = dy[i + h];
            dx[i] = (accumulate ? dx[i] : 0f) + (ga * c[i] + gb * s[i + h]);
            dx[i + h] = (accumulate ? dx[i + h] : 0f) + (gb * c[i + h] - ga * s[i]);
        }
    }

    static int BackwardV<O, V>(ReadOnlySpan<float> dy, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> dx, int h, bool accumulate)
        where O : ISimd<V> where V : struct
    {
        int n = h - O.Count, i = 0;
        for (; i <= n; i += O.Count)
        {
            V ga = O.Load(dy, i), gb = O.Load(dy, i + h);
            V lo = O.Fma(ga, O.Load(c, i), O.Mul(gb, O.Load(s, i + h))), hi = O.Sub(O.Mul(gb, O.Load(c, i + h)), O.Mul(ga, O.Load(s, i)));
            O.Store(accumulate ? O.Add(O.Load(dx, i), lo) : lo, dx, i);
            O.Store(accumulate ? O.Add(O.Load(dx, i + h), hi) : hi, dx, i + h);
        }
        return i;
    }

    /// <summary>Gradients of the tables (rarely needed, scalar): dc += dy⊙x, ds += dy⊙rotate_half(x).</summary>
    public static void TableBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dc, Span<float> ds)
    {
        int h = x.Length / 2;
        for (int i = 0; i < h; i++)
        {
            if (!dc.IsEmpty) { dc[i] += dy[i] * x[i]; dc[i + h] += dy[i + h] * x[i + h]; }
            if (!ds.IsEmpty) { ds[i] -= dy[i] * x[i + h]; ds[i + h] += dy[i + h] * x[i]; }
        }
    }
}
