// Fused activation kernels (forward, and accumulate-backward dx += dy·f'(x)) on Vector512/Vector256 through
// ISimd; the scalar tail and non-SIMD machines use the float formulas below. σ(x) = 1/(1+e^−x);
// tanh(u) = 1 − 2/(e^{2u}+1) (saturates correctly); erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
// Scalar twins (double precision): Kernels/Reference/ActivationsReference.cs.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels.Rows;

public enum Act { Sigmoid, Tanh, Silu, QuickGelu, GeluErf, GeluTanh }

public static class Activations
{
    const float SqrtHalf = 0.70710678118654752f, InvSqrt2Pi = 0.39894228040143268f, GeluK = 0.79788456080286536f;
    const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    public static void Forward(Act act, ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException("Activations.Forward: x and y lengths differ");
        if (act == Act.Tanh) { TensorPrimitives.Tanh(x, y); return; } // accurate near 0, where 1 − 2/(e^2u+1) cancels
        int i = Simd.Width switch
        {
            SimdWidth.V512 => ForwardV<Simd512, Vector512<float>>(act, x, y),
            SimdWidth.V256 => ForwardV<Simd256, Vector256<float>>(act, x, y),
            _ => 0,
        };
        for (; i < x.Length; i++) y[i] = Value(act, x[i]);
    }

    public static void Backward(Act act, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (dy.Length != x.Length || dx.Length != x.Length) throw new ArgumentException("Activations.Backward: lengths differ");
        int i = Simd.Width switch
        {
            SimdWidth.V512 => BackwardV<Simd512, Vector512<float>>(act, x, dy, dx),
            SimdWidth.V256 => BackwardV<Simd256, Vector256<float>>(act, x, dy, dx),
            _ => 0,
        };
        for (; i < x.Length; i++) dx[i] += dy[i] * Derivative(act, x[i]);
    }

    static int ForwardV<O, V>(Act act, ReadOnlySpan<float> x, Span<float> y) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        for (; i <= n; i += O.Count) O.Store(ValueV<O, V>(act, O.Load(x, i)), y, i);
        return i;
    }

    static int BackwardV<O, V>(Act act, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) where O : ISimd<V> where V : struct
    {
        int n = x.Length - O.Count, i = 0;
        for (; i <= n; i += O.Count)
            O.Store(O.Fma(O.Load(dy, i), DerivativeV<O, V>(act, O.Load(x, i)), O.Load(dx, i)), dx, i);
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V SigmoidV<O, V>(V x) where O : ISimd<V> where V : struct =>
        O.Div(O.Splat(1f), O.Add(O.Splat(1f), O.Exp(O.Sub(O.Splat(0f), x))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static V TanhV<O, V>(V u) where O : ISimd<V> where V : struct =>
        O.Sub(O.Splat(1f), O.Div(O.Splat(2f), O.Add(O.Exp(O.Add(u, u)), O.Splat(1f))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static V ErfV<O, V>(V x) where O : ISimd<V> where V : struct
    {
        var ax = O.Abs(x);
        var t = O.Div(O.Splat(1f), O.Fma(O.Splat(P), ax, O.Splat(1f)));
        var p = O.Fma(O.Fma(O.Fma(O.Fma(O.Splat(A5), t, O.Splat(A4)), t, O.Splat(A3)), t, O.Splat(A2)), t, O.Splat(A1));
        p = O.Mul(p, t);
        var r = O.Sub(O.Splat(1f), O.Mul(p, O.ExpNonPositive(O.Sub(O.Splat(0f), O.Mul(ax, ax)))));   // −x² ≤ 0
        return O.CopySign(r, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static V ValueV<O, V>(Act act, V x) where O : ISimd<V> where V : struct
    {
        switch (act)
        {
            case Act.Sigmoid: return SigmoidV<O, V>(x);
            case Act.Silu: return O.Mul(x, SigmoidV<O, V>(x));
            case Act.QuickGelu: return O.Mul(x, SigmoidV<O, V>(O.Mul(O.Splat(1.702f), x)));
            case Act.GeluErf: return O.Mul(O.Mul(O.Splat(0.5f), x), O.Add(O.Splat(1f), ErfV<O, V>(O.Mul(x, O.Splat(SqrtHalf)))));
            case Act.GeluTanh:
            {
                var u = O.Mul(O.Splat(GeluK), O.Fma(O.Mul(O.Splat(0.044715f), O.Mul(x, x)), x, x));
                return O.Mul(O.Mul(O.Splat(0.5f), x), O.Add(O.Splat(1f), TanhV<O, V>(u)));
            }
            default: return TanhV<O, V>(x);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static V DerivativeV<O, V>(Act act, V x) where O : ISimd<V> where V : struct
    {
        var one = O.Splat(1f);
        switch (act)
        {
            case Act.Sigmoid: { var s = SigmoidV<O, V>(x); return O.Mul(s, O.Sub(one, s)); }
            case Act.Tanh: { var t = TanhV<O, V>(x); return O.Sub(one, O.Mul(t, t)); }
            case Act.Silu: { var s = SigmoidV<O, V>(x); return O.Mul(s, O.Fma(x, O.Sub(one, s), one)); }
            case Act.QuickGelu:
            {
                var s = SigmoidV<O, V>(O.Mul(O.Splat(1.702f), x));
                return O.Fma(O.Mul(O.Splat(1.702f), x), O.Mul(s, O.Sub(one, s)), s);
            }
            case Act.GeluErf:
            {
                var cdf = O.Mul(O.Splat(0.5f), O.Add(one, ErfV<O, V>(O.Mul(x, O.Splat(SqrtHalf)))));
                var pdf = O.Mul(O.Splat(InvSqrt2Pi), O.ExpNonPositive(O.Mul(O.Splat(-0.5f), O.Mul(x, x))));
                return O.Fma(x, pdf, cdf);
            }
            default:
            {
                var x2 = O.Mul(x, x);
                var t = TanhV<O, V>(O.Mul(O.Splat(GeluK), O.Fma(O.Mul(O.Splat(0.044715f), x2), x, x)));
                var du = O.Mul(O.Splat(GeluK), O.Fma(O.Splat(3f * 0.044715f), x2, one));
                // ½(1+t) + ½x(1−t²)·du
                return O.Mul(O.Splat(0.5f), O.Fma(O.Mul(x, O.Sub(one, O.Mul(t, t))), du, O.Add(one, t)));
            }
        }
    }

    public static float Value(Act act, float x)
    {
        switch (act)
        {
            case Act.Sigmoid: return 1f / (1f + MathF.Exp(-x));
            case Act.Tanh: return MathF.Tanh(x);
            case Act.Silu: return x / (1f + MathF.Exp(-x));
            case Act.QuickGelu: return x / (1f + MathF.Exp(-1.702f * x));
            case Act.GeluErf: return 0.5f * x * (1f + Erf(x * SqrtHalf));
            default: return 0.5f * x * (1f + MathF.Tanh(GeluK * (x + 0.044715f * x * x * x)));
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
                float t = MathF.Tanh(GeluK * (x + 0.044715f * x * x * x));
                return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * GeluK * (1f + 3f * 0.044715f * x * x);
            }
        }
    }

    /// <summary>erf(x), Abramowitz &amp; Stegun 7.1.26 (|error| ≤ 1.5e-7), the same formula as the vector path.</summary>
    public static float Erf(float x)
    {
        float ax = MathF.Abs(x);
        float t = 1f / (1f + P * ax);
        float p = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        return MathF.CopySign(1f - p * MathF.Exp(-ax * ax), x);
    }
}
