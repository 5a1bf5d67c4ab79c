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
    {
        switch (rows)
        {
            case 1: Run<R1>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 2: Run<R2>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 3: Run<R3>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 4: Run<R4>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 5: Run<R5>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            default: Run<R6>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
        }
    }

    /// <summary>
    /// The tile for a ragged last panel of at most NR/2 columns: C[r, 0..32) only, from the first 32 floats of each
    /// k row of b (the packed panel is NR wide, zero-padded). A full-width tile there spent half its FMAs on padding:
    /// N = 1376 is 21.5 panels, so 2.3 % of every such GEMM.
    /// </summary>
    public static void TileHalf(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 1: RunHalf<R1>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 2: RunHalf<R2>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 3: RunHalf<R3>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 4: RunHalf<R4>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 5: RunHalf<R5>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            default: RunHalf<R6>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RunHalf<R>(int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where R : struct, IRows
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        long o1 = ars, o2 = 2 * ars, o3 = 3 * ars, o4 = 4 * ars, o5 = 5 * ars;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            { var a0 = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01); }
            if (R.N > 1) { var a1 = Vector512.Create(a[o1]); c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11); }
            if (R.N > 2) { var a2 = Vector512.Create(a[o2]); c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21); }
            if (R.N > 3) { var a3 = Vector512.Create(a[o3]); c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31); }
            if (R.N > 4) { var a4 = Vector512.Create(a[o4]); c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41); }
            if (R.N > 5) { var a5 = Vector512.Create(a[o5]); c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51); }
            a += aks; b += bks;
        }
        StoreHalf(c + 0 * ldc, c00, c01, alpha, beta);
        if (R.N > 1) StoreHalf(c + 1 * ldc, c10, c11, alpha, beta);
        if (R.N > 2) StoreHalf(c + 2 * ldc, c20, c21, alpha, beta);
        if (R.N > 3) StoreHalf(c + 3 * ldc, c30, c31, alpha, beta);
        if (R.N > 4) StoreHalf(c + 4 * ldc, c40, c41, alpha, beta);
        if (R.N > 5) StoreHalf(c + 5 * ldc, c50, c51, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreHalf(float* c, Vector512<float> x0, Vector512<float> x1, float alpha, float beta)
    {
        var va = Vector512.Create(alpha);
        if (beta == 0) { Vector512.Store(x0 * va, c); Vector512.Store(x1 * va, c + 16); return; }
        var vb = Vector512.Create(beta);
        Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c), vb, x0 * va), c);
        Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 16), vb, x1 * va), c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<R>(int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where R : struct, IRows
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        c00 = Vector512<float>.Zero; c01 = Vector512<float>.Zero; c02 = Vector512<float>.Zero; c03 = Vector512<float>.Zero; c10 = Vector512<float>.Zero; c11 = Vector512<float>.Zero; c12 = Vector512<float>.Zero; c13 = Vector512<float>.Zero; c20 = Vector512<float>.Zero; c21 = Vector512<float>.Zero; c22 = Vector512<float>.Zero; c23 = Vector512<float>.Zero; c30 = Vector512<float>.Zero; c31 = Vector512<float>.Zero; c32 = Vector512<float>.Zero; c33 = Vector512<float>.Zero; c40 = Vector512<float>.Zero; c41 = Vector512<float>.Zero; c42 = Vector512<float>.Zero; c43 = Vector512<float>.Zero; c50 = Vector512<float>.Zero; c51 = Vector512<float>.Zero; c52 = Vector512<float>.Zero; c53 = Vector512<float>.Zero;
        long o1 = ars, o2 = 2 * ars, o3 = 3 * ars, o4 = 4 * ars, o5 = 5 * ars;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);
            var b3 = Vector512.Load(b + 48);
            { var a0 = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01); c02 = Avx512F.FusedMultiplyAdd(a0, b2, c02); c03 = Avx512F.FusedMultiplyAdd(a0, b3, c03); }
            if (R.N > 1) { var a1 = Vector512.Create(a[o1]); c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11); c12 = Avx512F.FusedMultiplyAdd(a1, b2, c12); c13 = Avx512F.FusedMultiplyAdd(a1, b3, c13); }
            if (R.N > 2) { var a2 = Vector512.Create(a[o2]); c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21); c22 = Avx512F.FusedMultiplyAdd(a2, b2, c22); c23 = Avx512F.FusedMultiplyAdd(a2, b3, c23); }
            if (R.N > 3) { var a3 = Vector512.Create(a[o3]); c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31); c32 = Avx512F.FusedMultiplyAdd(a3, b2, c32); c33 = Avx512F.FusedMultiplyAdd(a3, b3, c33); }
            if (R.N > 4) { var a4 = Vector512.Create(a[o4]); c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41); c42 = Avx512F.FusedMultiplyAdd(a4, b2, c42); c43 = Avx512F.FusedMultiplyAdd(a4, b3, c43); }
            if (R.N > 5) { var a5 = Vector512.Create(a[o5]); c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51); c52 = Avx512F.FusedMultiplyAdd(a5, b2, c52); c53 = Avx512F.FusedMultiplyAdd(a5, b3, c53); }
            a += aks; b += bks;
        }
        Store(c + 0 * ldc, c00, c01, c02, c03, alpha, beta);
        if (R.N > 1) Store(c + 1 * ldc, c10, c11, c12, c13, alpha, beta);
        if (R.N > 2) Store(c + 2 * ldc, c20, c21, c22, c23, alpha, beta);
        if (R.N > 3) Store(c + 3 * ldc, c30, c31, c32, c33, alpha, beta);
        if (R.N > 4) Store(c + 4 * ldc, c40, c41, c42, c43, alpha, beta);
        if (R.N > 5) Store(c + 5 * ldc, c50, c51, c52, c53, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3, float alpha, float beta)
    {
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(x0 * va, c); Vector512.Store(x1 * va, c + 16); Vector512.Store(x2 * va, c + 32); Vector512.Store(x3 * va, c + 48);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c), vb, x0 * va), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 16), vb, x1 * va), c + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 32), vb, x2 * va), c + 32);
            Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 48), vb, x3 * va), c + 48);
        }
    }
}
