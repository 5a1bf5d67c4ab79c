// Rng: determinism, exact state round-trip, and distribution sanity (moments, bounded ints, categorical frequencies).
namespace Rethinker.Tensors.Tests;

public class RngTests
{
    [Fact]
    public void SameSeed_SameStream_DifferentSeed_DifferentStream()
    {
        var a = new Rng(42); var b = new Rng(42); var c = new Rng(43);
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUniform()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 100).Select(_ => b.NextUniform()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 100).Select(_ => c.NextUniform()).ToArray());
    }

    [Fact]
    public void State_RoundTripsExactly_IncludingTheSpareNormal()
    {
        var a = new Rng(7);
        a.NextNormal(); // leaves a spare
        var st = a.GetState();
        var expected = new[] { a.NextNormal(), a.NextNormal(), a.NextUniform(), a.NextInt(1000) };
        var b = new Rng(0);
        b.SetState(st);
        Assert.Equal(expected, new[] { b.NextNormal(), b.NextNormal(), b.NextUniform(), b.NextInt(1000) });
    }

    [Fact]
    public void Uniform_And_Normal_HaveTheRightMoments()
    {
        var r = new Rng(1);
        const int N = 200_000;
        double su = 0, sn = 0, sn2 = 0, sn4 = 0;
        float mn = 1, mx = 0;
        for (int i = 0; i < N; i++)
        {
            float u = r.NextUniform(); su += u; mn = Math.Min(mn, u); mx = Math.Max(mx, u);
            double z = r.NextNormal(); sn += z; sn2 += z * z; sn4 += z * z * z * z;
        }
        Assert.InRange(su / N, 0.497, 0.503);
        Assert.True(mn >= 0 && mx < 1);
        Assert.InRange(sn / N, -0.01, 0.01);
        Assert.InRange(sn2 / N, 0.98, 1.02);
        Assert.InRange(sn4 / N, 2.9, 3.1); // kurtosis of a normal
    }

    [Fact]
    public void NextInt_IsUniformOverSmallRange()
    {
        var r = new Rng(2);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[r.NextInt(7)]++;
        double chi2 = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chi2 < 22.5, $"chi² {chi2} (6 dof, p = 0.001 bound)");
    }

    [Fact]
    public void Categorical_FollowsWeights_AndNeverPicksZeroWeight()
    {
        var r = new Rng(3);
        float[] w = [0.1f, 0f, 0.6f, 0.3f];
        var counts = new int[4];
        for (int i = 0; i < 50_000; i++) counts[r.Categorical(w)]++;
        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[0] / 50_000.0, 0.09, 0.11);
        Assert.InRange(counts[2] / 50_000.0, 0.59, 0.61);
        Assert.Throws<ArgumentException>(() => r.Categorical([0f, 0f]));
        Assert.Throws<ArgumentException>(() => r.Categorical([0.5f, float.NaN]));
    }
}
