// FlashAttention backward (FlashAttention-2 Algorithm 2, Dao 2023): P is recomputed from the saved lse, never stored.
// One work item = (sequence, kv head): it owns dK/dV of that kv head and dQ of the query heads that share it (GQA),
// so no two threads write the same gradient row. Dᵢ = rowsum(dOᵢ∘Oᵢ), dS = P∘(dOᵢ·vⱼ − Dᵢ).
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class FlashAttentionBackward
{
    public static void Run(ref AttentionArgs a)
    {
        fixed (AttentionArgs* pa = &a)
            WorkerPool.For(a.NSeq * a.Hkv, &Item, pa);
    }

    static void Item(void* state, int item)
    {
        ref AttentionArgs a = ref *(AttentionArgs*)state;
        int s = item / a.Hkv, hk = item % a.Hkv, group = a.Hq / a.Hkv, D = a.D;
        int q0 = a.CuQ[s], lenQ = a.CuQ[s + 1] - q0, k0 = a.CuK[s], lenK = a.CuK[s + 1] - k0;
        for (int h = hk * group; h < (hk + 1) * group; h++)
            for (int i = 0; i < lenQ; i++)
            {
                long row = (long)(q0 + i) * a.Hq + h;
                int visible = a.Visible(i, lenQ, lenK);
                if (visible == 0) continue;
                var qi = new ReadOnlySpan<float>(a.Q + row * D, D);
                var doi = new ReadOnlySpan<float>(a.DO + row * D, D);
                var dqi = new Span<float>(a.DQ + row * D, D);
                float Di = TensorPrimitives.Dot(doi, new ReadOnlySpan<float>(a.O + row * D, D));
                float lse = a.Lse[row];
                for (int j = 0; j < visible; j++)
                {
                    long kr = ((long)(k0 + j) * a.Hkv + hk) * D;
                    var kj = new ReadOnlySpan<float>(a.K + kr, D);
                    var vj = new ReadOnlySpan<float>(a.V + kr, D);
                    float p = MathF.Exp(a.Scale * TensorPrimitives.Dot(qi, kj) - lse);
                    float dS = p * (TensorPrimitives.Dot(doi, vj) - Di) * a.Scale;
                    var dvj = new Span<float>(a.DV + kr, D);
                    var dkj = new Span<float>(a.DK + kr, D);
                    TensorPrimitives.MultiplyAdd(doi, p, dvj, dvj);
                    TensorPrimitives.MultiplyAdd(kj, dS, dqi, dqi);
                    TensorPrimitives.MultiplyAdd(qi, dS, dkj, dkj);
                }
            }
    }
}
