using Rethinker.Models.Generation;
using Rethinker.Models.Policy;

namespace Rethinker.Models.Tests.Generation;

public class TokenSamplerTests
{
    /// <summary>Reference distribution written independently: sort once, filter in HF's order, renormalise.</summary>
    static double[] ExpectedDistribution(float[] logits, float t, int topK, float topP, float minP)
    {
        int V = logits.Length;
        double[] z = logits.Select(l => (double)l / t).ToArray();
        var order = Enumerable.Range(0, V).OrderByDescending(i => z[i]).ToArray();
        var keep = new bool[V];
        int k = topK > 0 ? Math.Min(topK, V) : V;
        for (int r = 0; r < k; r++) keep[order[r]] = true;
        double Norm() => order.Where(i => keep[i]).Sum(i => Math.Exp(z[i] - z[order[0]]));
        double total = Norm(), cum = 0;
        bool reached = false;
        foreach (int i in order)
        {
            if (!keep[i]) continue;
            if (reached) { keep[i] = false; continue; }
            cum += Math.Exp(z[i] - z[order[0]]) / total;
            if (cum >= topP) reached = true;
        }
        double cut = z[order[0]] + Math.Log(minP);
        for (int i = 0; i < V; i++) if (z[i] < cut) keep[i] = false;
        var p = new double[V];
        double s = order.Where(i => keep[i]).Sum(i => Math.Exp(z[i] - z[order[0]]));
        for (int i = 0; i < V; i++) p[i] = keep[i] ? Math.Exp(z[i] - z[order[0]]) / s : 0;
        return p;
    }

    [Theory]
    [InlineData(1.0f, 0, 1.0f, 0.0f)]
    [InlineData(0.7f, 6, 1.0f, 0.0f)]
    [InlineData(1.3f, 0, 0.8f, 0.0f)]
    [InlineData(1.0f, 0, 1.0f, 0.1f)]
    [InlineData(0.9f, 8, 0.9f, 0.02f)]
    public void Frequencies_MatchFilteredSoftmax_ChiSquare(float temperature, int topK, float topP, float minP)
    {
        var rng = new Random(1234);
        var logits = Enumerable.Range(0, 12).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var expected = ExpectedDistribution(logits, temperature, topK, topP, minP);
        var options = new SamplingOptions { Temperature = temperature, TopK = topK, TopP = topP, MinP = minP };
        var sampler = new TokenSampler(logits.Length);
        const int draws = 40_000;
        var counts = new int[logits.Length];
        for (int d = 0; d < draws; d++)
        {
            var tok = sampler.Sample(logits, options, [], (float)rng.NextDouble());
            counts[tok.TokenId]++;
            Assert.Equal(Math.Log(expected[tok.TokenId]), tok.LogProb, 3);
        }
        double chi2 = 0; int df = -1;
        for (int i = 0; i < logits.Length; i++)
        {
            if (expected[i] == 0) { Assert.Equal(0, counts[i]); continue; }
            double e = expected[i] * draws;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            df++;
        }
        // 0.999 quantile of chi-square with ≤ 11 degrees of freedom is < 31.3.
        Assert.True(chi2 < 31.3, $"chi2 = {chi2:0.0} with df = {df}");
    }

    [Fact]
    public void Greedy_PicksArgMaxAfterSuppression()
    {
        float[] logits = [0.1f, 3f, 2f, -1f];
        var s = new TokenSampler(4);
        Assert.Equal(1, s.Sample(logits, new SamplingOptions { Temperature = 0 }, [], 0.5f).TokenId);
        Assert.Equal(2, s.Sample(logits, new SamplingOptions { Temperature = 0, SuppressTokenIds = [1] }, [], 0.5f).TokenId);
    }

    [Fact]
    public void RepetitionPenalty_DividesPositiveAndMultipliesNegativeLogits()
    {
        float[] logits = [2f, 1.9f, -0.5f, -0.6f];
        var s = new TokenSampler(4);
        // Token 0 seen: 2/2 = 1 < 1.9, so greedy moves to token 1.
        Assert.Equal(1, s.Sample(logits, new SamplingOptions { Temperature = 0, RepetitionPenalty = 2f }, [0, 0], 0f).TokenId);
        // Raw log-prob ignores the penalty: it is the model's own distribution.
        var t = s.Sample(logits, new SamplingOptions { Temperature = 0, RepetitionPenalty = 2f }, [0], 0f);
        double z = logits.Sum(l => Math.Exp(l));
        Assert.Equal(Math.Log(Math.Exp(1.9) / z), t.RawLogProb, 4);
    }

    [Fact]
    public void EverythingSuppressed_ThrowsClearError()
    {
        var s = new TokenSampler(2);
        var e = Assert.Throws<InvalidOperationException>(() => s.Sample([1f, 2f], new SamplingOptions { Temperature = 0, SuppressTokenIds = [0, 1] }, [], 0f));
        Assert.Contains("suppressed", e.Message);
    }
}
