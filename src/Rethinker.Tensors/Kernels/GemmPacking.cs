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

    /// <summary>
    /// Packs a transposed A micro-panel (A stored K×M: element (r, k) at src[k·lda + r]) k-major, dst[k·MR + r] for
    /// r &lt; rows. With `wide` (8 floats readable from every src row) each k is one 8-float copy whose surplus the
    /// next k overwrites (dst needs 8 floats of slack), otherwise a scalar copy.
    /// </summary>
    internal static void PackATransposed(float* src, long lda, int rows, int kc, int MR, bool wide, float* dst)
    {
        if (wide && rows == MR && MR <= 8 && Vector256.IsHardwareAccelerated)
        {
            for (int k = 0; k < kc; k++) Vector256.Store(Vector256.Load(src + k * lda), dst + k * MR);
            return;
        }
        for (int k = 0; k < kc; k++)
            for (int r = 0; r < rows; r++) dst[k * MR + r] = src[k * lda + r];
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
    [ThreadStatic] static ScratchBuffer? wholeA;
    float* ptr;
    nuint capacity;

    public static float* PackB(long floats) => (packB ??= new ScratchBuffer()).Get(floats);
    public static float* PackA(long floats) => (packA ??= new ScratchBuffer()).Get(floats);
    public static float* Small(long floats) => (small ??= new ScratchBuffer()).Get(floats);
    /// <summary>The caller's whole packed transposed A; pool workers read it during the caller's GEMM.</summary>
    public static float* WholeA(long floats) => (wholeA ??= new ScratchBuffer()).Get(floats);

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
