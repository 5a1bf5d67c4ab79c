// The GEMM contract every layer uses: C = alpha·op(A)·op(B) + beta·C, row-major, BLAS-style leading dimensions.
// op(A) is M×K, op(B) is K×N. With transA, A is stored K×M (lda ≥ M); with transB, B is stored N×K (ldb ≥ K).
// Routes to the managed kernels (default: blocked AVX-512 / AVX2 / portable, or the decode-shaped path for small M
// with a transposed B) or, when selected by RETHINKER_BLAS=openblas or Gemm.Provider, to OpenBLAS's cblas_sgemm.
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels;

public enum GemmProvider { Managed, OpenBlas }

public static class Gemm
{
    static GemmProvider provider = DefaultProvider();

    /// <summary>Which implementation runs Sgemm. Setting OpenBlas throws if the library cannot be loaded.</summary>
    public static GemmProvider Provider
    {
        get => provider;
        set
        {
            if (value == GemmProvider.OpenBlas && !BlasProvider.IsAvailable)
                throw new InvalidOperationException($"Gemm.Provider: OpenBLAS requested but not loadable ({BlasProvider.LoadError})");
            provider = value;
        }
    }

    static GemmProvider DefaultProvider()
    {
        string? env = Environment.GetEnvironmentVariable("RETHINKER_BLAS");
        if (string.IsNullOrWhiteSpace(env) || env.Equals("managed", StringComparison.OrdinalIgnoreCase)) return GemmProvider.Managed;
        if (env.Equals("openblas", StringComparison.OrdinalIgnoreCase))
            return BlasProvider.IsAvailable ? GemmProvider.OpenBlas
                : throw new InvalidOperationException($"RETHINKER_BLAS=openblas but OpenBLAS is not loadable ({BlasProvider.LoadError})");
        throw new InvalidOperationException($"RETHINKER_BLAS='{env}': expected 'managed' or 'openblas'");
    }

    public static unsafe void Sgemm(bool transA, bool transB, int M, int N, int K,
        float alpha, ReadOnlySpan<float> A, int lda, ReadOnlySpan<float> B, int ldb,
        float beta, Span<float> C, int ldc)
    {
        Validate(transA, transB, M, N, K, A.Length, lda, B.Length, ldb, C.Length, ldc);
        if (M == 0 || N == 0) return;
        fixed (float* pa = A, pb = B, pc = C)
        {
            if (provider == GemmProvider.OpenBlas) { BlasProvider.Sgemm(transA, transB, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc); return; }
            SgemmManaged(transA, transB, M, N, K, alpha, pa, lda, pb, ldb, beta, pc, ldc, WorkerPool.InsideBody ? 1 : WorkerPool.Threads);
        }
    }

    internal static unsafe void SgemmManaged(bool transA, bool transB, int M, int N, int K, float alpha, float* A, long lda,
        float* B, long ldb, float beta, float* C, long ldc, int threads, GemmPath path = GemmPath.Auto)
    {
        if (K == 0 || alpha == 0)
        {
            // nothing to accumulate: C = beta·C (beta = 0 clears, whatever C held)
            for (int i = 0; i < M; i++)
            {
                var row = new Span<float>(C + i * ldc, N);
                if (beta == 0) row.Clear(); else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
            return;
        }
        if (path == GemmPath.Auto && N == 1 && M > 1 && !transA && GemmSmallM.IsSupported)
        {
            MatrixVector(transB, M, K, alpha, A, lda, B, ldb, beta, C, ldc, threads);
            return;
        }
        if (path == GemmPath.Auto)
            path = transB && M <= GemmSmallM.MaxM && GemmSmallM.IsSupported ? GemmPath.SmallM
                : GemmKernelAvx512.IsSupported ? GemmPath.Avx512 : GemmKernelAvx2.IsSupported ? GemmPath.Avx2 : GemmPath.Portable;
        switch (path)
        {
            case GemmPath.SmallM: GemmSmallM.Run(transA, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads); break;
            case GemmPath.Avx512: GemmBlocked<GemmKernelAvx512>.Run(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads); break;
            case GemmPath.Avx2: GemmBlocked<GemmKernelAvx2>.Run(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads); break;
            default: GemmBlocked<GemmKernelPortable>.Run(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads); break;
        }
    }

    /// <summary>N = 1: C[:, 0] = alpha·A·b + beta·C as M dot products (the blocked kernel would pad b to 64 columns).</summary>
    static unsafe void MatrixVector(bool transB, int M, int K, float alpha, float* A, long lda, float* B, long ldb,
        float beta, float* C, long ldc, int threads)
    {
        float* b = ScratchBuffer.Small(K + M), y = b + K;
        for (int k = 0; k < K; k++) b[k] = transB ? B[k] : B[k * ldb];   // op(B) is K×1: contiguous when transposed
        GemmSmallM.Run(false, 1, M, K, 1f, b, K, A, lda, 0f, y, M, threads);   // y = (b·Aᵀ)ᵀ, A's rows streamed once
        for (int i = 0; i < M; i++) C[i * ldc] = alpha * y[i] + (beta == 0 ? 0 : beta * C[i * ldc]);
    }

    static void Validate(bool transA, bool transB, int M, int N, int K, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        string shape = $"M={M} N={N} K={K} transA={transA} transB={transB} lda={lda} ldb={ldb} ldc={ldc}";
        if (M < 0 || N < 0 || K < 0) throw new ArgumentException($"Gemm.Sgemm: negative size ({shape})");
        int aRows = transA ? K : M, aCols = transA ? M : K, bRows = transB ? N : K, bCols = transB ? K : N;
        CheckOperand("A", aRows, aCols, lda, aLen, shape);
        CheckOperand("B", bRows, bCols, ldb, bLen, shape);
        CheckOperand("C", M, N, ldc, cLen, shape);
    }

    static void CheckOperand(string name, int rows, int cols, int ld, int length, string shape)
    {
        if (ld < Math.Max(1, cols)) throw new ArgumentException($"Gemm.Sgemm: ld{name.ToLowerInvariant()}={ld} is less than {name}'s row width {cols} ({shape})");
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < need) throw new ArgumentException($"Gemm.Sgemm: {name} has {length} elements, needs {need} for {rows}×{cols} with ld {ld} ({shape})");
    }
}

/// <summary>Managed kernel choice; Auto picks by shape and ISA. The others exist so tests and benchmarks reach every path.</summary>
internal enum GemmPath { Auto, SmallM, Avx512, Avx2, Portable }
