// cos/sin tables [T, D] for Ops.Rope (HF rotate_half convention: the second half of each head repeats the
// first half's frequencies). Text: M-RoPE (HF apply_multimodal_rotary_pos_emb): frequency j of the first half
// uses the temporal, height or width position id according to mrope_section. Vision: 2-D rotary
// (VisionRotaryEmbedding(head_dim/2), θ = 10000): the first quarter rotates by the patch row, the second by
// the column. Frequencies are computed in float32 as HF does, so tables agree with it bit for bit or nearly.
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

public static class RotaryTables
{
    /// <summary>inv_freq[j] = 1 / θ^(2j/dim), j &lt; dim/2, in float32 like torch's arange(0, dim, 2).float() / dim.</summary>
    public static float[] InverseFrequencies(int dim, double theta)
    {
        var inv = new float[dim / 2];
        for (int j = 0; j < inv.Length; j++) inv[j] = (float)(1.0 / Math.Pow(theta, (float)(2 * j) / dim));
        return inv;
    }

    /// <summary>M-RoPE tables. positionIds is [3, T] axis-major (t row, h row, w row).</summary>
    public static (Tensor Cos, Tensor Sin) Text(ReadOnlySpan<int> positionIds, int T, int headDim, double theta, ReadOnlySpan<int> mropeSection)
    {
        if (positionIds.Length != 3 * T) throw new ArgumentException($"M-RoPE: position ids must be [3, {T}], got {positionIds.Length} values");
        int half = headDim / 2;
        var inv = InverseFrequencies(headDim, theta);
        var axisOf = new int[half];
        for (int j = 0, a = 0, end = mropeSection[0]; j < half; j++)
        {
            while (j >= end && a < 2) end += mropeSection[++a];
            axisOf[j] = a;
        }
        var cos = Tensor.Zeros(T, headDim);
        var sin = Tensor.Zeros(T, headDim);
        var C = cos.Span; var S = sin.Span;
        for (int t = 0; t < T; t++)
            for (int j = 0; j < half; j++)
            {
                float f = positionIds[axisOf[j] * T + t] * inv[j];
                float c = MathF.Cos(f), s = MathF.Sin(f);
                C[t * headDim + j] = c; C[t * headDim + half + j] = c;
                S[t * headDim + j] = s; S[t * headDim + half + j] = s;
            }
        return (cos, sin);
    }

    /// <summary>Vision tables for patches at (h, w) given as [N, 2]; order[i] picks the patch for row i (window order) or null.</summary>
    public static (Tensor Cos, Tensor Sin) Vision(ReadOnlySpan<int> hw, int headDim, ReadOnlySpan<int> order = default, double theta = 10000.0)
    {
        int n = hw.Length / 2;
        int quarter = headDim / 4;
        var inv = InverseFrequencies(headDim / 2, theta);   // quarter entries
        var cos = Tensor.Zeros(n, headDim);
        var sin = Tensor.Zeros(n, headDim);
        var C = cos.Span; var S = sin.Span;
        int half = headDim / 2;
        for (int i = 0; i < n; i++)
        {
            int p = order.IsEmpty ? i : order[i];
            int h = hw[2 * p], w = hw[2 * p + 1];
            for (int j = 0; j < quarter; j++)
            {
                float fh = h * inv[j], fw = w * inv[j];
                float ch = MathF.Cos(fh), sh = MathF.Sin(fh), cw = MathF.Cos(fw), sw = MathF.Sin(fw);
                int o = i * headDim;
                C[o + j] = ch; C[o + quarter + j] = cw; C[o + half + j] = ch; C[o + half + quarter + j] = cw;
                S[o + j] = sh; S[o + quarter + j] = sw; S[o + half + j] = sh; S[o + half + quarter + j] = sw;
            }
        }
        return (cos, sin);
    }
}
