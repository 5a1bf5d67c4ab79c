// Scalar twins of Kernels/Rows/ElementwiseRows (accumulate-backward of log, sqrt, rsqrt, square, clamp).
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors.Kernels.Reference;

public static class ElementwiseReference
{
    public static void Accumulate(AccKind kind, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float s, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++)
        {
            double g = dy[i], v = x[i];
            dx[i] += (float)(kind switch
            {
                AccKind.Div => g / v,
                AccKind.DivScaled => s * g / v,
                AccKind.Rsqrt => -0.5 * g * v * v * v,
                _ => s * g * v,
            });
        }
    }

    public static void ClampBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float lo, float hi, Span<float> dx)
    {
        for (int i = 0; i < dx.Length; i++) if (x[i] >= lo && x[i] <= hi) dx[i] += dy[i];
    }
}
