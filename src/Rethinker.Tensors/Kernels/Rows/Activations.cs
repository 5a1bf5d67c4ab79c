// Elementwise activation kernels (forward and accumulate-backward) over spans. Backward kernels ACCUMULATE
// into dx (+=). Formulas: σ' = σ(1-σ); tanh' = 1-t²; silu' = σ(1 + x(1-σ)); quick_gelu = x·σ(1.702x);
// gelu(erf) = x·Φ(x), gelu' = Φ + x·φ; gelu(tanh) = ½x(1+tanh(√(2/π)(x+0.044715x³))).
// Scalar twins live in Kernels/Reference/ActivationsReference.cs.
using System.Numerics.Tensors;

namespace Rethinker.Tensors.Kernels.Rows;

public enum Act { Sigmoid, Tanh, Silu, QuickGelu, GeluErf, GeluTanh }

public static class Activations
{
    internal const float SqrtHalf = 0.70710678118654752f;
    internal const float InvSqrt2Pi = 0.39894228040143268f;
    internal const float GeluK = 0.79788456080286536f; // √(2/π)

    public static void Forward(Act act, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (act)
        {
            case Act.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case Act.Tanh: TensorPrimitives.Tanh(x, y); break;
            case Act.Silu: TensorPrimitives.Sigmoid(x, y); TensorPrimitives.Multiply(x, y, y); break;
            case Act.QuickGelu:
                TensorPrimitives.Multiply(x, 1.702f, y); TensorPrimitives.Sigmoid(y, y); TensorPrimitives.Multiply(x, y, y); break;
            default:
                for (int i = 0; i < x.Length; i++) y[i] = Scalar(act, x[i]);
                break;
        }
    }

    public static void Backward(Act act, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] += dy[i] * Derivative(act, x[i]);
    }

    public static float Scalar(Act act, float x)
    {
        switch (act)
        {
            case Act.Sigmoid: return 1f / (1f + MathF.Exp(-x));
            case Act.Tanh: return MathF.Tanh(x);
            case Act.Silu: return x / (1f + MathF.Exp(-x));
            case Act.QuickGelu: return x / (1f + MathF.Exp(-1.702f * x));
            case Act.GeluErf: return 0.5f * x * (1f + Erf(x * SqrtHalf));
            default:
                float u = GeluK * (x + 0.044715f * x * x * x);
                return 0.5f * x * (1f + MathF.Tanh(u));
        }
    }

    public static float Derivative(Act act, float x)
    {
        switch (act)
        {
            case Act.Sigmoid: { float s = 1f / (1f + MathF.Exp(-x)); return s * (1f - s); }
            case Act.Tanh: { float t = MathF.Tanh(x); return 1f - t * t; }
            case Act.Silu: { float s = 1f / (1f + MathF.Exp(-x)); return s * (1f + x * (1f - s)); }
            case Act.QuickGelu: { float s = 1f / (1f + MathF.Exp(-1.702f * x)); return s + 1.702f * x * s * (1f - s); }
            case Act.GeluErf: return 0.5f * (1f + Erf(x * SqrtHalf)) + x * InvSqrt2Pi * MathF.Exp(-0.5f * x * x);
            default:
            {
                float u = GeluK * (x + 0.044715f * x * x * x), t = MathF.Tanh(u);
                return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GeluK * (1f + 3f * 0.044715f * x * x);
            }
        }
    }

    /// <summary>erf(x), Abramowitz &amp; Stegun 7.1.26 evaluated in double (|error| ≤ 1.5e-7).</summary>
    public static float Erf(float xf)
    {
        double x = Math.Abs((double)xf);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double r = 1.0 - p * Math.Exp(-x * x);
        return (float)(xf < 0 ? -r : r);
    }

    /// <summary>dx += dy / x.</summary>
    public static void AccDiv(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] / x[i];
    }

    /// <summary>dx += s · dy / y.</summary>
    public static void AccDivScaled(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, float s, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += s * dy[i] / y[i];
    }

    /// <summary>dx += -0.5 · dy · y³ (y = rsqrt(x)).</summary>
    public static void AccRsqrtBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += -0.5f * dy[i] * y[i] * y[i] * y[i];
    }

    /// <summary>dx += s · dy · x.</summary>
    public static void AccMulScaled(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float s, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += s * dy[i] * x[i];
    }

    /// <summary>dx += dy where min ≤ x ≤ max.</summary>
    public static void AccClampBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float min, float max, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) if (x[i] >= min && x[i] <= max) dx[i] += dy[i];
    }
}
