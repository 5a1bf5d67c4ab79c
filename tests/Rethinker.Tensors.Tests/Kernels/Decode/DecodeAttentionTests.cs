// Decode attention (one new token per sequence over its cached rows) against the materialised-scores reference
// (AttentionReference, causal, bottom-right aligned) for every cached length 1..40 (all remainders of the vector
// width and of the 8-head score block), GQA group sizes 1/2/4 (and 8, 16 for the blocking), head dims 16/64/128.
using Rethinker.Tensors.Kernels.Decode;
using Rethinker.Tensors.Kernels.Reference;

namespace Rethinker.Tensors.Tests.Kernels.Decode;

public unsafe class DecodeAttentionTests
{
    static float[] Random(Random rng, int n, float amp)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) * amp;
        return x;
    }

    [Theory]
    [InlineData(2, 2, 16)]
    [InlineData(4, 2, 16)]
    [InlineData(8, 2, 64)]
    [InlineData(8, 8, 64)]
    [InlineData(4, 1, 128)]
    [InlineData(16, 2, 64)]
    [InlineData(16, 1, 16)]
    [InlineData(6, 3, 20)]
    public void Forward_MatchesReference_ForEveryCachedLength(int Hq, int Hkv, int D)
    {
        var rng = new Random(Hq * 100 + Hkv * 10 + D);
        int[] lens = Enumerable.Range(1, 40).ToArray();
        int B = lens.Length, total = lens.Sum();
        float scale = 1f / MathF.Sqrt(D);
        var q = Random(rng, B * Hq * D, 1.5f);
        var k = Random(rng, total * Hkv * D, 1.5f);
        var v = Random(rng, total * Hkv * D, 1f);
        var cuQ = Enumerable.Range(0, B + 1).ToArray();
        var cuK = new int[B + 1];
        for (int b = 0; b < B; b++) cuK[b + 1] = cuK[b] + lens[b];
        var want = new float[B * Hq * D];
        AttentionReference.Forward(q, k, v, want, new float[B * Hq], Hq, Hkv, D, cuQ, cuK, causal: true, scale);
        var got = new float[B * Hq * D];
        fixed (float* pk = k, pv = v)
        {
            var keys = new float*[B];
            var values = new float*[B];
            for (int b = 0; b < B; b++) { keys[b] = pk + (long)cuK[b] * Hkv * D; values[b] = pv + (long)cuK[b] * Hkv * D; }
            DecodeAttention.Forward(q, keys, values, lens, got, Hq, Hkv, D, scale);
        }
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 2e-6 * (1 + Math.Abs(want[i])) + 1e-6,
                $"Hq={Hq} Hkv={Hkv} D={D} seq {i / (Hq * D)} (len {lens[i / (Hq * D)]}) elem {i % (Hq * D)}: {got[i]} vs {want[i]}");
    }

    [Fact]
    public void Head_RejectsAnEmptyCache()
    {
        var buf = new float[64];
        Assert.Throws<ArgumentException>(() =>
        {
            fixed (float* p = buf) DecodeAttention.Head(p, 1, 16, p, p, 16, 0, 1f, p + 16, p + 32);
        });
    }
}
