// Building blocks of the tiled (AVX-512) FlashAttention paths: small matrix products on the SGEMM micro-kernel
// (GemmKernelAvx512: 6 rows × 64 columns per call), tile transposes and zero-padded copies (so head dims that are not
// multiples of 64 still feed 64-wide panels), column-wise softmax helpers over 64 queries, and per-thread scratch.
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class AttentionTiles
{
    public const int T = 64;   // queries per block and keys per tile: one micro-kernel panel wide

    /// <summary>C[rows, 64·panels] = alpha·A·B + beta·C with A (rows × kc) read through strides, B rows of 64·panels floats at stride bks.</summary>
    public static void Mm(int rows, int kc, float* a, long ars, long aks, float* b, long bks, int panels, float* c, long ldc, float alpha, float beta)
    {
        for (int r = 0; r < rows; r += 6)
        {
            int n = Math.Min(6, rows - r);
            for (int p = 0; p < panels; p++)
                GemmKernelAvx512.Tile(n, kc, a + r * ars, ars, aks, b + p * T, bks, c + r * ldc + p * T, ldc, alpha, beta);
        }
    }

    /// <summary>Head-dim width of the O/dQ/dK/dV accumulators: 32 for D ≤ 32 (the 32-column kernel), else D rounded up to 64.</summary>
    public static int PanelWidth(int D) => D <= AttentionKernel32.NR ? AttentionKernel32.NR : (D + T - 1) / T * T;

    /// <summary>C[rows, Dp] = alpha·A·B + beta·C for a head-dim-wide output (Dp = PanelWidth(D)): the 32-column kernel
    /// at Dp = 32, 64-wide SGEMM panels otherwise.</summary>
    public static void MmD(int rows, int kc, float* a, long ars, long aks, float* b, long bks, int Dp, float* c, long ldc, float alpha, float beta)
    {
        if (Dp == AttentionKernel32.NR) AttentionKernel32.Mm(rows, kc, a, ars, aks, b, bks, c, ldc, alpha, beta);
        else Mm(rows, kc, a, ars, aks, b, bks, Dp / T, c, ldc, alpha, beta);
    }

    /// <summary>dst [D, 64] = rows [n, D] (stride) transposed, columns n..63 zero.</summary>
    public static void Transpose(float* src, long stride, int n, int D, float* dst)
    {
        if (n < T) for (int d = 0; d < D; d++) new Span<float>(dst + d * T + n, T - n).Clear();
        for (int r = 0; r < n; r++)
        {
            float* s = src + r * stride;
            for (int d = 0; d < D; d++) dst[d * T + r] = s[d];
        }
    }

    /// <summary>Rows [n, D] at `stride` as a B operand of Dp = ⌈D/64⌉·64 columns: in place when D = Dp, else a zero-padded copy.</summary>
    public static float* AsPanels(float* src, long stride, int n, int D, int Dp, float* scratch, out long bks)
    {
        if (D == Dp) { bks = stride; return src; }
        for (int r = 0; r < n; r++)
        {
            new ReadOnlySpan<float>(src + r * stride, D).CopyTo(new Span<float>(scratch + r * Dp, D));
            new Span<float>(scratch + r * Dp + D, Dp - D).Clear();
        }
        bks = Dp;
        return scratch;
    }

    /// <summary>In a [keys, 64] tile, queries q &lt; qmin(jj) = j0 + jj − off − i0 cannot see key jj (causal): set to `value`.</summary>
    public static void MaskCausal(float* tile, int rows, int firstHidden, float value)
    {
        for (int jj = 0; jj < rows; jj++)
        {
            int hidden = Math.Clamp(firstHidden + jj, 0, T);
            if (hidden > 0) new Span<float>(tile + jj * T, hidden).Fill(value);
        }
    }

    public static Vector512<float> Load(float* p, int v) => Vector512.Load(p + 16 * v);
    public static void Store(float* p, int v, Vector512<float> x) => Vector512.Store(x, p + 16 * v);
}

/// <summary>Per-thread native scratch for the attention tiles, carved into named regions; grows on demand.</summary>
internal sealed unsafe class AttentionScratch
{
    [ThreadStatic] static AttentionScratch? current;
    float* ptr;
    long capacity;

    public static float* Get(long floats)
    {
        var s = current ??= new AttentionScratch();
        if (floats > s.capacity)
        {
            if (s.ptr != null) NativeMemory.AlignedFree(s.ptr);
            s.capacity = Math.Max(floats, 64 * 1024);
            s.ptr = (float*)NativeMemory.AlignedAlloc((nuint)s.capacity * sizeof(float), 64);
        }
        return s.ptr;
    }

    ~AttentionScratch()
    {
        if (ptr != null) NativeMemory.AlignedFree(ptr);
    }
}
