// Plain scalar twins of Kernels/Rows/Activations and SwiGluRows: the definition the fast kernels are tested
// against, never optimised. Formulas: σ' = σ(1−σ); tanh' = 1−t²; silu' = σ(1 + x(1−σ)); quick_gelu = x·σ(1.702x);
// gelu(erf) = x·Φ(x), gelu' = Φ + x·φ; gelu(tanh) = ½x(1+tanh(√(2/π)(x+0.044715x³))) (torch's formulas).
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors.Kernels.Reference;

public static class ActivationsReference
{
    const double GeluK = 0.79788456080286536; // √(2/π)

    public static void Forward(Act act, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = (float)Value(act, x[i]);
    }

    /// <summary>dx += dy·f'(x).</summary>
    public static void Backward(Act act, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] += (float)(dy[i] * Derivative(act, x[i]));
    }

    static double Sig(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double Value(Act act, double x) => act switch
    {
        Act.Sigmoid => Sig(x),
        Act.Tanh => Math.Tanh(x),
        Act.Silu => x * Sig(x),
        Act.QuickGelu => x * Sig(1.702 * x),
        Act.GeluErf => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        _ => 0.5 * x * (1 + Math.Tanh(GeluK * (x + 0.044715 * x * x * x))),
    };

    public static double Derivative(Act act, double x)
    {
        switch (act)
        {
            case Act.Sigmoid: { double s = Sig(x); return s * (1 - s); }
            case Act.Tanh: { double t = Math.Tanh(x); return 1 - t * t; }
            case Act.Silu: { double s = Sig(x); return s * (1 + x * (1 - s)); }
            case Act.QuickGelu: { double s = Sig(1.702 * x); return s + 1.702 * x * s * (1 - s); }
            case Act.GeluErf: return 0.5 * (1 + Erf(x / Math.Sqrt(2))) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            default:
            {
                double t = Math.Tanh(GeluK * (x + 0.044715 * x * x * x));
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GeluK * (1 + 3 * 0.044715 * x * x);
            }
        }
    }

    /// <summary>erf by its Maclaurin series for |x| &lt; 3, else the continued-fraction tail (double precision, ~1e-15).</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 3)
        {
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * sum; n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return Math.CopySign(2 / Math.Sqrt(Math.PI) * sum, x);
        }
        // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) (Lentz-free backward evaluation)
        double f = ax;
        for (int k = 60; k >= 1; k--) f = ax + k / 2.0 / f;
        return Math.CopySign(1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f, x);
    }

    public static void SwiGlu(ReadOnlySpan<float> g, ReadOnlySpan<float> u, Span<float> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = (float)(g[i] * Sig(g[i]) * u[i]);
    }

    public static void SwiGluBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> u, ReadOnlySpan<float> dy, Span<float> dg, Span<float> du)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            double s = Sig(g[i]);
            if (!dg.IsEmpty) dg[i] += (float)(dy[i] * u[i] * s * (1 + g[i] * (1 - s)));
            if (!du.IsEmpty) du[i] += (float)(dy[i] * g[i] * s);
        }
    }
}
