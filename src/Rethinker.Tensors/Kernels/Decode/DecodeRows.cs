// Row helpers of the decode step on raw pointers: RMSNorm (Qwen2RMSNorm: x·rsqrt(mean(x²)+eps)·w), the rotary
// tables of one position, and rotary applied in place to a token's heads (HF rotate_half convention:
// y[i] = x[i]c[i] − x[i+h]s[i], y[i+h] = x[i+h]c[i+h] + x[i]s[i+h]).
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Rethinker.Tensors.Kernels.Decode;

public static unsafe class DecodeRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void RmsNorm(float* x, float* w, float eps, float* y, int n)
    {
        var xs = new ReadOnlySpan<float>(x, n);
        float r = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xs) / Math.Max(1, n) + eps);
        var ys = new Span<float>(y, n);
        TensorPrimitives.Multiply(xs, r, ys);
        TensorPrimitives.Multiply(ys, new ReadOnlySpan<float>(w, n), ys);
    }

    /// <summary>
    /// cos/sin [D] of one position for every frequency (the second half repeats the first), angle = position·invFreq[j]
    /// in float32 as RotaryTables computes it. With M-RoPE, a decoded token has the same id on all three axes, so the
    /// section split does not matter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void RopeTable(int position, float* invFreq, int D, float* cos, float* sin)
    {
        int half = D / 2;
        for (int j = 0; j < half; j++)
        {
            float f = position * invFreq[j];
            float c = MathF.Cos(f), s = MathF.Sin(f);
            cos[j] = c; cos[half + j] = c;
            sin[j] = s; sin[half + j] = s;
        }
    }

    /// <summary>Rotates `heads` consecutive head vectors [heads, D] in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    public static void Rope(float* x, int heads, int D, float* cos, float* sin)
    {
        int half = D / 2;
        for (int h = 0; h < heads; h++)
        {
            float* xh = x + h * D;
            for (int i = 0; i < half; i++)
            {
                float a = xh[i], b = xh[i + half];
                xh[i] = a * cos[i] - b * sin[i];
                xh[i + half] = b * cos[i + half] + a * sin[i + half];
            }
        }
    }
}
