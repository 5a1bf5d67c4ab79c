// Scalar twin of Kernels/Rows/RopeRows: HF rotate_half rotary embedding of one head vector and its transpose.
namespace Rethinker.Tensors.Kernels.Reference;

public static class RopeReference
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> y)
    {
        int h = x.Length / 2;
        for (int i = 0; i < x.Length; i++)
        {
            // rotate_half(x)[i] = −x[i+h] for i < h, x[i−h] otherwise
            double rot = i < h ? -x[i + h] : x[i - h];
            y[i] = (float)((double)x[i] * c[i] + rot * s[i]);
        }
    }

    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> dx)
    {
        int h = dy.Length / 2;
        for (int i = 0; i < dy.Length; i++)
        {
            // y[j] depends on x[i] through j = i (·c[i]) and through the rotated partner
            double partner = i < h ? (double)dy[i + h] * s[i + h] : -(double)dy[i - h] * s[i - h];
            dx[i] += (float)((double)dy[i] * c[i] + partner);
        }
    }
}
