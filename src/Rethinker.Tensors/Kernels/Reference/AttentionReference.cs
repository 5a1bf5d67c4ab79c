// Plain reference twin of FlashAttention: materialises the full score matrix S [lenQ, lenK] per (sequence, head),
// softmax in float64, then the textbook backward (dP = dO·Vᵀ, dS = P∘(dP − rowsum(dP∘P)), dQ = s·dS·K, dK = s·dSᵀ·Q).
// Never optimised: tests compare every fast path against it. Same layout and mask rules as FlashAttention
// (token-major q [Tq,Hq,D], k/v [Tk,Hkv,D], GQA head h reads kv head h / (Hq/Hkv), causal bottom-right aligned).
namespace Rethinker.Tensors.Kernels.Reference;

public static class AttentionReference
{
    public static void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> o, Span<float> lse,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale)
    {
        int group = Hq / Hkv;
        for (int s = 0; s + 1 < cuQ.Length; s++)
        {
            int q0 = cuQ[s], lenQ = cuQ[s + 1] - q0, k0 = cuK[s], lenK = cuK[s + 1] - k0;
            for (int h = 0; h < Hq; h++)
            {
                var P = Probabilities(q, k, h, h / group, Hq, Hkv, D, q0, lenQ, k0, lenK, causal, scale, out var rowLse);
                for (int i = 0; i < lenQ; i++)
                {
                    lse[(q0 + i) * Hq + h] = (float)rowLse[i];
                    for (int d = 0; d < D; d++)
                    {
                        double acc = 0;
                        for (int j = 0; j < lenK; j++) acc += P[i, j] * v[((k0 + j) * Hkv + h / group) * D + d];
                        o[((q0 + i) * Hq + h) * D + d] = (float)acc;
                    }
                }
            }
        }
    }

    public static void Backward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> dO,
        Span<float> dQ, Span<float> dK, Span<float> dV,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale)
    {
        int group = Hq / Hkv;
        dQ.Clear(); dK.Clear(); dV.Clear();
        var dKd = new double[dK.Length];
        var dVd = new double[dV.Length];
        for (int s = 0; s + 1 < cuQ.Length; s++)
        {
            int q0 = cuQ[s], lenQ = cuQ[s + 1] - q0, k0 = cuK[s], lenK = cuK[s + 1] - k0;
            for (int h = 0; h < Hq; h++)
            {
                int hk = h / group;
                var P = Probabilities(q, k, h, hk, Hq, Hkv, D, q0, lenQ, k0, lenK, causal, scale, out _);
                for (int i = 0; i < lenQ; i++)
                {
                    int qi = ((q0 + i) * Hq + h) * D;
                    var dP = new double[lenK];
                    double rowSum = 0;
                    for (int j = 0; j < lenK; j++)
                    {
                        int kj = ((k0 + j) * Hkv + hk) * D;
                        double acc = 0;
                        for (int d = 0; d < D; d++) acc += (double)dO[qi + d] * v[kj + d];
                        dP[j] = acc;
                        rowSum += acc * P[i, j];
                    }
                    for (int j = 0; j < lenK; j++)
                    {
                        int kj = ((k0 + j) * Hkv + hk) * D;
                        double dS = P[i, j] * (dP[j] - rowSum) * scale;
                        for (int d = 0; d < D; d++)
                        {
                            dQ[qi + d] += (float)(dS * k[kj + d]);
                            dKd[kj + d] += dS * q[qi + d];
                            dVd[kj + d] += P[i, j] * dO[qi + d];
                        }
                    }
                }
            }
        }
        for (int i = 0; i < dK.Length; i++) { dK[i] = (float)dKd[i]; dV[i] = (float)dVd[i]; }
    }

    /// <summary>P [lenQ, lenK] = softmax(scale·q·kᵀ + mask) in float64; rows with no visible key are all zero, lse −∞.</summary>
    static double[,] Probabilities(ReadOnlySpan<float> q, ReadOnlySpan<float> k, int h, int hk, int Hq, int Hkv, int D,
        int q0, int lenQ, int k0, int lenK, bool causal, float scale, out double[] lse)
    {
        var P = new double[lenQ, lenK];
        lse = new double[lenQ];
        for (int i = 0; i < lenQ; i++)
        {
            int visible = causal ? Math.Clamp(i + (lenK - lenQ) + 1, 0, lenK) : lenK;
            double max = double.NegativeInfinity;
            for (int j = 0; j < visible; j++)
            {
                double acc = 0;
                for (int d = 0; d < D; d++) acc += (double)q[((q0 + i) * Hq + h) * D + d] * k[((k0 + j) * Hkv + hk) * D + d];
                P[i, j] = acc * scale;
                max = Math.Max(max, P[i, j]);
            }
            double sum = 0;
            for (int j = 0; j < visible; j++) { P[i, j] = Math.Exp(P[i, j] - max); sum += P[i, j]; }
            for (int j = 0; j < visible; j++) P[i, j] /= sum;
            lse[i] = visible == 0 ? double.NegativeInfinity : max + Math.Log(sum);
        }
        return P;
    }
}
