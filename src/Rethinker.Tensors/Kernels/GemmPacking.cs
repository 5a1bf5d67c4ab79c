// Packing of op(B) blocks into NR-wide panels (panel p, row k at dst[p·kc·NR + k·NR]), zero-padded to NR columns, so the
// micro-kernel reads B as one contiguous stream whatever B's layout (Goto & van de Geijn 2008). A is read in place
// through strides, except a transposed A, whose micro-panels are packed k-major. Per-thread pack buffers live as long
// as their thread (pool workers persist).
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class GemmPacking
{
    /// <summary>Packs op(B)[k0..k0+kc, n0..n0+cols) into ceil(cols/NR) panels at dst.</summary>
    public static void PackB(bool transB, float* B, long ldb, int k0, int kc, int n0, int cols, int NR, float* dst)
    {
        if (!transB)
        {
            // op(B) = B [K, N]: row k is one contiguous run of `cols` floats, read once and dealt out to the panels.
            // (Panel-outer order re-read each row in NR-float pieces at a stride of ldb: with a power-of-two N every
            // piece fell in the same cache sets, and two threads packing so lost half their speed on 1024² and 2048².)
            int panels = (cols + NR - 1) / NR, tail = cols - (panels - 1) * NR;
            for (int k = 0; k < kc; k++)
            {
                float* s = B + (k0 + k) * ldb + n0;
                float* dk = dst + (long)k * NR;
                for (int p = 0; p < panels - 1; p++) CopyRow(s + p * NR, dk + (long)p * kc * NR, NR);
                float* last = dk + (long)(panels - 1) * kc * NR;
                CopyRow(s + (panels - 1) * NR, last, tail);
                if (tail < NR) new Span<float>(last + tail, NR - tail).Clear();
            }
            return;
        }
        for (int p = 0; p * NR < cols; p++)
        {
            int w = Math.Min(NR, cols - p * NR);
            float* d = dst + (long)p * kc * NR;
            // op(B) = Bᵀ with B [N, K] (nn.Linear weight): transpose w rows of kc floats into the panel
            if (w < NR)
                for (int k = 0; k < kc; k++) new Span<float>(d + (long)k * NR + w, NR - w).Clear();
            PackTransposed(B + (long)(n0 + p * NR) * ldb + k0, ldb, w, kc, d, NR);
        }
    }

    /// <summary>dst[0..w) = src[0..w) with inline vector moves (a memmove call per 64-float row costs as much as the copy).</summary>
    static void CopyRow(float* src, float* dst, int w)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + 16 <= w; j += 16) Vector512.Store(Vector512.Load(src + j), dst + j);
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= w; j += 8) Vector256.Store(Vector256.Load(src + j), dst + j);
        for (; j < w; j++) dst[j] = src[j];
    }

    /// <summary>Floats per k in a packed A micro-panel: MR rows padded to 8, so each k is one aligned 8-float store.</summary>
    public const int PackedAStride = 8;

    const int PrefetchRows = 8;   // how many k rows ahead PackATransposed prefetches A

    /// <summary>
    /// Packs `rows` rows of a transposed A (stored K×M: element (r, k) at src[k·lda + r]) into micro-panels of MR rows,
    /// panel j at dst + j·panelStride, row r of k at [k·PackedAStride + r]. Walks A one k row at a time and deals that
    /// row's `rows` contiguous floats out to every panel, so each of A's rows (one page apart when lda is large) is
    /// touched once per call: packing one micro-panel at a time walked all kc pages again for every panel, a DTLB miss
    /// per load (kc = 256 pages against Zen 4's 72-entry L1 DTLB), ~5 % of a transposed GEMM. `readable` = floats
    /// readable from the start of each of A's rows at src (the 8-float copies may read past `rows`, never past this).
    /// </summary>
    internal static void PackATransposed(float* src, long lda, int rows, int kc, int MR, long readable, float* dst, long panelStride)
    {
        int panels = (rows + MR - 1) / MR;
        int wide = WidePanels(panels, MR, readable, Vector256.IsHardwareAccelerated);   // panels before this one copy 8 floats
        for (int k = 0; k < kc; k++)
        {
            float* s = src + k * lda, d = dst + k * PackedAStride;
            if (Sse.IsSupported && k + PrefetchRows < kc)
            {
                // each k row is a fresh line a page or so away, which no hardware prefetcher follows: ask for the row
                // PrefetchRows ahead (one thread, 1024² TN: 97–99 → 101–104 GFLOP/s, level with NN; the pack had cost
                // 8 % — skipping it, results aside, ran at 105)
                float* ahead = s + PrefetchRows * lda;
                for (int f = 0; f < rows; f += 16) Sse.Prefetch0(ahead + f);
                Sse.Prefetch0(ahead + rows - 1);
            }
            int j = 0;
            for (; j < wide; j++) Vector256.Store(Vector256.Load(s + j * MR), d + j * panelStride);
            for (; j < panels; j++)
                for (int r = 0, n = Math.Min(MR, rows - j * MR); r < n; r++) d[j * panelStride + r] = s[j * MR + r];
        }
    }

    /// <summary>
    /// How many leading panels PackATransposed copies as one 8-float vector per k: only with hardware vectors and
    /// MR ≤ 8, and only while the 8 floats stay within the `readable` floats of A's row; the rest copy MR exactly.
    /// </summary>
    internal static int WidePanels(int panels, int MR, long readable, bool vectors)
    {
        int wide = 0;
        if (vectors && MR <= PackedAStride)
            while (wide < panels && (long)wide * MR + 8 <= readable) wide++;
        return wide;
    }

    /// <summary>dst[k·lds + j] = src[j·ldsrc + k] for j &lt; w, k &lt; kc: 16×16 / 8×8 register blocks, scalar edges.</summary>
    internal static void PackTransposed(float* src, long ldsrc, int w, int kc, float* dst, long lds)
    {
        int j = 0;
        if (Avx512F.IsSupported)
            for (; j + 16 <= w; j += 16)
            {
                int k = 0;
                for (; k + 16 <= kc; k += 16) GemmTranspose.Block16(src + j * ldsrc + k, ldsrc, dst + k * lds + j, lds);
                TransposeScalar(src + j * ldsrc + k, ldsrc, 16, kc - k, dst + k * lds + j, lds);
            }
        if (Avx.IsSupported)
            for (; j + 8 <= w; j += 8)
            {
                int k = 0;
                for (; k + 8 <= kc; k += 8) GemmTranspose.Block8(src + j * ldsrc + k, ldsrc, dst + k * lds + j, lds);
                TransposeScalar(src + j * ldsrc + k, ldsrc, 8, kc - k, dst + k * lds + j, lds);
            }
        TransposeScalar(src + j * ldsrc, ldsrc, w - j, kc, dst + j, lds);
    }

    static void TransposeScalar(float* src, long ldsrc, int w, int kc, float* dst, long lds)
    {
        for (int j = 0; j < w; j++)
        {
            float* s = src + j * ldsrc, dj = dst + j;
            for (int k = 0; k < kc; k++, dj += lds) *dj = s[k];
        }
    }
}

/// <summary>A 64-byte aligned native scratch buffer per thread, grown on demand and freed when its thread ends.</summary>
internal sealed unsafe class ScratchBuffer
{
    [ThreadStatic] static ScratchBuffer? packB;
    [ThreadStatic] static ScratchBuffer? packA;
    [ThreadStatic] static ScratchBuffer? small;
    float* ptr;
    nuint capacity;

    public static float* PackB(long floats) => (packB ??= new ScratchBuffer()).Get(floats);
    public static float* PackA(long floats) => (packA ??= new ScratchBuffer()).Get(floats);
    public static float* Small(long floats) => (small ??= new ScratchBuffer()).Get(floats);

    float* Get(long floats)
    {
        if ((nuint)floats > capacity)
        {
            if (ptr != null) NativeMemory.AlignedFree(ptr);
            capacity = (nuint)Math.Max(floats, 1024);
            ptr = (float*)NativeMemory.AlignedAlloc(capacity * sizeof(float), (nuint)Vector512<byte>.Count);
        }
        return ptr;
    }

    ~ScratchBuffer()
    {
        if (ptr != null) NativeMemory.AlignedFree(ptr);
    }
}
