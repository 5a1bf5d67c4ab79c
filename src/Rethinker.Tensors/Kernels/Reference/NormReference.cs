// Scalar twins of Kernels/Rows/NormRows (RMSNorm, LayerNorm forward and accumulate-backward), in double.
namespace Rethinker.Tensors.Kernels.Reference;

public static class NormReference
{
    public static float RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float eps, Span<float> y)
    {
        double ss = 0;
        foreach (float v in x) ss += (double)v * v;
        double r = 1.0 / Math.Sqrt(ss / Math.Max(1, x.Length) + eps);
        for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] * r * w[i]);
        return (float)r;
    }

    public static void RmsNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float r, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw)
    {
        int n = x.Length;
        double dot = 0;
        for (int i = 0; i < n; i++) dot += (double)dy[i] * w[i] * x[i] * r;
        double m = n == 0 ? 0 : dot / n;
        for (int i = 0; i < n; i++)
        {
            if (!dx.IsEmpty) dx[i] += (float)(r * ((double)dy[i] * w[i] - (double)x[i] * r * m));
            if (!dw.IsEmpty) dw[i] += (float)((double)dy[i] * x[i] * r);
        }
    }

    public static (float Mean, float R) LayerNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, float eps, Span<float> y)
    {
        int n = x.Length;
        double s = 0;
        foreach (float v in x) s += v;
        double mean = s / Math.Max(1, n), var = 0;
        foreach (float v in x) var += (v - mean) * (v - mean);
        double r = 1.0 / Math.Sqrt(var / Math.Max(1, n) + eps);
        for (int i = 0; i < n; i++) y[i] = (float)((x[i] - mean) * r * w[i] + (b.IsEmpty ? 0 : b[i]));
        return ((float)mean, (float)r);
    }

    public static void LayerNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float mean, float r, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db)
    {
        int n = x.Length;
        double sg = 0, sgx = 0;
        for (int i = 0; i < n; i++) { double g = (double)dy[i] * w[i]; sg += g; sgx += g * (x[i] - mean) * r; }
        double mg = n == 0 ? 0 : sg / n, mgx = n == 0 ? 0 : sgx / n;
        for (int i = 0; i < n; i++)
        {
            double xh = ((double)x[i] - mean) * r;
            if (!dx.IsEmpty) dx[i] += (float)(r * ((double)dy[i] * w[i] - mg - xh * mgx));
            if (!dw.IsEmpty) dw[i] += (float)(dy[i] * xh);
            if (!db.IsEmpty) db[i] += dy[i];
        }
    }
}
