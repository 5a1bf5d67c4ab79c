// The 32-column attention micro-kernel (AttentionKernel32) against a plain triple loop: every row count 0..20 (full
// 8-row blocks and each 1..7 remainder), depths 0..70, strided and transposed A, beta 0 (C never read) and beta 1.
using Rethinker.Tensors.Kernels;

namespace Rethinker.Tensors.Tests.Kernels;

public unsafe class AttentionKernel32Tests
{
    [Theory]
    [InlineData(false, 0f)] [InlineData(false, 1f)] [InlineData(true, 0f)] [InlineData(true, 1f)]
    public void Mm_MatchesTripleLoop(bool transposedA, float beta)
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported) return;   // the kernel is AVX-512 only; callers check
        var rng = new Random(transposedA ? 3 : 4);
        foreach (int rows in Enumerable.Range(0, 21))
            foreach (int kc in new[] { 0, 1, 2, 7, 31, 64, 70 })
            {
                const int ldc = 40, bks = 36;   // padded strides: the kernel must touch only its 32 columns
                long ars = transposedA ? 1 : kc + 3, aks = transposedA ? rows + 2 : 1;
                var a = Rand(rng, (int)Math.Max(1, transposedA ? kc * aks : rows * ars));
                var b = Rand(rng, Math.Max(1, kc * bks));
                var c = Rand(rng, Math.Max(1, rows * ldc));
                var expected = (float[])c.Clone();
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < ldc; j++)
                    {
                        if (j >= 32) continue;
                        double s = 0;
                        for (int k = 0; k < kc; k++) s += (double)a[r * ars + k * aks] * b[k * bks + j];
                        expected[r * ldc + j] = (float)(0.5 * s + beta * c[r * ldc + j]);
                    }
                if (beta == 0) for (int i = 0; i < c.Length; i++) if (i % ldc < 32 && i / ldc < rows) c[i] = float.NaN;   // never read
                fixed (float* pa = a, pb = b, pc = c)
                    AttentionKernel32.Mm(rows, kc, pa, ars, aks, pb, bks, pc, ldc, 0.5f, beta);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])),
                        $"rows {rows} kc {kc} at {i / ldc},{i % ldc}: {c[i]} vs {expected[i]}");
            }
    }

    static float[] Rand(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
