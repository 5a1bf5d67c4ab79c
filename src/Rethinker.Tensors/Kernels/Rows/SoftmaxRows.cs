// Row softmax / log-softmax over the last axis, max-subtracted (TensorPrimitives.SoftMax is not), and their
// accumulate-backward: softmax dx += y⊙(dy − ⟨dy, y⟩); log-softmax dx += dy − exp(y)·Σdy.
// Vector512/256 through ISimd, scalar tails. Scalar twins: Kernels/Reference/SoftmaxReference.cs.
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public static class SoftmaxRows
{
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("SoftmaxRows.Softmax: lengths differ");
        if (x.Length == 0) return;
        float max = TensorPrimitives.Max(x);
        float sum = ExpShifted(x, max, y);
        TensorPrimitives.Multiply(y, 1f / sum, y);
    }

    /// <summary>y = exp(x − shift); returns Σy.</summary>
    static float ExpShifted(ReadOnlySpan<float> x, float shift, Span<float> y)
    {
        float sum = 0;
        int i = Simd.Width switch
        {
            SimdWidth.V512 => ExpShiftedV<Simd512, Vector512<float>>(x, shift, y, ref sum),
            SimdWidth.V256 => ExpShiftedV<Simd256, Vector256<float>>(x, shift, y, ref sum),
            _ => 0,
        };
        for (; i < x.Length; i++) { float e = MathF.Exp(x[i] - shift); if (!y.IsEmpty) y[i] = e; sum += e; }
        return sum;
    }

    static int ExpShiftedV<O, V>(ReadOnlySpan<float> x, float shift, Span<float> y, ref float sum) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        V acc = O.Splat(0f), s = O.Splat(shift);
        bool store = !y.IsEmpty;
        for (; i <= n; i += O.Count)
        {
            var e = O.ExpNonPositive(O.Sub(O.Load(x, i), s));   // shift is the max
            if (store) O.Store(e, y, i);
            acc = O.Add(acc, e);
        }
        sum += O.Sum(acc);
        return i;
    }

    /// <summary>log Σ exp(x), max-subtracted; −∞ for an empty or all −∞ row.</summary>
    public static float LogSumExp(ReadOnlySpan<float> x)
    {
        var (max, logSum) = MaxAndLogSum(x);
        return max + logSum;
    }

    /// <summary>(m, log Σ exp(x − m)) with m = max(x): x − m − logSum keeps precision for large logits, where
    /// x − (m + logSum) would round at the scale of m.</summary>
    public static (float Max, float LogSum) MaxAndLogSum(ReadOnlySpan<float> x)
    {
        if (x.Length == 0) return (float.NegativeInfinity, 0f);
        if (x.Length <= Block)
        {
            float max = TensorPrimitives.Max(x);
            if (float.IsInfinity(max) || float.IsNaN(max)) return (max, 0f);
            return (max, MathF.Log(ExpShifted(x, max, default)));
        }
        // Long rows (vocabulary logits): one pass over memory, block by block while the block is in L1:
        // the block's max, then its exp-sum, folded into a running (m, s) rescaled when m grows.
        float m = float.NegativeInfinity;
        double sum = 0;
        for (int start = 0; start < x.Length; start += Block)
        {
            var blk = x.Slice(start, Math.Min(Block, x.Length - start));
            float bm = TensorPrimitives.Max(blk);
            if (float.IsNaN(bm) || float.IsPositiveInfinity(bm)) return (bm, 0f);
            if (float.IsNegativeInfinity(bm)) continue;
            if (bm > m) { sum *= Math.Exp((double)m - bm); m = bm; }
            sum += ExpShifted(blk, m, default);
        }
        return float.IsNegativeInfinity(m) ? (m, 0f) : (m, (float)Math.Log(sum));
    }

    const int Block = 4096;

    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("SoftmaxRows.LogSoftmax: lengths differ");
        if (x.Length == 0) return;
        var (max, logSum) = MaxAndLogSum(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Subtract(y, logSum, y);
    }

    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (y.Length != dy.Length || dx.Length != dy.Length) throw new ArgumentException("SoftmaxRows.SoftmaxBackward: lengths differ");
        float dot = TensorPrimitives.Dot(y, dy);
        int i = Simd.Width switch
        {
            SimdWidth.V512 => SoftmaxBackwardV<Simd512, Vector512<float>>(y, dy, dot, dx),
            SimdWidth.V256 => SoftmaxBackwardV<Simd256, Vector256<float>>(y, dy, dot, dx),
            _ => 0,
        };
        for (; i < dx.Length; i++) dx[i] += y[i] * (dy[i] - dot);
    }

    static int SoftmaxBackwardV<O, V>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, float dot, Span<float> dx) where O : ISimd<V> where V : struct
    {
        int n = dx.Length - O.Count, i = 0;
        var d = O.Splat(dot);
        for (; i <= n; i += O.Count) O.Store(O.Fma(O.Load(y, i), O.Sub(O.Load(dy, i), d), O.Load(dx, i)), dx, i);
        return i;
    }

    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (y.Length != dy.Length || dx.Length != dy.Length) throw new ArgumentException("SoftmaxRows.LogSoftmaxBackward: lengths differ");
        float sum = TensorPrimitives.Sum(dy);
        int i = Simd.Width switch
        {
            SimdWidth.V512 => LogSoftmaxBackwardV<Simd512, Vector512<float>>(y, dy, sum, dx),
            SimdWidth.V256 => LogSoftmaxBackwardV<Simd256, Vector256<float>>(y, dy, sum, dx),
            _ => 0,
        };
        for (; i < dx.Length; i++) dx[i] += dy[i] - MathF.Exp(y[i]) * sum;
    }

    static int LogSoftmaxBackwardV<O, V>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, float sum, Span<float> dx) where O : ISimd<V> where V : struct
    {
        int n = dx.Length - O.Count, i = 0;
        var s = O.Splat(sum);
        for (; i <= n; i += O.Count)
            O.Store(O.Sub(O.Add(O.Load(dx, i), O.Load(dy, i)), O.Mul(O.ExpNonPositive(O.Load(y, i)), s)), dx, i);
        return i;
    }

    /// <summary>Fused log-prob backward: dx += g·(onehot(t) − exp(x − lse)) (accumulate false: dx = …, old contents
    /// ignored); the probabilities are formed once, here, and never stored.</summary>
    public static void LogProbBackward(ReadOnlySpan<float> x, float lse, int t, float g, Span<float> dx, bool accumulate = true)
    {
        if (x.Length != dx.Length) throw new ArgumentException("SoftmaxRows.LogProbBackward: lengths differ");
        int i = Simd.Width switch
        {
            SimdWidth.V512 => LogProbBackwardV<Simd512, Vector512<float>>(x, lse, g, dx, accumulate),
            SimdWidth.V256 => LogProbBackwardV<Simd256, Vector256<float>>(x, lse, g, dx, accumulate),
            _ => 0,
        };
        for (; i < x.Length; i++) dx[i] = (accumulate ? dx[i] : 0f) - g * MathF.Exp(x[i] - lse);
        dx[t] += g;
    }

    static int LogProbBackwardV<O, V>(ReadOnlySpan<float> x, float lse, float g, Span<float> dx, bool accumulate) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        V l = O.Splat(lse), gv = O.Splat(g), zero = O.Splat(0f);
        for (; i <= n; i += O.Count)
            O.Store(O.Sub(accumulate ? O.Load(dx, i) : zero, O.Mul(gv, O.ExpNonPositive(O.Sub(O.Load(x, i), l)))), dx, i);
        return i;
    }
}
