// Plain triple-loop SGEMM twin (float64 accumulation) with the exact contract of Gemm.Sgemm; never optimised,
// every fast GEMM path is tested against it.
namespace Rethinker.Tensors.Kernels.Reference;

public static class GemmReference
{
    public static void Sgemm(bool transA, bool transB, int M, int N, int K, float alpha, ReadOnlySpan<float> A, int lda,
        ReadOnlySpan<float> B, int ldb, float beta, Span<float> C, int ldc)
    {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double s = 0;
                for (int k = 0; k < K; k++)
                    s += (double)(transA ? A[k * lda + i] : A[i * lda + k]) * (transB ? B[j * ldb + k] : B[k * ldb + j]);
                C[i * ldc + j] = (float)(alpha * s + (beta == 0 ? 0 : beta * (double)C[i * ldc + j]));
            }
    }
}
