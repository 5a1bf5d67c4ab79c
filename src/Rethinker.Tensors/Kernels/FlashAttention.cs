// Scaled-dot-product attention over packed variable-length sequences (token-major q [Tq, Hq, D], k/v [Tk, Hkv, D]),
// GQA (query head h reads kv head h / (Hq/Hkv)), causal bottom-right aligned (query i sees keys j ≤ i + lenK − lenQ).
// PLACEHOLDER BODY (engine helper): materialises one score row at a time, correct but untiled; the kernels
// helper replaces it with the tiled online-softmax kernel (issue 2). Signature is the contract of TENSOR_API.md.
namespace Rethinker.Tensors.Kernels;

public static class FlashAttention
{
    /// <summary>o [Tq, Hq, D] = softmax(scale·q·kᵀ)·v; lse [Tq·Hq] = log Σ exp(scale·q·kᵀ) (−∞ for a row with no key).</summary>
    public static void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> o, Span<float> lse,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale)
    {
        int group = Hq / Hkv;
        int maxK = 0;
        for (int s = 0; s + 1 < cuK.Length; s++) maxK = Math.Max(maxK, cuK[s + 1] - cuK[s]);
        var p = new float[maxK];
        for (int s = 0; s + 1 < cuQ.Length; s++)
        {
            int q0 = cuQ[s], lenQ = cuQ[s + 1] - q0, k0 = cuK[s], lenK = cuK[s + 1] - k0;
            for (int i = 0; i < lenQ; i++)
                for (int h = 0; h < Hq; h++)
                {
                    int kh = h / group, nk = causal ? Math.Clamp(i + lenK - lenQ + 1, 0, lenK) : lenK;
                    var qi = q.Slice(((q0 + i) * Hq + h) * D, D);
                    var oi = o.Slice(((q0 + i) * Hq + h) * D, D);
                    float max = float.NegativeInfinity;
                    for (int j = 0; j < nk; j++)
                    {
                        p[j] = scale * Dot(qi, k.Slice(((k0 + j) * Hkv + kh) * D, D));
                        max = Math.Max(max, p[j]);
                    }
                    oi.Clear();
                    if (nk == 0) { lse[(q0 + i) * Hq + h] = float.NegativeInfinity; continue; }
                    double sum = 0;
                    for (int j = 0; j < nk; j++) { p[j] = MathF.Exp(p[j] - max); sum += p[j]; }
                    for (int j = 0; j < nk; j++)
                    {
                        float w = (float)(p[j] / sum);
                        var vj = v.Slice(((k0 + j) * Hkv + kh) * D, D);
                        for (int d = 0; d < D; d++) oi[d] += w * vj[d];
                    }
                    lse[(q0 + i) * Hq + h] = max + (float)Math.Log(sum);
                }
        }
    }

    /// <summary>Gradients of Forward; dQ, dK, dV are overwritten (=).</summary>
    public static void Backward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> o,
        ReadOnlySpan<float> lse, ReadOnlySpan<float> dO, Span<float> dQ, Span<float> dK, Span<float> dV,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale)
    {
        dQ.Clear(); dK.Clear(); dV.Clear();
        int group = Hq / Hkv;
        for (int s = 0; s + 1 < cuQ.Length; s++)
        {
            int q0 = cuQ[s], lenQ = cuQ[s + 1] - q0, k0 = cuK[s], lenK = cuK[s + 1] - k0;
            for (int i = 0; i < lenQ; i++)
                for (int h = 0; h < Hq; h++)
                {
                    int kh = h / group, nk = causal ? Math.Clamp(i + lenK - lenQ + 1, 0, lenK) : lenK;
                    int row = (q0 + i) * Hq + h;
                    var qi = q.Slice(row * D, D); var doi = dO.Slice(row * D, D);
                    var dqi = dQ.Slice(row * D, D);
                    float Di = Dot(doi, o.Slice(row * D, D)), L = lse[row];
                    for (int j = 0; j < nk; j++)
                    {
                        int kr = ((k0 + j) * Hkv + kh) * D;
                        var kj = k.Slice(kr, D); var vj = v.Slice(kr, D);
                        float pij = MathF.Exp(scale * Dot(qi, kj) - L);
                        float dp = Dot(doi, vj);
                        float ds = pij * (dp - Di) * scale;
                        var dvj = dV.Slice(kr, D); var dkj = dK.Slice(kr, D);
                        for (int d = 0; d < D; d++)
                        {
                            dvj[d] += pij * doi[d];
                            dqi[d] += ds * kj[d];
                            dkj[d] += ds * qi[d];
                        }
                    }
                }
        }
    }

    static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
