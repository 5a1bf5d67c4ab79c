// FlashAttention forward (FlashAttention-2 Algorithm 1, Dao 2023). One work item = (sequence, query head, query block).
// Tiled path (AVX-512, ≥ 8 query rows): a block of 64 queries meets 64-key tiles; Sᵀ = K·Qᵀ and O += P·V run on the
// SGEMM micro-kernel, the online softmax (running max m, sum l) is column-wise over the 64 queries, so no score matrix
// beyond 64×64 ever exists. Row path (decode, short chunks, non-AVX-512): one query row at a time over key tiles.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Rethinker.Tensors.Kernels.Parallel;
using static Rethinker.Tensors.Kernels.AttentionTiles;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class FlashAttentionForward
{
    const int RowsPerItem = 16;   // row path
    const int KeyTile = 64;

    public static void Run(ref AttentionArgs a)
    {
        int[] starts = ArrayPool<int>.Shared.Rent(a.NSeq + 1);
        try
        {
            starts[0] = 0;
            for (int s = 0; s < a.NSeq; s++)
            {
                // tiled items: (query head, 64-query block); row items: (kv head, 16 rows) covering its whole GQA group
                int lenQ = a.CuQ[s + 1] - a.CuQ[s];
                starts[s + 1] = starts[s] + (a.TiledFor(lenQ) ? a.Hq * ((lenQ + T - 1) / T) : a.Hkv * ((lenQ + RowsPerItem - 1) / RowsPerItem));
            }
            fixed (int* ps = starts)
            fixed (AttentionArgs* pa = &a)
            {
                a.ItemStart = ps;
                WorkerPool.For(starts[a.NSeq], &Item, pa);
            }
        }
        finally { ArrayPool<int>.Shared.Return(starts); }
    }

    static void Item(void* state, int item)
    {
        ref AttentionArgs a = ref *(AttentionArgs*)state;
        int s = a.SequenceOf(item);
        int local = item - a.ItemStart[s];
        int lenQ = a.CuQ[s + 1] - a.CuQ[s];
        if (a.TiledFor(lenQ)) { TiledBlock(ref a, s, local % a.Hq, local / a.Hq * T); return; }
        int hk = local % a.Hkv, block = local / a.Hkv, group = a.Hq / a.Hkv;
        int i0 = block * RowsPerItem, i1 = Math.Min(lenQ, i0 + RowsPerItem);
        if (a.Tiled && a.D % 16 == 0) GroupRows(ref a, s, hk, i0, i1);
        else for (int h = hk * group; h < (hk + 1) * group; h++) RowBlock(ref a, s, h, i0, i1);
    }

    /// <summary>
    /// Decode-shaped rows (AVX-512, D a multiple of 16): all query heads of one kv head together, so each K/V row is
    /// loaded once per GQA group; per row an online softmax over 64-key tiles, accumulators in L1 scratch.
    /// </summary>
    static void GroupRows(ref AttentionArgs a, int s, int hk, int iStart, int iEnd)
    {
        int q0 = a.CuQ[s], lenQ = a.CuQ[s + 1] - q0, k0 = a.CuK[s], lenK = a.CuK[s + 1] - k0;
        int group = a.Hq / a.Hkv, D = a.D, nv = D / 16;
        float* acc = AttentionScratch.Get((long)group * D + group * KeyTile + 2 * group);
        float* sc = acc + group * D, m = sc + group * KeyTile, l = m + group;
        long ks = (long)a.Hkv * D;
        for (int i = iStart; i < iEnd; i++)
        {
            float* q = a.Q + ((long)(q0 + i) * a.Hq + hk * group) * D;   // the group's heads are adjacent rows
            int visible = a.Visible(i, lenQ, lenK);
            new Span<float>(acc, group * D).Clear();
            new Span<float>(m, group).Fill(float.NegativeInfinity);
            new Span<float>(l, group).Clear();
            for (int j0 = 0; j0 < visible; j0 += KeyTile)
            {
                int n = Math.Min(KeyTile, visible - j0);
                float* kp = a.K + ((long)(k0 + j0) * a.Hkv + hk) * D, vp = a.V + ((long)(k0 + j0) * a.Hkv + hk) * D;
                for (int jj = 0; jj < n; jj++, kp += ks)
                    for (int g = 0; g < group; g++)
                    {
                        float* qg = q + g * D;
                        var d0 = Vector512<float>.Zero;
                        for (int c = 0; c < nv; c++) d0 = Vector512.FusedMultiplyAdd(Load(qg, c), Load(kp, c), d0);
                        sc[g * KeyTile + jj] = a.Scale * Vector512.Sum(d0);
                    }
                for (int g = 0; g < group; g++)
                {
                    var st = new Span<float>(sc + g * KeyTile, n);
                    float mt = TensorPrimitives.Max(st);
                    if (mt > m[g])
                    {
                        float c = MathF.Exp(m[g] - mt);   // m = −∞ on the first tile: c = 0
                        TensorPrimitives.Multiply(new Span<float>(acc + g * D, D), c, new Span<float>(acc + g * D, D));
                        l[g] *= c;
                        m[g] = mt;
                    }
                    TensorPrimitives.Subtract(st, m[g], st);
                    TensorPrimitives.Exp(st, st);
                    l[g] += TensorPrimitives.Sum(st);
                }
                for (int jj = 0; jj < n; jj++, vp += ks)
                    for (int g = 0; g < group; g++)
                    {
                        var p = Vector512.Create(sc[g * KeyTile + jj]);
                        float* ag = acc + g * D;
                        for (int c = 0; c < nv; c++) Store(ag, c, Vector512.FusedMultiplyAdd(p, Load(vp, c), Load(ag, c)));
                    }
            }
            for (int g = 0; g < group; g++)
            {
                long row = (long)(q0 + i) * a.Hq + hk * group + g;
                var oi = new Span<float>(a.O + row * D, D);
                if (visible == 0) { oi.Clear(); a.Lse[row] = float.NegativeInfinity; continue; }
                TensorPrimitives.Multiply(new ReadOnlySpan<float>(acc + g * D, D), 1f / l[g], oi);
                a.Lse[row] = m[g] + MathF.Log(l[g]);
            }
        }
    }

    static void TiledBlock(ref AttentionArgs a, int s, int h, int i0)
    {
        int D = a.D, Dp = PanelWidth(D);
        int q0 = a.CuQ[s], lenQ = a.CuQ[s + 1] - q0, k0 = a.CuK[s], lenK = a.CuK[s + 1] - k0, off = lenK - lenQ;
        int hk = h / (a.Hq / a.Hkv), nq = Math.Min(T, lenQ - i0);
        long qs = (long)a.Hq * D, ks = (long)a.Hkv * D;
        float* Qt = AttentionScratch.Get((long)D * T + T * T + 2L * T * Dp + 4 * T);
        float* St = Qt + D * T, O = St + T * T, Vp = O + T * Dp, m = Vp + T * Dp, l = m + T, corr = l + T, msafe = corr + T;
        Transpose(a.Q + ((long)(q0 + i0) * a.Hq + h) * D, qs, nq, D, Qt);
        new Span<float>(O, nq * Dp).Clear();
        new Span<float>(m, T).Fill(float.NegativeInfinity);
        new Span<float>(l, T).Clear();
        int kEnd = a.Causal ? Math.Clamp(i0 + nq + off, 0, lenK) : lenK;
        var ninf = Vector512.Create(float.NegativeInfinity);
        for (int j0 = 0; j0 < kEnd; j0 += T)
        {
            int bc = Math.Min(T, kEnd - j0);
            float* kRows = a.K + ((long)(k0 + j0) * a.Hkv + hk) * D;
            Mm(bc, D, kRows, ks, 1, Qt, T, 1, St, T, a.Scale, 0f);                  // Sᵀ [keys, queries]
            if (a.Causal && j0 + bc - 1 - i0 - off > 0) MaskCausal(St, bc, j0 - i0 - off, float.NegativeInfinity);
            for (int v = 0; v < 4; v++)
            {
                var mt = ninf;
                for (int jj = 0; jj < bc; jj++) mt = Vector512.Max(mt, Load(St + jj * T, v));
                var mOld = Load(m, v);
                var mNew = Vector512.Max(mOld, mt);
                // a query that has seen no key yet keeps m = −∞; exponentiate against 0 so nothing becomes NaN
                var ms = Vector512.ConditionalSelect(Vector512.Equals(mNew, ninf), Vector512<float>.Zero, mNew);
                Store(m, v, mNew); Store(msafe, v, ms); Store(corr, v, mOld - ms);
            }
            // Pᵀ = exp(Sᵀ − m) on our FastExp (TensorPrimitives.Exp is ~14× slower here), its column sums folded in
            for (int v = 0; v < 4; v++)
            {
                var ms = Load(msafe, v);
                var sum = Vector512<float>.Zero;
                for (int jj = 0; jj < bc; jj++)
                {
                    var e = Rows.FastExp.ExpNonPositive(Load(St + jj * T, v) - ms);
                    Store(St + jj * T, v, e);
                    sum += e;
                }
                var c = Rows.FastExp.ExpNonPositive(Load(corr, v));   // old max − new max ≤ 0
                Store(corr, v, c);
                Store(l, v, Load(l, v) * c + sum);
            }
            for (int q = 0; q < nq; q++)
                if (corr[q] != 1f) TensorPrimitives.Multiply(new Span<float>(O + q * Dp, D), corr[q], new Span<float>(O + q * Dp, D));
            float* vb = AsPanels(a.V + ((long)(k0 + j0) * a.Hkv + hk) * D, ks, bc, D, Dp, Vp, out long vbs);
            MmD(nq, bc, St, 1, T, vb, vbs, Dp, O, Dp, 1f, 1f);                     // O += P·V
        }
        for (int q = 0; q < nq; q++)
        {
            long row = (long)(q0 + i0 + q) * a.Hq + h;
            var oi = new Span<float>(a.O + row * D, D);
            if (l[q] == 0) { oi.Clear(); a.Lse[row] = float.NegativeInfinity; continue; }
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(O + q * Dp, D), 1f / l[q], oi);
            a.Lse[row] = m[q] + MathF.Log(l[q]);
        }
    }

    static void RowBlock(ref AttentionArgs a, int s, int h, int iStart, int iEnd)
    {
        int q0 = a.CuQ[s], lenQ = a.CuQ[s + 1] - q0, k0 = a.CuK[s], lenK = a.CuK[s + 1] - k0;
        int hk = h / (a.Hq / a.Hkv), D = a.D;
        Span<float> scores = stackalloc float[KeyTile];
        float* accp = AttentionScratch.Get(D);
        var acc = new Span<float>(accp, D);
        for (int i = iStart; i < iEnd; i++)
        {
            long row = (long)(q0 + i) * a.Hq + h;
            var qi = new ReadOnlySpan<float>(a.Q + row * D, D);
            var oi = new Span<float>(a.O + row * D, D);
            int visible = a.Visible(i, lenQ, lenK);
            float m = float.NegativeInfinity, l = 0;
            acc.Clear();
            for (int j0 = 0; j0 < visible; j0 += KeyTile)
            {
                int n = Math.Min(KeyTile, visible - j0);
                var st = scores[..n];
                for (int jj = 0; jj < n; jj++)
                    st[jj] = a.Scale * TensorPrimitives.Dot(qi, new ReadOnlySpan<float>(a.K + ((long)(k0 + j0 + jj) * a.Hkv + hk) * D, D));
                float mt = TensorPrimitives.Max(st);
                if (mt > m)
                {
                    float c = MathF.Exp(m - mt);   // m = −∞ on the first tile: c = 0
                    TensorPrimitives.Multiply(acc, c, acc);
                    l *= c;
                    m = mt;
                }
                for (int jj = 0; jj < n; jj++)
                {
                    float p = MathF.Exp(st[jj] - m);
                    l += p;
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(a.V + ((long)(k0 + j0 + jj) * a.Hkv + hk) * D, D), p, acc, acc);
                }
            }
            if (visible == 0) { oi.Clear(); a.Lse[row] = float.NegativeInfinity; }
            else
            {
                TensorPrimitives.Multiply(acc, 1f / l, oi);
                a.Lse[row] = m + MathF.Log(l);
            }
        }
    }
}
