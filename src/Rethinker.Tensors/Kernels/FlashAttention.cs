// Fused scaled-dot-product attention over packed variable-length sequences (FlashAttention-2, Dao 2023), forward and
// backward, with GQA and causal (bottom-right aligned) or full masks. Layout (token-major, as flash_attn_varlen_func):
// q/o/dO [Tq, Hq, D], k/v [Tk, Hkv, D], cuQ/cuK [nSeq+1] cumulative lengths, lse [Tq, Hq] = log Σⱼ exp(s·qᵢ·kⱼ).
// The S×S score matrix is never stored: forward keeps an online softmax over key tiles, backward recomputes P from lse.
// Query rows that see no key (causal with lenK < lenQ, or lenK = 0) get o = 0, lse = −∞ and zero gradients.
namespace Rethinker.Tensors.Kernels;

public static class FlashAttention
{
    /// <summary>o = softmax(scale·q·kᵀ + mask)·v per (sequence, head); lse saved for <see cref="Backward"/>.</summary>
    public static void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> o, Span<float> lse,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale)
        => Forward(q, k, v, o, lse, Hq, Hkv, D, cuQ, cuK, causal, scale, AttentionPath.Auto);

    internal static unsafe void Forward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> o, Span<float> lse,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale, AttentionPath path)
    {
        Validate("FlashAttention.Forward", q.Length, k.Length, v.Length, Hq, Hkv, D, cuQ, cuK, scale);
        Check("FlashAttention.Forward", "o", o.Length, q.Length);
        Check("FlashAttention.Forward", "lse", lse.Length, q.Length / D);
        if (q.Length == 0) return;
        fixed (float* pq = q, pk = k, pv = v, po = o, plse = lse)
        fixed (int* pcq = cuQ, pck = cuK)
        {
            var a = new AttentionArgs
            {
                Q = pq, K = pk, V = pv, O = po, Lse = plse, CuQ = pcq, CuK = pck, NSeq = cuQ.Length - 1,
                Hq = Hq, Hkv = Hkv, D = D, Causal = causal, Scale = scale, Tiled = UseTiles(path),
            };
            FlashAttentionForward.Run(ref a);
        }
    }

    /// <summary>dQ, dK, dV (overwritten) from dO, recomputing P = exp(s·q·kᵀ − lse) tile by tile.</summary>
    public static void Backward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> o,
        ReadOnlySpan<float> lse, ReadOnlySpan<float> dO, Span<float> dQ, Span<float> dK, Span<float> dV,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale)
        => Backward(q, k, v, o, lse, dO, dQ, dK, dV, Hq, Hkv, D, cuQ, cuK, causal, scale, AttentionPath.Auto);

    internal static unsafe void Backward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> o,
        ReadOnlySpan<float> lse, ReadOnlySpan<float> dO, Span<float> dQ, Span<float> dK, Span<float> dV,
        int Hq, int Hkv, int D, ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, bool causal, float scale, AttentionPath path)
    {
        const string op = "FlashAttention.Backward";
        Validate(op, q.Length, k.Length, v.Length, Hq, Hkv, D, cuQ, cuK, scale);
        Check(op, "o", o.Length, q.Length);
        Check(op, "lse", lse.Length, q.Length / D);
        Check(op, "dO", dO.Length, q.Length);
        Check(op, "dQ", dQ.Length, q.Length);
        Check(op, "dK", dK.Length, k.Length);
        Check(op, "dV", dV.Length, v.Length);
        dQ.Clear(); dK.Clear(); dV.Clear();
        if (q.Length == 0 || k.Length == 0) return;
        fixed (float* pq = q, pk = k, pv = v, po = o, plse = lse, pdo = dO, pdq = dQ, pdk = dK, pdv = dV)
        fixed (int* pcq = cuQ, pck = cuK)
        {
            var a = new AttentionArgs
            {
                Q = pq, K = pk, V = pv, O = po, Lse = plse, CuQ = pcq, CuK = pck, NSeq = cuQ.Length - 1,
                Hq = Hq, Hkv = Hkv, D = D, Causal = causal, Scale = scale, Tiled = UseTiles(path), DO = pdo, DQ = pdq, DK = pdk, DV = pdv,
            };
            FlashAttentionBackward.Run(ref a);
        }
    }

    static bool UseTiles(AttentionPath path) => path != AttentionPath.Rowwise && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    static void Validate(string op, int qLen, int kLen, int vLen, int Hq, int Hkv, int D,
        ReadOnlySpan<int> cuQ, ReadOnlySpan<int> cuK, float scale)
    {
        if (Hq <= 0 || Hkv <= 0 || D <= 0 || Hq % Hkv != 0)
            throw new ArgumentException($"{op}: need Hq, Hkv, D > 0 and Hq % Hkv == 0, got Hq={Hq} Hkv={Hkv} D={D}");
        if (!float.IsFinite(scale)) throw new ArgumentException($"{op}: scale must be finite, got {scale}");
        if (cuQ.Length < 1 || cuQ.Length != cuK.Length)
            throw new ArgumentException($"{op}: cuQ and cuK must both have nSeq+1 >= 1 entries, got {cuQ.Length} and {cuK.Length}");
        CheckCumulative(op, "cuQ", cuQ);
        CheckCumulative(op, "cuK", cuK);
        Check(op, "q", qLen, (long)cuQ[^1] * Hq * D);
        Check(op, "k", kLen, (long)cuK[^1] * Hkv * D);
        Check(op, "v", vLen, (long)cuK[^1] * Hkv * D);
    }

    static void CheckCumulative(string op, string name, ReadOnlySpan<int> cu)
    {
        if (cu[0] != 0) throw new ArgumentException($"{op}: {name}[0] must be 0, got {cu[0]}");
        for (int i = 1; i < cu.Length; i++)
            if (cu[i] < cu[i - 1])
                throw new ArgumentException($"{op}: {name} must be non-decreasing, but {name}[{i}]={cu[i]} < {name}[{i - 1}]={cu[i - 1]}");
    }

    static void Check(string op, string name, long actual, long expected)
    {
        if (actual != expected)
            throw new ArgumentException($"{op}: {name} has {actual} elements, expected {expected} from the sequence lengths and head shape");
    }
}

/// <summary>Auto: 64×64 tiles on the AVX-512 micro-kernel where supported, row by row otherwise; the others are for tests.</summary>
internal enum AttentionPath { Auto, Rowwise, Tiled }

/// <summary>Raw pointers into the caller's (pinned) spans, shared by the parallel attention bodies.</summary>
internal unsafe struct AttentionArgs
{
    public float* Q, K, V, O, Lse, DO, DQ, DK, DV;
    public int* CuQ, CuK, ItemStart;
    public int NSeq, Hq, Hkv, D;
    public bool Causal, Tiled;
    public float Scale;

    /// <summary>Sequences with at least this many query rows take the 64×64 tiled path (when Tiled); shorter ones (decode) go row by row.</summary>
    public const int TiledMinRows = 8;

    public readonly bool TiledFor(int lenQ) => Tiled && lenQ >= TiledMinRows;

    /// <summary>Keys visible to query row i: all, or j ≤ i + (lenK − lenQ) when causal.</summary>
    public readonly int Visible(int i, int lenQ, int lenK) => Causal ? Math.Clamp(i + (lenK - lenQ) + 1, 0, lenK) : lenK;

    /// <summary>Which sequence owns work item `item` given ItemStart [NSeq+1] (prefix sums of items per sequence).</summary>
    public readonly int SequenceOf(int item)
    {
        int lo = 0, hi = NSeq - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (ItemStart[mid] <= item) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
