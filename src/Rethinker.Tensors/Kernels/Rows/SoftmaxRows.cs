// Row softmax and log-softmax over the last axis, max-subtracted (TensorPrimitives.SoftMax is not).
// Backward: softmax dx += y⊙(dy − ⟨dy, y⟩); log-softmax dx += dy − exp(y)·Σdy.
// Scalar twin: Kernels/Reference/SoftmaxReference.cs.
using System.Numerics.Tensors;

namespace Rethinker.Tensors.Kernels.Rows;

public static class SoftmaxRows
{
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return;
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
    }

    /// <summary>log Σ exp(x), max-subtracted.</summary>
    public static float LogSumExp(ReadOnlySpan<float> x)
    {
        if (x.Length == 0) return float.NegativeInfinity;
        float max = TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max)) return max;
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += MathF.Exp(x[i] - max);
        return max + (float)Math.Log(s);
    }

    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length == 0) return;
        TensorPrimitives.Subtract(x, LogSumExp(x), y);
    }

    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float dot = TensorPrimitives.Dot(y, dy);
        for (int i = 0; i < dx.Length; i++) dx[i] += y[i] * (dy[i] - dot);
    }

    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float sum = TensorPrimitives.Sum(dy);
        for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] - MathF.Exp(y[i]) * sum;
    }
}
