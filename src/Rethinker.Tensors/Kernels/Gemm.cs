// The GEMM contract every layer uses: C = alpha·op(A)·op(B) + beta·C, row-major, BLAS-style leading dimensions.
// op(A) is M×K, op(B) is K×N. With transA, A is stored K×M (lda ≥ M); with transB, B is stored N×K (ldb ≥ K).
// PLACEHOLDER BODY: a plain triple loop until the packed, blocked, multi-threaded kernel lands (issue 2).
namespace Rethinker.Tensors.Kernels;

public static class Gemm
{
    public static void Sgemm(bool transA, bool transB, int M, int N, int K,
        float alpha, ReadOnlySpan<float> A, int lda, ReadOnlySpan<float> B, int ldb,
        float beta, Span<float> C, int ldc)
    {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                float s = 0;
                for (int k = 0; k < K; k++)
                    s += (transA ? A[k * lda + i] : A[i * lda + k]) * (transB ? B[j * ldb + k] : B[k * ldb + j]);
                C[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * C[i * ldc + j]);
            }
    }
}
