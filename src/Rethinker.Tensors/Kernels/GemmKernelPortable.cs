// SGEMM micro-kernel, portable fallback (Vector128, any ISA; multiply then add, no FMA assumed): 8 accumulators.
// Generated shape: MR=4, NR=8; see GemmKernelContracts.cs for the tile contract. The k loop is the only hot loop of
// the whole GEMM: everything else (packing, blocking, threading) exists to keep its operands in L1/L2.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;


namespace Rethinker.Tensors.Kernels;

internal unsafe struct GemmKernelPortable : IGemmKernel
{
    public static int MR => 4;
    public static int NR => 8;
    public static bool IsSupported => true;

    public static void TileHalf(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
        => Tile(rows, kc, a, ars, aks, b, bks, c, ldc, alpha, beta);   // NR is narrow: a half tile would save little

    public static void Tile(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 1: Run<R1>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 2: Run<R2>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 3: Run<R3>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            default: Run<R4>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<R>(int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where R : struct, IRows
    {
        Vector128<float> c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = Vector128<float>.Zero; c01 = Vector128<float>.Zero; c10 = Vector128<float>.Zero; c11 = Vector128<float>.Zero; c20 = Vector128<float>.Zero; c21 = Vector128<float>.Zero; c30 = Vector128<float>.Zero; c31 = Vector128<float>.Zero;
        long o1 = ars, o2 = 2 * ars, o3 = 3 * ars;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 4);
            { var a0 = Vector128.Create(a[0]); c00 = a0 * b0 + c00; c01 = a0 * b1 + c01; }
            if (R.N > 1) { var a1 = Vector128.Create(a[o1]); c10 = a1 * b0 + c10; c11 = a1 * b1 + c11; }
            if (R.N > 2) { var a2 = Vector128.Create(a[o2]); c20 = a2 * b0 + c20; c21 = a2 * b1 + c21; }
            if (R.N > 3) { var a3 = Vector128.Create(a[o3]); c30 = a3 * b0 + c30; c31 = a3 * b1 + c31; }
            a += aks; b += bks;
        }
        Store(c + 0 * ldc, c00, c01, alpha, beta);
        if (R.N > 1) Store(c + 1 * ldc, c10, c11, alpha, beta);
        if (R.N > 2) Store(c + 2 * ldc, c20, c21, alpha, beta);
        if (R.N > 3) Store(c + 3 * ldc, c30, c31, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector128<float> x0, Vector128<float> x1, float alpha, float beta)
    {
        var va = Vector128.Create(alpha);
        if (beta == 0) { Vector128.Store(x0 * va, c); Vector128.Store(x1 * va, c + 4); }
        else
        {
            var vb = Vector128.Create(beta);
            Vector128.Store(Vector128.Load(c) * vb + x0 * va, c);
            Vector128.Store(Vector128.Load(c + 4) * vb + x1 * va, c + 4);
        }
    }
}
