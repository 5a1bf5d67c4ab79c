// SGEMM micro-kernel, AVX-512F (Zen 4 / Skylake-X): 24 zmm accumulators (6 rows × 4×16 columns), one broadcast of A and four loads of B per k.
// Generated shape: MR=6, NR=64; see GemmKernelContracts.cs for the tile contract. The k loop is the only hot loop of
// the whole GEMM: everything else (packing, blocking, threading) exists to keep its operands in L1/L2.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels;

internal unsafe struct GemmKernelAvx512 : IGemmKernel
{
    public static int MR => 6;
    public static int NR => 64;
    public static bool IsSupported => Avx512F.IsSupported;

    public static void Tile(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
        => Dispatch<FullWidth>(rows, kc, a, ars, aks, b, bks, c, ldc, alpha, beta);

    /// <summary>
    /// The tile for a ragged last panel of at most NR/2 columns: C[r, 0..32) only, from the first 32 floats of each
    /// k row of b (the packed panel is NR wide, zero-padded). A full-width tile there spent half its FMAs on padding:
    /// N = 1376 is 21.5 panels, so 2.3 % of every such GEMM.
    /// </summary>
    public static void TileHalf(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
        => Dispatch<HalfWidth>(rows, kc, a, ars, aks, b, bks, c, ldc, alpha, beta);

    /// <summary>Column width of an instantiation: all four vectors of B per k (64 columns), or the first two (32).</summary>
    interface IWidth { static abstract bool Full { get; } }
    struct FullWidth : IWidth { public static bool Full => true; }
    struct HalfWidth : IWidth { public static bool Full => false; }

    static void Dispatch<W>(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where W : struct, IWidth
    {
        switch (rows)
        {
            case 1: Run<R1, W>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 2: Run<R2, W>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 3: Run<R3, W>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 4: Run<R4, W>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 5: Run<R5, W>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            default: Run<R6, W>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
        }
    }

    // rows and width are compile-time constants per instantiation, so each keeps only its live accumulators
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<R, W>(int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where R : struct, IRows where W : struct, IWidth
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = Vector512<float>.Zero; c01 = Vector512<float>.Zero; c02 = Vector512<float>.Zero; c03 = Vector512<float>.Zero; c10 = Vector512<float>.Zero; c11 = Vector512<float>.Zero; c12 = Vector512<float>.Zero; c13 = Vector512<float>.Zero; c20 = Vector512<float>.Zero; c21 = Vector512<float>.Zero; c22 = Vector512<float>.Zero; c23 = Vector512<float>.Zero; c30 = Vector512<float>.Zero; c31 = Vector512<float>.Zero; c32 = Vector512<float>.Zero; c33 = Vector512<float>.Zero; c40 = Vector512<float>.Zero; c41 = Vector512<float>.Zero; c42 = Vector512<float>.Zero; c43 = Vector512<float>.Zero; c50 = Vector512<float>.Zero; c51 = Vector512<float>.Zero; c52 = Vector512<float>.Zero; c53 = Vector512<float>.Zero;
        long o1 = ars, o2 = 2 * ars, o3 = 3 * ars, o4 = 4 * ars, o5 = 5 * ars;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var b2 = W.Full ? Vector512.Load(b + 32) : default;
            var b3 = W.Full ? Vector512.Load(b + 48) : default;
            { var a0 = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01); if (W.Full) { c02 = Avx512F.FusedMultiplyAdd(a0, b2, c02); c03 = Avx512F.FusedMultiplyAdd(a0, b3, c03); } }
            if (R.N > 1) { var a1 = Vector512.Create(a[o1]); c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11); if (W.Full) { c12 = Avx512F.FusedMultiplyAdd(a1, b2, c12); c13 = Avx512F.FusedMultiplyAdd(a1, b3, c13); } }
            if (R.N > 2) { var a2 = Vector512.Create(a[o2]); c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21); if (W.Full) { c22 = Avx512F.FusedMultiplyAdd(a2, b2, c22); c23 = Avx512F.FusedMultiplyAdd(a2, b3, c23); } }
            if (R.N > 3) { var a3 = Vector512.Create(a[o3]); c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31); if (W.Full) { c32 = Avx512F.FusedMultiplyAdd(a3, b2, c32); c33 = Avx512F.FusedMultiplyAdd(a3, b3, c33); } }
            if (R.N > 4) { var a4 = Vector512.Create(a[o4]); c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41); if (W.Full) { c42 = Avx512F.FusedMultiplyAdd(a4, b2, c42); c43 = Avx512F.FusedMultiplyAdd(a4, b3, c43); } }
            if (R.N > 5) { var a5 = Vector512.Create(a[o5]); c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51); if (W.Full) { c52 = Avx512F.FusedMultiplyAdd(a5, b2, c52); c53 = Avx512F.FusedMultiplyAdd(a5, b3, c53); } }
            a += aks; b += bks;
        }
        Store<W>(c + 0 * ldc, c00, c01, c02, c03, alpha, beta);
        if (R.N > 1) Store<W>(c + 1 * ldc, c10, c11, c12, c13, alpha, beta);
        if (R.N > 2) Store<W>(c + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        if (R.N > 3) Store<W>(c + 3 * ldc, c30, c31, c32, c33, alpha, beta);
        if (R.N > 4) Store<W>(c + 4 * ldc, c40, c41, c42, c43, alpha, beta);
        if (R.N > 5) Store<W>(c + 5 * ldc, c50, c51, c52, c53, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store<W>(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3, float alpha, float beta) where W : struct, IWidth
    {
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(x0 * va, c); Vector512.Store(x1 * va, c + 16);
            if (W.Full) { Vector512.Store(x2 * va, c + 32); Vector512.Store(x3 * va, c + 48); }
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c), vb, x0 * va), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 16), vb, x1 * va), c + 16);
            if (W.Full)
            {
                Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 32), vb, x2 * va), c + 32);
                Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 48), vb, x3 * va), c + 48);
            }
        }
    }
}
