// Scalar twins of Kernels/Rows/SoftmaxRows, in double: softmax, log-softmax, log-sum-exp, their backwards and
// the fused log-prob backward dx += g·(onehot(t) − softmax(x)).
namespace Rethinker.Tensors.Kernels.Reference;

public static class SoftmaxReference
{
    public static double LogSumExp(ReadOnlySpan<float> x)
    {
        if (x.Length == 0) return double.NegativeInfinity;
        double max = double.NegativeInfinity;
        foreach (float v in x) max = Math.Max(max, v);
        if (double.IsInfinity(max)) return max;
        double s = 0;
        foreach (float v in x) s += Math.Exp(v - max);
        return max + Math.Log(s);
    }

    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        double lse = LogSumExp(x);
        for (int i = 0; i < x.Length; i++) y[i] = (float)Math.Exp(x[i] - lse);
    }

    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y)
    {
        double lse = LogSumExp(x);
        for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] - lse);
    }

    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        double dot = 0;
        for (int i = 0; i < y.Length; i++) dot += (double)y[i] * dy[i];
        for (int i = 0; i < y.Length; i++) dx[i] += (float)(y[i] * (dy[i] - dot));
    }

    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        double sum = 0;
        foreach (float v in dy) sum += v;
        for (int i = 0; i < y.Length; i++) dx[i] += (float)(dy[i] - Math.Exp(y[i]) * sum);
    }

    public static void LogProbBackward(ReadOnlySpan<float> x, float lse, int t, float g, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] += (float)(g * ((i == t ? 1.0 : 0.0) - Math.Exp(x[i] - (double)lse)));
    }
}
