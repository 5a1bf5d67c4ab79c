// Fused RMSNorm and LayerNorm over one row (the last axis), forward and accumulate-backward.
// RMSNorm (Qwen2RMSNorm): y = x·r·w, r = 1/√(mean(x²)+eps). Backward with x̂ = x·r, g = dy⊙w:
//   dx += r·(g − x̂·mean(g⊙x̂)), dw += dy⊙x̂.
// LayerNorm (biased variance, as torch): y = (x−μ)·r·w + b; dx += r·(g − mean(g) − x̂·mean(g⊙x̂)), dw += dy⊙x̂, db += dy.
namespace Rethinker.Tensors.Kernels.Rows;

public static class NormRows
{
    /// <summary>Returns r = 1/√(mean(x²)+eps).</summary>
    public static float RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float eps, Span<float> y)
    {
        double ss = 0;
        for (int i = 0; i < x.Length; i++) ss += (double)x[i] * x[i];
        float r = (float)(1.0 / Math.Sqrt(ss / Math.Max(1, x.Length) + eps));
        for (int i = 0; i < x.Length; i++) y[i] = x[i] * r * w[i];
        return r;
    }

    /// <summary>dx and dw may be empty (not wanted).</summary>
    public static void RmsNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float r, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw)
    {
        int n = x.Length;
        if (!dx.IsEmpty)
        {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += (double)dy[i] * w[i] * x[i] * r;
            float m = (float)(dot / n);
            for (int i = 0; i < n; i++) dx[i] += r * (dy[i] * w[i] - x[i] * r * m);
        }
        if (!dw.IsEmpty)
            for (int i = 0; i < n; i++) dw[i] += dy[i] * x[i] * r;
    }

    /// <summary>Returns (mean, r = 1/√(var+eps)). b may be empty (no bias).</summary>
    public static (float Mean, float R) LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps, Span<float> y)
    {
        int n = x.Length;
        double s = 0;
        for (int i = 0; i < n; i++) s += x[i];
        float mean = (float)(s / Math.Max(1, n));
        double v = 0;
        for (int i = 0; i < n; i++) { double d = x[i] - mean; v += d * d; }
        float r = (float)(1.0 / Math.Sqrt(v / Math.Max(1, n) + eps));
        for (int i = 0; i < n; i++) y[i] = (x[i] - mean) * r * w[i] + (b.IsEmpty ? 0f : b[i]);
        return (mean, r);
    }

    public static void LayerNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float mean, float r, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db)
    {
        int n = x.Length;
        if (!dx.IsEmpty)
        {
            double sg = 0, sgx = 0;
            for (int i = 0; i < n; i++) { double g = dy[i] * w[i]; sg += g; sgx += g * (x[i] - mean) * r; }
            float mg = (float)(sg / n), mgx = (float)(sgx / n);
            for (int i = 0; i < n; i++) dx[i] += r * (dy[i] * w[i] - mg - (x[i] - mean) * r * mgx);
        }
        if (!dw.IsEmpty)
            for (int i = 0; i < n; i++) dw[i] += dy[i] * (x[i] - mean) * r;
        if (!db.IsEmpty)
            for (int i = 0; i < n; i++) db[i] += dy[i];
    }
}
