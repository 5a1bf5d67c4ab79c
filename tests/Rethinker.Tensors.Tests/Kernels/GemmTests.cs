// Every managed SGEMM path (blocked AVX-512 / AVX2 / portable micro-kernels, the small-M decode path, 1 and 2 threads)
// and the OpenBLAS provider against the float64 triple loop (GemmReference): all transpose combinations, M/N/K = 1,
// odd sizes, sizes crossing the KC and NC blocks, padded leading dimensions, alpha/beta.
using Rethinker.Tensors.Kernels;
using Rethinker.Tensors.Kernels.Reference;

namespace Rethinker.Tensors.Tests.Kernels;

public sealed class OpenBlasFactAttribute : FactAttribute
{
    public OpenBlasFactAttribute()
    {
        if (!BlasProvider.IsAvailable) Skip = "OpenBLAS not installed, provider test skipped: " + BlasProvider.LoadError;
    }
}

public class GemmTests
{
    internal sealed record Case(bool TransA, bool TransB, int M, int N, int K, int PadA, int PadB, int PadC, float Alpha, float Beta);

    static float[] Random(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Runs `run` on one case and compares with the reference, elementwise against a bound scaled by Σ|a·b|.</summary>
    internal static unsafe void Check(Case c, int seed, Action<Case, float[], int, float[], int, float[], int> run)
    {
        var rng = new Random(seed);
        int lda = Math.Max(1, (c.TransA ? c.M : c.K) + c.PadA), ldb = Math.Max(1, (c.TransB ? c.K : c.N) + c.PadB), ldc = Math.Max(1, c.N + c.PadC);
        int aRows = c.TransA ? c.K : c.M, bRows = c.TransB ? c.N : c.K;
        float[] A = Random(rng, Math.Max(0, aRows * lda)), B = Random(rng, Math.Max(0, bRows * ldb)), C0 = Random(rng, c.M * ldc);
        if (c.Beta == 0) Array.Fill(C0, float.NaN);   // beta = 0 must never read C
        float[] expected = (float[])C0.Clone(), actual = (float[])C0.Clone();
        GemmReference.Sgemm(c.TransA, c.TransB, c.M, c.N, c.K, c.Alpha, A, lda, B, ldb, c.Beta, expected, ldc);
        run(c, A, lda, B, ldb, actual, ldc);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                double mag = 0;
                for (int k = 0; k < c.K; k++)
                    mag += Math.Abs((c.TransA ? A[k * lda + i] : A[i * lda + k]) * (c.TransB ? B[j * ldb + k] : B[k * ldb + j]));
                double bound = 2e-6 * (Math.Abs(c.Alpha) * mag + (c.Beta == 0 ? 0 : Math.Abs(c.Beta * C0[i * ldc + j]))) + 1e-6;
                float e = expected[i * ldc + j], g = actual[i * ldc + j];
                Assert.True(Math.Abs(e - g) <= bound, $"{c}: C[{i},{j}] expected {e} got {g} (bound {bound:g3})");
            }
            for (int j = c.N; j < ldc; j++)   // padding between rows is untouched
                Assert.True(C0[i * ldc + j].Equals(actual[i * ldc + j]), $"{c}: padding C[{i},{j}] was written");
        }
    }

    static IEnumerable<Case> RandomCases(int seed, int count, int maxM, int maxN, int maxK)
    {
        var rng = new Random(seed);
        float[] alphas = [1f, -0.5f, 2f], betas = [0f, 1f, 0.75f];
        for (int i = 0; i < count; i++)
            yield return new Case(rng.Next(2) == 1, rng.Next(2) == 1, rng.Next(1, maxM + 1), rng.Next(1, maxN + 1), rng.Next(1, maxK + 1),
                rng.Next(3) == 0 ? rng.Next(1, 9) : 0, rng.Next(3) == 0 ? rng.Next(1, 9) : 0, rng.Next(3) == 0 ? rng.Next(1, 9) : 0,
                alphas[rng.Next(3)], betas[rng.Next(3)]);
    }

    static IEnumerable<Case> EdgeCases()
    {
        foreach (bool ta in new[] { false, true })
        foreach (bool tb in new[] { false, true })
        {
            yield return new Case(ta, tb, 1, 1, 1, 0, 0, 0, 1, 0);
            yield return new Case(ta, tb, 1, 97, 33, 0, 3, 0, 1, 0);       // M = 1
            yield return new Case(ta, tb, 37, 1, 50, 2, 0, 5, 1, 1);       // N = 1
            yield return new Case(ta, tb, 13, 70, 1, 0, 0, 0, -1, 0.5f);   // K = 1
            yield return new Case(ta, tb, 8, 130, 300, 1, 0, 2, 1, 0);     // decode batch 8, K over one KC block
            yield return new Case(ta, tb, 61, 1100, 70, 0, 5, 0, 0.5f, 1); // several column items
            yield return new Case(ta, tb, 200, 67, 530, 0, 0, 3, 1, 0);    // K crosses two KC blocks, rows split
            yield return new Case(ta, tb, 50, 96, 40, 1, 0, 2, 1, 1);      // last panel exactly half the AVX-512 width
            yield return new Case(ta, tb, 5, 6, 0, 0, 0, 0, 1, 0.5f);      // K = 0: C = beta·C
        }
    }

    internal static unsafe void RunPath(GemmPath path, int threads, Case c, float[] A, int lda, float[] B, int ldb, float[] C, int ldc)
    {
        fixed (float* pa = A, pb = B, pc = C)
            Gemm.SgemmManaged(c.TransA, c.TransB, c.M, c.N, c.K, c.Alpha, pa, lda, pb, ldb, c.Beta, pc, ldc, threads, path);
    }

    public static TheoryData<string, int> Paths()
    {
        var d = new TheoryData<string, int>();
        if (GemmKernelAvx512.IsSupported) { d.Add("Avx512", 1); d.Add("Avx512", 2); }
        if (GemmKernelAvx2.IsSupported) d.Add("Avx2", 2);
        d.Add("Portable", 2);
        return d;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void BlockedKernel_MatchesTripleLoop(string path, int threads)
    {
        var p = Enum.Parse<GemmPath>(path);
        int seed = 0;
        foreach (var c in EdgeCases().Concat(RandomCases(42 + threads, 30, 90, 150, 140)))
            Check(c, seed++, (cc, A, lda, B, ldb, C, ldc) => RunPath(p, threads, cc, A, lda, B, ldb, C, ldc));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void TransposedA_ManyColumnSlices_MatchesTripleLoop(string path, int threads)
    {
        // N wide enough for ≥ 8 column slices, each packing the same transposed A; M = 13 and 20 leave a short last
        // micro-panel in a short group, K crosses the 256-deep KC blocks, and lda is padded
        var p = Enum.Parse<GemmPath>(path);
        int seed = 300;
        foreach (var c in new[] { new Case(true, false, 13, 8200, 300, 3, 0, 0, 1, 0), new Case(true, true, 20, 8300, 65, 0, 2, 1, -0.5f, 1) })
            Check(c, seed++, (cc, A, lda, B, ldb, C, ldc) => RunPath(p, threads, cc, A, lda, B, ldb, C, ldc));
    }

    [Fact]
    public void ColumnSlices_CoverEveryPanelOnce_LargestFirst()
    {
        foreach (var (panels, items) in new[] { (22, 4), (11, 2), (4, 4), (7, 3), (1, 1), (64, 6) })
        {
            var sizes = Enumerable.Range(0, items)
                .Select(j => GemmBlocked<GemmKernelPortable>.FirstPanel(j + 1, panels, items) - GemmBlocked<GemmKernelPortable>.FirstPanel(j, panels, items))
                .ToArray();
            Assert.Equal(0, GemmBlocked<GemmKernelPortable>.FirstPanel(0, panels, items));
            Assert.Equal(panels, sizes.Sum());
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"{panels} panels in {items}: sizes {string.Join(",", sizes)}");
            Assert.Equal(sizes.OrderDescending(), sizes);   // claimed in order, so the larger slices go first
        }
    }

    [Fact]
    public void ItemsClaimedTogether_ShareNoRowBlockAndNoColumnSlice()
    {
        foreach (var (itemsN, itemsM, threads) in new[] { (2, 2, 2), (4, 2, 2), (16, 2, 2), (1, 2, 2), (3, 3, 3), (8, 4, 4), (6, 4, 2) })
        {
            var tiles = Enumerable.Range(0, itemsN * itemsM).Select(i => GemmBlocked<GemmKernelPortable>.ItemTile(i, itemsN, itemsM)).ToArray();
            Assert.Equal(itemsN * itemsM, tiles.Distinct().Count());   // every tile of the grid exactly once
            Assert.All(tiles, t => Assert.True(t.Column < itemsN && t.Row < itemsM));
            // the threads claim consecutive items: each run of `threads` items within a round is on distinct rows and columns
            for (int start = 0; start + threads <= tiles.Length; start += threads)
            {
                if (itemsN > 1 && start / itemsN != (start + threads - 1) / itemsN) continue;   // straddles two rounds
                var run = tiles.Skip(start).Take(threads).ToArray();
                Assert.Equal(threads, run.Select(t => t.Row).Distinct().Count());
                if (itemsN >= threads) Assert.Equal(threads, run.Select(t => t.Column).Distinct().Count());
            }
        }
    }

    [Fact]
    public void SmallMDecodePath_MatchesTripleLoop()
    {
        if (!GemmSmallM.IsSupported) return;   // AVX-512 only; Auto never routes here without it
        int seed = 100;
        foreach (var c in RandomCases(7, 40, GemmSmallM.MaxM, 140, 300).Select(c => c with { TransB = true }))
            foreach (int threads in new[] { 1, 2 })
                Check(c, seed++, (cc, A, lda, B, ldb, C, ldc) => RunPath(GemmPath.SmallM, threads, cc, A, lda, B, ldb, C, ldc));
    }

    [Fact]
    public void PublicSgemm_RoutesEveryShapeCorrectly()
    {
        int seed = 200;
        foreach (var c in EdgeCases().Concat(RandomCases(9, 20, 40, 80, 80)))
            Check(c, seed++, (cc, A, lda, B, ldb, C, ldc) =>
                Gemm.Sgemm(cc.TransA, cc.TransB, cc.M, cc.N, cc.K, cc.Alpha, A, lda, B, ldb, cc.Beta, C, ldc));
    }

    [OpenBlasFact]
    public unsafe void OpenBlasProvider_MatchesTripleLoop()
    {
        int seed = 300;
        foreach (var c in EdgeCases().Concat(RandomCases(11, 20, 70, 90, 90)))
            Check(c, seed++, (cc, A, lda, B, ldb, C, ldc) =>
            {
                fixed (float* pa = A, pb = B, pc = C)
                    BlasProvider.Sgemm(cc.TransA, cc.TransB, cc.M, cc.N, cc.K, cc.Alpha, pa, lda, pb, ldb, cc.Beta, pc, ldc);
            });
    }

    [Fact]
    public void BadArguments_ThrowNamingShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 3, 4, 1, new float[7], 4, new float[12], 3, 0, new float[6], 3));
        Assert.Contains("A has 7 elements, needs 8", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 2, 3, 4, 1, new float[8], 4, new float[12], 3, 0, new float[6], 3));
        Assert.Contains("ldb=3 is less than B's row width 4", ex.Message);
    }
}
