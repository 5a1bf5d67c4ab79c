// Fused log-softmax + gather over one logits row (the [tokens × vocab] logits dominate RL memory, so the
// probabilities are never stored): forward keeps only lse = log Σ exp(x); backward recomputes p = exp(x − lse)
// row by row: d logits += g·(onehot(t) − p). Cross-entropy is the same with g = −1/count.
using System.Numerics.Tensors;

namespace Rethinker.Tensors.Kernels.Rows;

public static class LogProbRows
{
    /// <summary>dx += g·(onehot(t) − exp(x − lse)).</summary>
    public static void Backward(ReadOnlySpan<float> x, float lse, int t, float g, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] -= g * MathF.Exp(x[i] - lse);
        dx[t] += g;
    }

    public static float LogSumExp(ReadOnlySpan<float> x) => SoftmaxRows.LogSumExp(x);

    internal static float Max(ReadOnlySpan<float> x) => TensorPrimitives.Max(x);
}
