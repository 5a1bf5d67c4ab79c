// Small accumulate-backward kernels of the unary ops (dx += …), on Vector512/256 with a scalar tail.
// Scalar twins: Kernels/Reference/ElementwiseReference.cs.
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public enum AccKind
{
    /// <summary>dx += dy / x (log).</summary>
    Div,
    /// <summary>dx += s·dy / y (sqrt, s = ½).</summary>
    DivScaled,
    /// <summary>dx += −½·dy·y³ (rsqrt).</summary>
    Rsqrt,
    /// <summary>dx += s·dy·x (square, s = 2).</summary>
    MulScaled,
}

public static class ElementwiseRows
{
    public static void Accumulate(AccKind kind, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float s, Span<float> dx)
    {
        if (dy.Length != dx.Length || x.Length != dx.Length) throw new ArgumentException("ElementwiseRows.Accumulate: lengths differ");
        int i = Simd.Width switch
        {
            SimdWidth.V512 => AccV<Simd512, Vector512<float>>(kind, dy, x, s, dx),
            SimdWidth.V256 => AccV<Simd256, Vector256<float>>(kind, dy, x, s, dx),
            _ => 0,
        };
        for (; i < dx.Length; i++)
            dx[i] += kind switch
            {
                AccKind.Div => dy[i] / x[i],
                AccKind.DivScaled => s * dy[i] / x[i],
                AccKind.Rsqrt => -0.5f * dy[i] * x[i] * x[i] * x[i],
                _ => s * dy[i] * x[i],
            };
    }

    static int AccV<O, V>(AccKind kind, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float s, Span<float> dx) where O : ISimd<V> where V : struct
    {
        int n = dx.Length - O.Count, i = 0;
        var sv = O.Splat(s);
        for (; i <= n; i += O.Count)
        {
            V g = O.Load(dy, i), xv = O.Load(x, i), d = O.Load(dx, i);
            d = kind switch
            {
                AccKind.Div => O.Add(d, O.Div(g, xv)),
                AccKind.DivScaled => O.Add(d, O.Div(O.Mul(sv, g), xv)),
                AccKind.Rsqrt => O.Fma(O.Mul(O.Splat(-0.5f), g), O.Mul(O.Mul(xv, xv), xv), d),
                _ => O.Fma(O.Mul(sv, g), xv, d),
            };
            O.Store(d, dx, i);
        }
        return i;
    }

    /// <summary>dx += dy where lo ≤ x ≤ hi (clamp backward).</summary>
    public static void ClampBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float lo, float hi, Span<float> dx)
    {
        if (dy.Length != dx.Length || x.Length != dx.Length) throw new ArgumentException("ElementwiseRows.ClampBackward: lengths differ");
        int i = Simd.Width switch
        {
            SimdWidth.V512 => ClampV<Simd512, Vector512<float>>(x, dy, lo, hi, dx),
            SimdWidth.V256 => ClampV<Simd256, Vector256<float>>(x, dy, lo, hi, dx),
            _ => 0,
        };
        for (; i < dx.Length; i++) if (x[i] >= lo && x[i] <= hi) dx[i] += dy[i];
    }

    static int ClampV<O, V>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float lo, float hi, Span<float> dx) where O : ISimd<V> where V : struct
    {
        int n = dx.Length - O.Count, i = 0;
        for (; i <= n; i += O.Count)
            O.Store(O.Add(O.Load(dx, i), O.MaskInRange(O.Load(x, i), lo, hi, O.Load(dy, i))), dx, i);
        return i;
    }
}
