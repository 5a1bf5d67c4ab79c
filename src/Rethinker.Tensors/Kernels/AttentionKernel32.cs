// A 32-column micro-kernel (AVX-512, 8 rows × 2×16 columns, 16 accumulators) for the attention products whose output
// width is a head dim of 32 (O += P·V, dV += Pᵀ·dO, dK += dSᵀ·Q, dQ += dS·K with D = 32): the 64-wide SGEMM panel would
// spend half its FMAs on zero padding there. Same tile contract as GemmKernelContracts (A through strides, B rows of
// 32 contiguous floats at stride bks, beta = 0 never reads C), rows below 8 as compile-time shapes.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels;

internal struct R7 : IRows { public static int N => 7; }
internal struct R8 : IRows { public static int N => 8; }

internal static unsafe class AttentionKernel32
{
    public const int MR = 8, NR = 32;

    /// <summary>C[rows, 32] = alpha·A·B + beta·C for any row count (blocks of 8).</summary>
    public static void Mm(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
    {
        for (int r = 0; r < rows; r += MR)
            Tile(Math.Min(MR, rows - r), kc, a + r * ars, ars, aks, b, bks, c + r * ldc, ldc, alpha, beta);
    }

    public static void Tile(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta)
    {
        switch (rows)
        {
            case 1: Run<R1>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 2: Run<R2>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 3: Run<R3>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 4: Run<R4>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 5: Run<R5>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 6: Run<R6>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            case 7: Run<R7>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
            default: Run<R8>(kc, a, ars, aks, b, bks, c, ldc, alpha, beta); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<R>(int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta) where R : struct, IRows
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default,
            c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        long o1 = ars, o2 = 2 * ars, o3 = 3 * ars, o4 = 4 * ars, o5 = 5 * ars, o6 = 6 * ars, o7 = 7 * ars;
        for (int k = 0; k < kc; k++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            { var x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01); }
            if (R.N > 1) { var x = Vector512.Create(a[o1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11); }
            if (R.N > 2) { var x = Vector512.Create(a[o2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21); }
            if (R.N > 3) { var x = Vector512.Create(a[o3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31); }
            if (R.N > 4) { var x = Vector512.Create(a[o4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41); }
            if (R.N > 5) { var x = Vector512.Create(a[o5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51); }
            if (R.N > 6) { var x = Vector512.Create(a[o6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61); }
            if (R.N > 7) { var x = Vector512.Create(a[o7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71); }
            a += aks; b += bks;
        }
        Store(c, c00, c01, alpha, beta);
        if (R.N > 1) Store(c + ldc, c10, c11, alpha, beta);
        if (R.N > 2) Store(c + 2 * ldc, c20, c21, alpha, beta);
        if (R.N > 3) Store(c + 3 * ldc, c30, c31, alpha, beta);
        if (R.N > 4) Store(c + 4 * ldc, c40, c41, alpha, beta);
        if (R.N > 5) Store(c + 5 * ldc, c50, c51, alpha, beta);
        if (R.N > 6) Store(c + 6 * ldc, c60, c61, alpha, beta);
        if (R.N > 7) Store(c + 7 * ldc, c70, c71, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> x0, Vector512<float> x1, float alpha, float beta)
    {
        var va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(x0 * va, c); Vector512.Store(x1 * va, c + 16);
            return;
        }
        var vb = Vector512.Create(beta);
        Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c), vb, x0 * va), c);
        Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c + 16), vb, x1 * va), c + 16);
    }
}
