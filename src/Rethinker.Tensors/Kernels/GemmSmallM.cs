// Decode-shaped SGEMM: C [M, N] = alpha·op(A)·Wᵀ + beta·C with W [N, K] (nn.Linear weight) and small M (≤ 16 rows).
// A general SGEMM would pack (transpose) all of W for a handful of rows and run 5× slower (PERFORMANCE.md); here W is
// streamed once, row by row, as dot products: 4 W rows × up to 4 A rows per pass (16 zmm accumulators), A in L1.
// AVX-512 only; other ISAs take the blocked path.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class GemmSmallM
{
    public const int MaxM = 16;

    struct Args
    {
        public float* A, W, C;
        public long Lda, Ldw, Ldc;
        public int M, N, K, RowsPerItem;
        public float Alpha, Beta;
    }

    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>A [M, K] row-major (lda), W [N, K] (ldw); transposed A is copied to a contiguous scratch first.</summary>
    public static void Run(bool transA, int M, int N, int K, float alpha, float* A, long lda, float* W, long ldw,
        float beta, float* C, long ldc, int threads)
    {
        if (transA)
        {
            float* t = ScratchBuffer.Small((long)M * K);
            for (int k = 0; k < K; k++)
                for (int m = 0; m < M; m++) t[(long)m * K + k] = A[k * lda + m];
            A = t; lda = K;
        }
        // enough items for dynamic balance, each at least 16 rows of W so a call's dispatch cost stays small
        int rowsPerItem = Math.Max(16, ((N + 4 * threads - 1) / (4 * threads) + 3) / 4 * 4);
        var a = new Args { A = A, W = W, C = C, Lda = lda, Ldw = ldw, Ldc = ldc, M = M, N = N, K = K, RowsPerItem = rowsPerItem, Alpha = alpha, Beta = beta };
        // single-thread time estimate for the pool's wake-or-inline choice: W streams once (≈ 30 GB/s from L3 or DRAM),
        // M·N·K FMAs at ≈ 50 GFLOP/s
        long workNs = Math.Max(2L * M * N * K / 50, (long)N * K * 4 / 30);
        WorkerPool.For((N + rowsPerItem - 1) / rowsPerItem, &Item, &a, threads, workNs);
    }

    static void Item(void* state, int item)
    {
        ref Args a = ref *(Args*)state;
        float* res = stackalloc float[16];
        int n1 = Math.Min(a.N, (item + 1) * a.RowsPerItem);
        for (int n = item * a.RowsPerItem; n < n1; n += 4)
        {
            int wn = Math.Min(4, n1 - n);
            // ragged tail: repeat the last valid W row so the kernel always reads 4 rows, then drop the extras
            float* w0 = a.W + n * a.Ldw;
            float* w1 = a.W + (n + Math.Min(1, wn - 1)) * a.Ldw, w2 = a.W + (n + Math.Min(2, wn - 1)) * a.Ldw, w3 = a.W + (n + Math.Min(3, wn - 1)) * a.Ldw;
            for (int m = 0; m < a.M; m += 4)
            {
                int rows = Math.Min(4, a.M - m);
                float* am = a.A + m * a.Lda;
                switch (rows)
                {
                    case 1: Dot<R1>(a.K, am, a.Lda, w0, w1, w2, w3, res); break;
                    case 2: Dot<R2>(a.K, am, a.Lda, w0, w1, w2, w3, res); break;
                    case 3: Dot<R3>(a.K, am, a.Lda, w0, w1, w2, w3, res); break;
                    default: Dot<R4>(a.K, am, a.Lda, w0, w1, w2, w3, res); break;
                }
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < wn; j++)
                    {
                        float* c = a.C + (m + r) * a.Ldc + n + j;
                        *c = a.Alpha * res[r * 4 + j] + (a.Beta == 0 ? 0 : a.Beta * *c);
                    }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Dot<R>(int K, float* a0, long lda, float* w0p, float* w1p, float* w2p, float* w3p, float* res) where R : struct, IRows
    {
        float* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        float* out0 = res, out1 = res + 4, out2 = res + 8, out3 = res + 12;
        Vector512<float> s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33;
        s00 = Vector512<float>.Zero; s01 = Vector512<float>.Zero; s02 = Vector512<float>.Zero; s03 = Vector512<float>.Zero; s10 = Vector512<float>.Zero; s11 = Vector512<float>.Zero; s12 = Vector512<float>.Zero; s13 = Vector512<float>.Zero; s20 = Vector512<float>.Zero; s21 = Vector512<float>.Zero; s22 = Vector512<float>.Zero; s23 = Vector512<float>.Zero; s30 = Vector512<float>.Zero; s31 = Vector512<float>.Zero; s32 = Vector512<float>.Zero; s33 = Vector512<float>.Zero;
        int k = 0;
        for (; k + 16 <= K; k += 16)
        {
            var w0 = Vector512.Load(w0p + k); var w1 = Vector512.Load(w1p + k); var w2 = Vector512.Load(w2p + k); var w3 = Vector512.Load(w3p + k);
            { var x = Vector512.Load(a0 + k); s00 = Avx512F.FusedMultiplyAdd(x, w0, s00); s01 = Avx512F.FusedMultiplyAdd(x, w1, s01); s02 = Avx512F.FusedMultiplyAdd(x, w2, s02); s03 = Avx512F.FusedMultiplyAdd(x, w3, s03); }
            if (R.N > 1) { var x = Vector512.Load(a1 + k); s10 = Avx512F.FusedMultiplyAdd(x, w0, s10); s11 = Avx512F.FusedMultiplyAdd(x, w1, s11); s12 = Avx512F.FusedMultiplyAdd(x, w2, s12); s13 = Avx512F.FusedMultiplyAdd(x, w3, s13); }
            if (R.N > 2) { var x = Vector512.Load(a2 + k); s20 = Avx512F.FusedMultiplyAdd(x, w0, s20); s21 = Avx512F.FusedMultiplyAdd(x, w1, s21); s22 = Avx512F.FusedMultiplyAdd(x, w2, s22); s23 = Avx512F.FusedMultiplyAdd(x, w3, s23); }
            if (R.N > 3) { var x = Vector512.Load(a3 + k); s30 = Avx512F.FusedMultiplyAdd(x, w0, s30); s31 = Avx512F.FusedMultiplyAdd(x, w1, s31); s32 = Avx512F.FusedMultiplyAdd(x, w2, s32); s33 = Avx512F.FusedMultiplyAdd(x, w3, s33); }
        }
        Finish(a0, k, K, w0p, w1p, w2p, w3p, s00, s01, s02, s03, out0);
        if (R.N > 1) Finish(a1, k, K, w0p, w1p, w2p, w3p, s10, s11, s12, s13, out1);
        if (R.N > 2) Finish(a2, k, K, w0p, w1p, w2p, w3p, s20, s21, s22, s23, out2);
        if (R.N > 3) Finish(a3, k, K, w0p, w1p, w2p, w3p, s30, s31, s32, s33, out3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Finish(float* a, int k, int K, float* w0, float* w1, float* w2, float* w3,
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, float* res)
    {
        float r0 = Vector512.Sum(s0), r1 = Vector512.Sum(s1), r2 = Vector512.Sum(s2), r3 = Vector512.Sum(s3);
        for (; k < K; k++) { r0 += a[k] * w0[k]; r1 += a[k] * w1[k]; r2 += a[k] * w2[k]; r3 += a[k] * w3[k]; }
        res[0] = r0; res[1] = r1; res[2] = r2; res[3] = r3;
    }
}
