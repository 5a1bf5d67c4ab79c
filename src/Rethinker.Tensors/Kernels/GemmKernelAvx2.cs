// SGEMM micro-kernel, AVX2 + FMA3: 12 ymm accumulators (6 rows × 2×8 columns) in the 16 ymm registers.
// Generated shape: MR=6, NR=16; see GemmKernelContracts.cs for the tile contract. The k loop is the only hot loop of
// the whole GEMM: everything else (packing, blocking, threading) exists to keep its operands in L1/L2.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels;

internal unsafe struct GemmKernelAvx2 : IGemmKernel
{
    public static int MR => 6;
    public static int NR => 16;
    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    public static void TileHalf(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
        => Tile(rows, kc, a, ars, aks, b, bks, c, ldc, alpha, beta);   // NR is narrow: a half tile would save little

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<R>(int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where R : struct, IRows
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        c00 = Vector256<float>.Zero; c01 = Vector256<float>.Zero; c10 = Vector256<float>.Zero; c11 = Vector256<float>.Zero; c20 = Vector256<float>.Zero; c21 = Vector256<float>.Zero; c30 = Vector256<float>.Zero; c31 = Vector256<float>.Zero; c40 = Vector256<float>.Zero; c41 = Vector256<float>.Zero; c50 = Vector256<float>.Zero; c51 = Vector256<float>.Zero;
        long o1 = ars, o2 = 2 * ars, o3 = 3 * ars, o4 = 4 * ars, o5 = 5 * ars;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            { var a0 = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(a0, b0, c00); c01 = Fma.MultiplyAdd(a0, b1, c01); }
            if (R.N > 1) { var a1 = Vector256.Create(a[o1]); c10 = Fma.MultiplyAdd(a1, b0, c10); c11 = Fma.MultiplyAdd(a1, b1, c11); }
            if (R.N > 2) { var a2 = Vector256.Create(a[o2]); c20 = Fma.MultiplyAdd(a2, b0, c20); c21 = Fma.MultiplyAdd(a2, b1, c21); }
            if (R.N > 3) { var a3 = Vector256.Create(a[o3]); c30 = Fma.MultiplyAdd(a3, b0, c30); c31 = Fma.MultiplyAdd(a3, b1, c31); }
            if (R.N > 4) { var a4 = Vector256.Create(a[o4]); c40 = Fma.MultiplyAdd(a4, b0, c40); c41 = Fma.MultiplyAdd(a4, b1, c41); }
            if (R.N > 5) { var a5 = Vector256.Create(a[o5]); c50 = Fma.MultiplyAdd(a5, b0, c50); c51 = Fma.MultiplyAdd(a5, b1, c51); }
            a += aks; b += bks;
        }
        Store(c + 0 * ldc, c00, c01, alpha, beta);
        if (R.N > 1) Store(c + 1 * ldc, c10, c11, alpha, beta);
        if (R.N > 2) Store(c + 2 * ldc, c20, c21, alpha, beta);
        if (R.N > 3) Store(c + 3 * ldc, c30, c31, alpha, beta);
        if (R.N > 4) Store(c + 4 * ldc, c40, c41, alpha, beta);
        if (R.N > 5) Store(c + 5 * ldc, c50, c51, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector256<float> x0, Vector256<float> x1, float alpha, float beta)
    {
        var va = Vector256.Create(alpha);
        if (beta == 0) { Vector256.Store(x0 * va, c); Vector256.Store(x1 * va, c + 8); }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.Store(Fma.MultiplyAdd(Vector256.Load(c), vb, x0 * va), c);
            Vector256.Store(Fma.MultiplyAdd(Vector256.Load(c + 8), vb, x1 * va), c + 8);
        }
    }
}
