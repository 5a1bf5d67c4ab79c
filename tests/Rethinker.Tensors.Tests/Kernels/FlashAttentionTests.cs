// FlashAttention forward/backward against the materialised-scores reference (AttentionReference) on packed
// sequences of unequal lengths, causal and full masks, GQA ratios 1/2/4, head dims 16/32/64/128 and decode shapes.
using Rethinker.Tensors.Kernels;
using Rethinker.Tensors.Kernels.Reference;

namespace Rethinker.Tensors.Tests.Kernels;

public class FlashAttentionTests
{
    static float[] Random(Random rng, int n, float amp = 1f)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) * amp;
        return x;
    }

    static int[] Cumulative(int[] lens)
    {
        var cu = new int[lens.Length + 1];
        for (int i = 0; i < lens.Length; i++) cu[i + 1] = cu[i] + lens[i];
        return cu;
    }

    /// <summary>max |a−b| relative to max |b| (with a floor so all-zero references still compare).</summary>
    static void AssertClose(float[] expected, float[] actual, double tol, string what)
    {
        double maxRef = 1e-3, maxDiff = 0; int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            maxRef = Math.Max(maxRef, Math.Abs(expected[i]));
            double d = Math.Abs(expected[i] - actual[i]);
            if (!(d <= maxDiff)) { maxDiff = d; at = i; }
        }
        Assert.True(maxDiff <= tol * maxRef, $"{what}: max diff {maxDiff:g4} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}), scale {maxRef:g4}");
    }

    static void Compare(int seed, int[] lensQ, int[] lensK, int Hq, int Hkv, int D, bool causal, float amp = 1f)
    {
        // Auto takes the 64×64 tiles on AVX-512 machines (rows ≥ 8); the row path serves decode and other ISAs
        Compare(seed, lensQ, lensK, Hq, Hkv, D, causal, amp, AttentionPath.Auto);
        Compare(seed, lensQ, lensK, Hq, Hkv, D, causal, amp, AttentionPath.Rowwise);
    }

    static void Compare(int seed, int[] lensQ, int[] lensK, int Hq, int Hkv, int D, bool causal, float amp, AttentionPath path)
    {
        var rng = new Random(seed);
        int[] cuQ = Cumulative(lensQ), cuK = Cumulative(lensK);
        int Tq = cuQ[^1], Tk = cuK[^1];
        float[] q = Random(rng, Tq * Hq * D, amp), k = Random(rng, Tk * Hkv * D, amp), v = Random(rng, Tk * Hkv * D), dO = Random(rng, Tq * Hq * D);
        float scale = 1f / MathF.Sqrt(D);

        float[] oRef = new float[q.Length], lseRef = new float[Tq * Hq], o = new float[q.Length], lse = new float[Tq * Hq];
        AttentionReference.Forward(q, k, v, oRef, lseRef, Hq, Hkv, D, cuQ, cuK, causal, scale);
        FlashAttention.Forward(q, k, v, o, lse, Hq, Hkv, D, cuQ, cuK, causal, scale, path);
        AssertClose(oRef, o, 1e-5, $"{path} o");
        for (int i = 0; i < lse.Length; i++)
            if (float.IsNegativeInfinity(lseRef[i])) Assert.True(float.IsNegativeInfinity(lse[i]), $"lse[{i}] should be -inf");
            else Assert.True(Math.Abs(lse[i] - lseRef[i]) <= 1e-5 * Math.Max(1, Math.Abs(lseRef[i])), $"lse[{i}]: {lse[i]} vs {lseRef[i]}");

        float[] dQr = new float[q.Length], dKr = new float[k.Length], dVr = new float[v.Length];
        float[] dQ = Random(rng, q.Length), dK = Random(rng, k.Length), dV = Random(rng, v.Length);   // must be overwritten
        AttentionReference.Backward(q, k, v, dO, dQr, dKr, dVr, Hq, Hkv, D, cuQ, cuK, causal, scale);
        FlashAttention.Backward(q, k, v, o, lse, dO, dQ, dK, dV, Hq, Hkv, D, cuQ, cuK, causal, scale, path);
        AssertClose(dQr, dQ, 2e-5, $"{path} dQ");
        AssertClose(dKr, dK, 2e-5, $"{path} dK");
        AssertClose(dVr, dV, 2e-5, $"{path} dV");
    }

    [Theory]
    [InlineData(16, 1, false)] [InlineData(16, 2, true)] [InlineData(16, 4, true)]
    [InlineData(32, 1, false)] [InlineData(32, 4, true)]
    [InlineData(64, 1, true)] [InlineData(64, 2, false)] [InlineData(64, 4, true)]
    [InlineData(128, 1, false)] [InlineData(128, 2, true)] [InlineData(128, 4, false)]
    public void PackedSequences_MatchReference(int D, int ratio, bool causal)
    {
        int[] lens = [37, 1, 90, 5, 0, 70];
        Compare(1000 + D * 10 + ratio, lens, lens, 2 * ratio, 2, D, causal);
    }

    [Theory]
    [InlineData(true)] [InlineData(false)]
    public void DecodeWithCache_QueriesFewerThanKeys_MatchReference(bool causal)
    {
        // one new token per sequence against a cache, and a 7-token chunk against 150 keys (bottom-right causal)
        Compare(7, [1, 1, 7, 1], [200, 33, 150, 1], 8, 2, 64, causal);
    }

    [Fact]
    public void Causal_MoreQueriesThanKeys_EarlyRowsSeeNothing()
    {
        Compare(11, [9, 4], [5, 4], 4, 4, 16, causal: true);
    }

    [Fact]
    public void LargeLogits_StayFinite()
    {
        Compare(12, [130], [130], 2, 1, 64, causal: true, amp: 6f);
    }

    [Fact]
    public void HeadDimNotMultipleOf64_UsesPaddedPanels()
    {
        Compare(14, [70, 9], [70, 9], 4, 2, 80, causal: true);
        Compare(15, [20], [33], 2, 2, 24, causal: false);
    }

    [Fact]
    public void LongSequence_SpansManyTiles()
    {
        Compare(13, [300, 45], [300, 45], 4, 2, 32, causal: true);
    }

    [Fact]
    public void BadShapes_ThrowNamingTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            FlashAttention.Forward(new float[10], new float[8], new float[8], new float[10], new float[5], 3, 2, 2, [0, 1], [0, 2], false, 1f));
        Assert.Contains("FlashAttention.Forward", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            FlashAttention.Forward(new float[8], new float[8], new float[8], new float[8], new float[4], 2, 2, 2, [0, 2], [0, 3], false, 1f));
        Assert.Contains("k has 8 elements, expected 12", ex.Message);
    }
}
