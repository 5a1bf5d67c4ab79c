// FlashAttention backward (FlashAttention-2 Algorithm 2, Dao 2023): P is recomputed from the saved lse, never stored.
// One work item = (sequence, kv head): it owns dK/dV of that kv head and dQ of the query heads sharing it (GQA), so no
// two threads write one gradient row. Tiled path: for each 64-key tile, for each 64-query block, Pᵀ = exp(s·K·Qᵀ − lse),
// dPᵀ = V·dOᵀ, dSᵀ = Pᵀ∘(dPᵀ − Dᵢ)·s with Dᵢ = rowsum(dOᵢ∘Oᵢ); dV += Pᵀ·dO, dK += dSᵀ·Q, dQ += dS·K on the micro-kernel.
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels.Parallel;
using static Rethinker.Tensors.Kernels.AttentionTiles;

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
        int s = item / a.Hkv, hk = item % a.Hkv;
        int lenQ = a.CuQ[s + 1] - a.CuQ[s];
        if (a.TiledFor(lenQ)) Tiled(ref a, s, hk); else Rows(ref a, s, hk);
    }

    static void Tiled(ref AttentionArgs a, int s, int hk)
    {
        int D = a.D, Dp = PanelWidth(D), group = a.Hq / a.Hkv;
        int q0 = a.CuQ[s], lenQ = a.CuQ[s + 1] - q0, k0 = a.CuK[s], lenK = a.CuK[s + 1] - k0, off = lenK - lenQ;
        long qs = (long)a.Hq * D, ks = (long)a.Hkv * D;
        float* Qt = AttentionScratch.Get(2L * D * T + 2L * T * T + 5L * T * Dp + 2L * T + (long)group * lenQ * (Dp + 1));
        float* dOt = Qt + D * T, St = dOt + D * T, dPt = St + T * T, Qp = dPt + T * T, dOp = Qp + T * Dp, Kp = dOp + T * Dp;
        float* dKacc = Kp + T * Dp, dVacc = dKacc + T * Dp, lseB = dVacc + T * Dp, DiB = lseB + T, dQs = DiB + T;
        float* Di = dQs + (long)group * lenQ * Dp;
        new Span<float>(dQs, group * lenQ * Dp).Clear();
        for (int hl = 0; hl < group; hl++)
            for (int i = 0; i < lenQ; i++)
            {
                long row = (long)(q0 + i) * a.Hq + hk * group + hl;
                Di[hl * lenQ + i] = TensorPrimitives.Dot(new ReadOnlySpan<float>(a.DO + row * D, D), new ReadOnlySpan<float>(a.O + row * D, D));
            }
        for (int j0 = 0; j0 < lenK; j0 += T)
        {
            int bc = Math.Min(T, lenK - j0);
            new Span<float>(dKacc, 2 * T * Dp).Clear();   // dKacc and dVacc are adjacent
            float* kRows = a.K + ((long)(k0 + j0) * a.Hkv + hk) * D, vRows = a.V + ((long)(k0 + j0) * a.Hkv + hk) * D;
            float* kb = AsPanels(kRows, ks, bc, D, Dp, Kp, out long kbs);
            int iFirst = a.Causal ? Math.Max(0, j0 - off) : 0;   // first query that sees key j0
            for (int hl = 0; hl < group; hl++)
            {
                int h = hk * group + hl;
                for (int i0 = iFirst / T * T; i0 < lenQ; i0 += T)
                {
                    int nq = Math.Min(T, lenQ - i0);
                    float* qRows = a.Q + ((long)(q0 + i0) * a.Hq + h) * D, doRows = a.DO + ((long)(q0 + i0) * a.Hq + h) * D;
                    Transpose(qRows, qs, nq, D, Qt);
                    Transpose(doRows, qs, nq, D, dOt);
                    for (int q = 0; q < T; q++)
                    {
                        // padding columns and rows that saw no key get lse = +∞, so their P is exactly 0
                        float lse = q < nq ? a.Lse[(long)(q0 + i0 + q) * a.Hq + h] : float.PositiveInfinity;
                        lseB[q] = float.IsNegativeInfinity(lse) ? float.PositiveInfinity : lse;
                        DiB[q] = q < nq ? Di[hl * lenQ + i0 + q] : 0f;
                    }
                    Mm(bc, D, kRows, ks, 1, Qt, T, 1, St, T, a.Scale, 0f);            // s·K·Qᵀ
                    for (int v = 0; v < 4; v++)
                    {
                        var lv = Load(lseB, v);
                        for (int jj = 0; jj < bc; jj++) Store(St + jj * T, v, Kernels.Rows.FastExp.ExpNonPositive(Load(St + jj * T, v) - lv));   // Pᵀ
                    }
                    if (a.Causal && j0 + bc - 1 - i0 - off > 0) MaskCausal(St, bc, j0 - i0 - off, 0f);
                    Mm(bc, D, vRows, ks, 1, dOt, T, 1, dPt, T, 1f, 0f);               // dPᵀ = V·dOᵀ
                    var scale = System.Runtime.Intrinsics.Vector512.Create(a.Scale);
                    for (int v = 0; v < 4; v++)
                    {
                        var dv = Load(DiB, v);
                        for (int jj = 0; jj < bc; jj++)
                            Store(dPt + jj * T, v, (Load(dPt + jj * T, v) - dv) * Load(St + jj * T, v) * scale);   // dSᵀ (scaled)
                    }
                    float* qb = AsPanels(qRows, qs, nq, D, Dp, Qp, out long qbs);
                    float* dob = AsPanels(doRows, qs, nq, D, Dp, dOp, out long dobs);
                    MmD(bc, nq, St, T, 1, dob, dobs, Dp, dVacc, Dp, 1f, 1f);        // dV += Pᵀ·dO
                    MmD(bc, nq, dPt, T, 1, qb, qbs, Dp, dKacc, Dp, 1f, 1f);         // dK += dSᵀ·Q
                    MmD(nq, bc, dPt, 1, T, kb, kbs, Dp, dQs + ((long)hl * lenQ + i0) * Dp, Dp, 1f, 1f);   // dQ += dS·K
                }
            }
            for (int jj = 0; jj < bc; jj++)
            {
                long kr = ((long)(k0 + j0 + jj) * a.Hkv + hk) * D;
                new ReadOnlySpan<float>(dKacc + jj * Dp, D).CopyTo(new Span<float>(a.DK + kr, D));
                new ReadOnlySpan<float>(dVacc + jj * Dp, D).CopyTo(new Span<float>(a.DV + kr, D));
            }
        }
        for (int hl = 0; hl < group; hl++)
            for (int i = 0; i < lenQ; i++)
                new ReadOnlySpan<float>(dQs + ((long)hl * lenQ + i) * Dp, D)
                    .CopyTo(new Span<float>(a.DQ + ((long)(q0 + i) * a.Hq + hk * group + hl) * D, D));
    }

    static void Rows(ref AttentionArgs a, int s, int hk)
    {
        int group = a.Hq / a.Hkv, D = a.D;
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
