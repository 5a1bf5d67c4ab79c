// Packing of op(B) blocks into NR-wide panels (panel p, row k at dst[p·kc·NR + k·NR]), zero-padded to NR columns, so the
// micro-kernel reads B as one contiguous stream whatever B's layout (Goto & van de Geijn 2008). A is never packed: the
// micro-kernel reads it through strides. Per-thread pack buffers live as long as their thread (pool workers persist).
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class GemmPacking
{
    /// <summary>Packs op(B)[k0..k0+kc, n0..n0+cols) into ceil(cols/NR) panels at dst.</summary>
    public static void PackB(bool transB, float* B, long ldb, int k0, int kc, int n0, int cols, int NR, float* dst)
    {
        for (int p = 0; p * NR < cols; p++)
        {
            int w = Math.Min(NR, cols - p * NR);
            float* d = dst + (long)p * kc * NR;
            if (!transB)
            {
                // op(B) = B [K, N]: each k is a contiguous run of w floats
                for (int k = 0; k < kc; k++)
                {
                    float* s = B + (k0 + k) * ldb + n0 + p * NR;
                    float* dk = d + (long)k * NR;
                    new ReadOnlySpan<float>(s, w).CopyTo(new Span<float>(dk, w));
                    if (w < NR) new Span<float>(dk + w, NR - w).Clear();
                }
            }
            else
            {
                // op(B) = Bᵀ with B [N, K] (nn.Linear weight): transpose w rows of kc floats into the panel
                if (w < NR)
                    for (int k = 0; k < kc; k++) new Span<float>(d + (long)k * NR + w, NR - w).Clear();
                int j = 0;
                for (; j + 4 <= w; j += 4)
                {
                    float* s0 = B + (n0 + p * NR + j) * ldb + k0, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
                    float* dj = d + j;
                    for (int k = 0; k < kc; k++, dj += NR)
                    {
                        dj[0] = s0[k]; dj[1] = s1[k]; dj[2] = s2[k]; dj[3] = s3[k];
                    }
                }
                for (; j < w; j++)
                {
                    float* s = B + (n0 + p * NR + j) * ldb + k0;
                    float* dj = d + j;
                    for (int k = 0; k < kc; k++, dj += NR) *dj = s[k];
                }
            }
        }
    }
}

/// <summary>A 64-byte aligned native scratch buffer per thread, grown on demand and freed when its thread ends.</summary>
internal sealed unsafe class ScratchBuffer
{
    [ThreadStatic] static ScratchBuffer? packB;
    [ThreadStatic] static ScratchBuffer? small;
    float* ptr;
    nuint capacity;

    public static float* PackB(long floats) => (packB ??= new ScratchBuffer()).Get(floats);
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
