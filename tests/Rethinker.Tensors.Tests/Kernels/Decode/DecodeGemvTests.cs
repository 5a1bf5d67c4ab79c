// Decode GEMV row kernels against a float64 triple loop: odd sizes (K below, at and above the vector width, ragged
// weight-row blocks, 1-9 token rows), sub-ranges of rows, bias, accumulate-into, and the SwiGLU pair.
using Rethinker.Tensors.Kernels.Decode;

namespace Rethinker.Tensors.Tests.Kernels.Decode;

public unsafe class DecodeGemvTests
{
    static float[] Random(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    static double Dot(float[] x, int m, int ldx, float[] w, int n, int K)
    {
        double s = 0;
        for (int k = 0; k < K; k++) s += (double)x[m * ldx + k] * w[n * K + k];
        return s;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 15)]
    [InlineData(2, 5, 16)]
    [InlineData(3, 9, 17)]
    [InlineData(4, 13, 33)]
    [InlineData(5, 4, 31)]
    [InlineData(7, 17, 47)]
    [InlineData(9, 30, 64)]
    [InlineData(1, 129, 257)]
    [InlineData(8, 67, 100)]
    public void Rows_MatchTripleLoop_OnOddSizes(int M, int N, int K)
    {
        var rng = new Random(M * 1000 + N * 10 + K);
        int ldx = K + 3, ldy = N + 5;   // strided rows: the kernel must honour the leading dimensions
        var x = Random(rng, M * ldx);
        var w = Random(rng, N * K);
        var bias = Random(rng, N);
        foreach (bool withBias in new[] { false, true })
            foreach (bool accumulate in new[] { false, true })
            {
                var y = Random(rng, M * ldy);
                var before = (float[])y.Clone();
                int n0 = N > 6 ? 3 : 0, n1 = N > 6 ? N - 2 : N;   // a sub-range: rows outside it stay untouched
                fixed (float* px = x, pw = w, pb = bias, py = y)
                    DecodeGemv.Rows(px, M, ldx, pw, K, withBias ? pb : null, py, ldy, n0, n1, accumulate);
                for (int m = 0; m < M; m++)
                    for (int n = 0; n < N; n++)
                    {
                        float got = y[m * ldy + n];
                        if (n < n0 || n >= n1) { Assert.Equal(before[m * ldy + n], got); continue; }
                        double want = Dot(x, m, ldx, w, n, K) + (withBias ? bias[n] : 0) + (accumulate ? before[m * ldy + n] : 0);
                        Assert.True(Math.Abs(want - got) <= 1e-5 * (1 + K), $"M={M} N={N} K={K} bias={withBias} acc={accumulate} [{m},{n}]: {got} vs {want}");
                    }
                for (int m = 0; m < M; m++)
                    for (int n = N; n < ldy; n++) Assert.Equal(before[m * ldy + n], y[m * ldy + n]);
            }
    }

    [Theory]
    [InlineData(1, 9, 23)]
    [InlineData(3, 16, 16)]
    [InlineData(6, 37, 70)]
    public void SwiGluRows_EqualsSiluOfGateTimesUp(int M, int N, int K)
    {
        var rng = new Random(N + K);
        var x = Random(rng, M * K);
        var wg = Random(rng, N * K);
        var wu = Random(rng, N * K);
        var act = new float[M * N];
        var up = new float[M * N];
        fixed (float* px = x, pg = wg, pu = wu, pa = act, pup = up)
        {
            // two row ranges, as two threads' chunks would split them
            DecodeGemv.SwiGluRows(px, M, K, pg, pu, K, pa, pup, N, 0, N / 2);
            DecodeGemv.SwiGluRows(px, M, K, pg, pu, K, pa, pup, N, N / 2, N);
        }
        for (int m = 0; m < M; m++)
            for (int n = 0; n < N; n++)
            {
                double g = Dot(x, m, K, wg, n, K), u = Dot(x, m, K, wu, n, K);
                double want = g / (1 + Math.Exp(-g)) * u;
                Assert.True(Math.Abs(want - act[m * N + n]) <= 1e-4 * (1 + Math.Abs(want)), $"[{m},{n}]: {act[m * N + n]} vs {want}");
            }
    }
}
