// Rotary embedding of one head vector (HF rotate_half convention, Qwen2 apply_rotary_pos_emb):
// y = x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] with halves of D/2.
// So y[i] = x[i]c[i] − x[i+h]s[i], y[i+h] = x[i+h]c[i+h] + x[i]s[i+h]; backward is the transpose.
namespace Rethinker.Tensors.Kernels.Rows;

public static class RopeRows
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> y)
    {
        int h = x.Length / 2;
        for (int i = 0; i < h; i++)
        {
            float a = x[i], b = x[i + h];
            y[i] = a * c[i] - b * s[i];
            y[i + h] = b * c[i + h] + a * s[i + h];
        }
    }

    /// <summary>dx += Rᵀ·dy.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> c, ReadOnlySpan<float> s, Span<float> dx)
    {
        int h = dy.Length / 2;
        for (int i = 0; i < h; i++)
        {
            float ga = dy[i], gb = dy[i + h];
            dx[i] += ga * c[i] + gb * s[i + h];
            dx[i + h] += gb * c[i + h] - ga * s[i];
        }
    }

    /// <summary>Gradients of the tables (rarely needed): dc += dy⊙x, ds += dy⊙rotate_half(x).</summary>
    public static void TableBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dc, Span<float> ds)
    {
        int h = x.Length / 2;
        for (int i = 0; i < h; i++)
        {
            if (!dc.IsEmpty) { dc[i] += dy[i] * x[i]; dc[i + h] += dy[i + h] * x[i + h]; }
            if (!ds.IsEmpty) { ds[i] -= dy[i] * x[i + h]; ds[i + h] += dy[i + h] * x[i]; }
        }
    }
}
