// FlashAttention forward: one work item = (sequence, query head, block of query rows); per row an online softmax over
// key tiles (running max m, running sum l, unnormalised accumulator o), so memory is O(D) per row, never O(lenK²).
// Follows FlashAttention-2 Algorithm 1 (Dao 2023) with the tile loop per query row.
using System.Buffers;
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class FlashAttentionForward
{
    const int RowsPerItem = 16;
    const int KeyTile = 64;

    public static void Run(ref AttentionArgs a)
    {
        int[] starts = ArrayPool<int>.Shared.Rent(a.NSeq + 1);
        try
        {
            starts[0] = 0;
            for (int s = 0; s < a.NSeq; s++)
            {
                int lenQ = a.CuQ[s + 1] - a.CuQ[s];
                starts[s + 1] = starts[s] + a.Hq * ((lenQ + RowsPerItem - 1) / RowsPerItem);
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
        int h = local % a.Hq, block = local / a.Hq;
        int q0 = a.CuQ[s], lenQ = a.CuQ[s + 1] - q0, k0 = a.CuK[s], lenK = a.CuK[s + 1] - k0;
        int hk = h / (a.Hq / a.Hkv), D = a.D;
        Span<float> scores = stackalloc float[KeyTile];
        float[] accArr = ArrayPool<float>.Shared.Rent(D);
        try
        {
            var acc = accArr.AsSpan(0, D);
            int iEnd = Math.Min(lenQ, (block + 1) * RowsPerItem);
            for (int i = block * RowsPerItem; i < iEnd; i++)
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
                        float corr = MathF.Exp(m - mt);   // m = −∞ on the first tile: corr = 0
                        TensorPrimitives.Multiply(acc, corr, acc);
                        l *= corr;
                        m = mt;
                    }
                    for (int jj = 0; jj < n; jj++)
                    {
                        float p = MathF.Exp(st[jj] - m);
                        l += p;
                        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(a.V + ((long)(k0 + j0 + jj) * a.Hkv + hk) * D, D), p, acc, acc);
                    }
                }
                if (visible == 0)
                {
                    oi.Clear();
                    a.Lse[row] = float.NegativeInfinity;
                }
                else
                {
                    TensorPrimitives.Multiply(acc, 1f / l, oi);
                    a.Lse[row] = m + MathF.Log(l);
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(accArr); }
    }
}
