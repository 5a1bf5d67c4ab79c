// Fused RMSNorm and LayerNorm over one row (the last axis), forward and accumulate-backward (RMSNorm's dx can also be
// written instead of accumulated, for a fresh gradient buffer), on Vector512/256.
// RMSNorm (Qwen2RMSNorm): y = x·r·w, r = 1/√(mean(x²)+eps). Backward with x̂ = x·r, g = dy⊙w:
//   dx += r·(g − x̂·mean(g⊙x̂)), dw += dy⊙x̂.
// LayerNorm (biased variance, as torch): y = (x−μ)·r·w + b; dx += r·(g − mean(g) − x̂·mean(g⊙x̂)), dw += dy⊙x̂, db += dy.
// Scalar twins: Kernels/Reference/NormReference.cs.
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public static class NormRows
{
    /// <summary>Returns r = 1/√(mean(x²)+eps).</summary>
    public static float RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float eps, Span<float> y)
    {
        int n = x.Length;
        if (w.Length != n || y.Length != n) throw new ArgumentException("NormRows.RmsNorm: lengths differ");
        float r = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(x) / Math.Max(1, n) + eps);
        int i = Simd.Width switch
        {
            SimdWidth.V512 => ScaleMulV<Simd512, Vector512<float>>(x, w, r, y),
            SimdWidth.V256 => ScaleMulV<Simd256, Vector256<float>>(x, w, r, y),
            _ => 0,
        };
        for (; i < n; i++) y[i] = x[i] * r * w[i];
        return r;
    }

    static int ScaleMulV<O, V>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float r, Span<float> y) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        var rv = O.Splat(r);
        for (; i <= n; i += O.Count) O.Store(O.Mul(O.Mul(O.Load(x, i), rv), O.Load(w, i)), y, i);
        return i;
    }

    /// <summary>dx and dw may be empty (not wanted). accumulateDx false: dx is written (=), its old contents ignored.</summary>
    public static void RmsNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float r, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, bool accumulateDx = true)
    {
        int n = x.Length;
        if (w.Length != n || dy.Length != n || (!dx.IsEmpty && dx.Length != n) || (!dw.IsEmpty && dw.Length != n))
            throw new ArgumentException("NormRows.RmsNormBackward: lengths differ");
        if (n == 0) return;
        // mean(g⊙x̂) = r·Σ dy·w·x / n
        float m = dx.IsEmpty ? 0f : r * Dot3(dy, w, x) / n;
        float c = r * r * m;
        int i = Simd.Width switch
        {
            SimdWidth.V512 => RmsBackV<Simd512, Vector512<float>>(x, w, r, c, dy, dx, dw, accumulateDx),
            SimdWidth.V256 => RmsBackV<Simd256, Vector256<float>>(x, w, r, c, dy, dx, dw, accumulateDx),
            _ => 0,
        };
        for (; i < n; i++)
        {
            if (!dx.IsEmpty) dx[i] = (accumulateDx ? dx[i] : 0f) + (r * dy[i] * w[i] - c * x[i]);
            if (!dw.IsEmpty) dw[i] += dy[i] * x[i] * r;
        }
    }

    static int RmsBackV<O, V>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float r, float c, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, bool accumulate) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        V rv = O.Splat(r), cv = O.Splat(c), zero = O.Splat(0f);
        bool wantX = !dx.IsEmpty, wantW = !dw.IsEmpty;
        for (; i <= n; i += O.Count)
        {
            V xv = O.Load(x, i), gv = O.Mul(O.Load(dy, i), rv);
            if (wantX) O.Store(O.Sub(O.Fma(gv, O.Load(w, i), accumulate ? O.Load(dx, i) : zero), O.Mul(cv, xv)), dx, i);
            if (wantW) O.Store(O.Fma(gv, xv, O.Load(dw, i)), dw, i);
        }
        return i;
    }

    /// <summary>Σ a·b·c.</summary>
    static float Dot3(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        float s = 0;
        int i = Simd.Width switch
        {
            SimdWidth.V512 => Dot3V<Simd512, Vector512<float>>(a, b, c, ref s),
            SimdWidth.V256 => Dot3V<Simd256, Vector256<float>>(a, b, c, ref s),
            _ => 0,
        };
        for (; i < a.Length; i++) s += a[i] * b[i] * c[i];
        return s;
    }

    static int Dot3V<O, V>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ref float s) where O : ISimd<V> where V : struct
    {
        int n = a.Length - O.Count, i = 0;
        V acc = O.Splat(0f);
        for (; i <= n; i += O.Count) acc = O.Fma(O.Mul(O.Load(a, i), O.Load(b, i)), O.Load(c, i), acc);
        s += O.Sum(acc);
        return i;
    }

    /// <summary>Returns (mean, r = 1/√(var+eps)). b may be empty (no bias).</summary>
    public static (float Mean, float R) LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps, Span<float> y)
    {
        int n = x.Length;
        if (w.Length != n || y.Length != n || (!b.IsEmpty && b.Length != n)) throw new ArgumentException("NormRows.LayerNorm: lengths differ");
        if (n == 0) return (0f, 1f / MathF.Sqrt(eps));
        float mean = TensorPrimitives.Sum(x) / n;
        float var = 0;
        int i = Simd.Width switch
        {
            SimdWidth.V512 => CenteredSquaresV<Simd512, Vector512<float>>(x, mean, ref var),
            SimdWidth.V256 => CenteredSquaresV<Simd256, Vector256<float>>(x, mean, ref var),
            _ => 0,
        };
        for (; i < n; i++) { float d = x[i] - mean; var += d * d; }
        float r = 1f / MathF.Sqrt(var / n + eps);
        i = Simd.Width switch
        {
            SimdWidth.V512 => LnApplyV<Simd512, Vector512<float>>(x, w, b, mean, r, y),
            SimdWidth.V256 => LnApplyV<Simd256, Vector256<float>>(x, w, b, mean, r, y),
            _ => 0,
        };
        for (; i < n; i++) y[i] = (x[i] - mean) * r * w[i] + (b.IsEmpty ? 0f : b[i]);
        return (mean, r);
    }

    static int CenteredSquaresV<O, V>(ReadOnlySpan<float> x, float mean, ref float s) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        V acc = O.Splat(0f), m = O.Splat(mean);
        for (; i <= n; i += O.Count) { var d = O.Sub(O.Load(x, i), m); acc = O.Fma(d, d, acc); }
        s += O.Sum(acc);
        return i;
    }

    static int LnApplyV<O, V>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float mean, float r, Span<float> y)
        where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        V m = O.Splat(mean), rv = O.Splat(r);
        bool hasB = !b.IsEmpty;
        for (; i <= n; i += O.Count)
        {
            var xh = O.Mul(O.Sub(O.Load(x, i), m), rv);
            O.Store(hasB ? O.Fma(xh, O.Load(w, i), O.Load(b, i)) : O.Mul(xh, O.Load(w, i)), y, i);
        }
        return i;
    }

    public static void LayerNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float mean, float r, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db)
    {
        int n = x.Length;
        if (w.Length != n || dy.Length != n || (!dx.IsEmpty && dx.Length != n) || (!dw.IsEmpty && dw.Length != n) || (!db.IsEmpty && db.Length != n))
            throw new ArgumentException("NormRows.LayerNormBackward: lengths differ");
        if (n == 0) return;
        float mg = 0, mgx = 0;
        if (!dx.IsEmpty)
        {
            // Σ g and Σ g·x̂ with g = dy⊙w, x̂ = (x − μ)·r
            float sg = TensorPrimitives.Dot(dy, w), sgx = r * (Dot3(dy, w, x) - mean * sg);
            mg = sg / n; mgx = sgx / n;
        }
        for (int i = 0; i < n; i++)
        {
            float xh = (x[i] - mean) * r;
            if (!dx.IsEmpty) dx[i] += r * (dy[i] * w[i] - mg - xh * mgx);
            if (!dw.IsEmpty) dw[i] += dy[i] * xh;
            if (!db.IsEmpty) db[i] += dy[i];
        }
    }
}
