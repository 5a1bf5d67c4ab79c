using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Replay;

namespace Rethinker.Training.Tests.Replay;

public class SelectiveSampleReplayTests
{
    static readonly GrpoOptions Grpo = new() { RolloutBatchSize = 2, GroupSize = 4 };

    static RolloutSample S(string id, float adv, int step = 1) => new()
    {
        GroupId = id, PromptId = id, SampleIndex = 0, PromptTokenIds = [1], ResponseTokenIds = [2], PolicyMask = [1f],
        Text = id, Step = step, Advantage = adv, OldLogProbs = [-0.5f - adv],
    };

    // Pearson chi-square of observed counts against expected probabilities.
    static double ChiSquare(int[] counts, double[] p)
    {
        double n = counts.Sum(), chi = 0;
        for (int i = 0; i < counts.Length; i++) { double e = n * p[i]; chi += (counts[i] - e) * (counts[i] - e) / e; }
        return chi;
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(2f)]
    public void Ssr_FreshSelectionFrequenciesProportionalToAbsAdvantagePowAlpha(float alpha)
    {
        float[] adv = [0.1f, 0.2f, -0.3f, 0.4f, -1.0f];
        var fresh = adv.Select((a, i) => S($"s{i}", a)).ToArray();
        var opts = new ReplayOptions { Mode = ReplayMode.Ssr, Alpha = alpha, TrainBatchSize = 5 };
        var rng = new Rng(123);
        var counts = new int[adv.Length];
        for (int rep = 0; rep < 4000; rep++)
        {
            var ssr = new SelectiveSampleReplay(opts, Grpo); // empty buffer: all five draws are fresh
            foreach (var t in ssr.Select(fresh, 1, rng).Train) counts[Array.IndexOf(fresh, t)]++;
        }
        var w = adv.Select(a => Math.Pow(Math.Abs(a), alpha)).ToArray();
        var p = w.Select(x => x / w.Sum()).ToArray();
        // 4 degrees of freedom: P(χ² > 18.47) = 0.001.
        Assert.True(ChiSquare(counts, p) < 18.47, $"counts {string.Join(",", counts)} vs p {string.Join(",", p.Select(x => x.ToString("F3")))}");
        // And the test has power: uniform frequencies would be rejected.
        Assert.True(ChiSquare(counts, Enumerable.Repeat(0.2, 5).ToArray()) > 100);
    }

    [Fact]
    public void Ssr_FillsRemainingSlotsFromBufferProportionalToAbsAdvantagePlusEpsilon()
    {
        var opts = new ReplayOptions { Mode = ReplayMode.Ssr, Alpha = 1, TrainBatchSize = 8, BufferEpsilon = 1e-4f };
        var ssr = new SelectiveSampleReplay(opts, Grpo);
        var old = new[] { S("o0", 0.5f), S("o1", -1.5f), S("o2", 1e-3f) };
        var first = ssr.Select(old, 1, new Rng(1));   // step 1: 3 fresh draws, buffer empty, then stored
        Assert.Equal((3, 0, 3), (first.FreshSelected, first.ReplaySelected, first.BufferSize));

        var counts = new int[3];
        var rng = new Rng(7);
        var fresh = new[] { S("f0", 0.7f, 2), S("f1", 0f, 2) };  // one effective fresh sample
        for (int rep = 0; rep < 3000; rep++)
        {
            var probe = new SelectiveSampleReplay(opts, Grpo);
            probe.Buffer.Add(old);
            var sel = probe.Select(fresh, 2, rng);
            Assert.Equal(8, sel.Train.Count);
            Assert.Equal((1, 7), (sel.FreshSelected, sel.ReplaySelected));
            Assert.Same(fresh[0], sel.Train[0]);
            foreach (var t in sel.Train.Skip(1)) counts[Array.IndexOf(old, t)]++;
        }
        var w = old.Select(s => Math.Abs(s.Advantage) + 1e-4).ToArray();
        Assert.True(ChiSquare(counts, w.Select(x => x / w.Sum()).ToArray()) < 13.82); // 2 dof, p = 0.001
    }

    [Fact]
    public void Ssr_ReplayedSamplesKeepStoredOldLogProbsAndAdvantage()
    {
        var ssr = new SelectiveSampleReplay(new ReplayOptions { TrainBatchSize = 4 }, Grpo);
        var a = S("a", 0.8f);
        ssr.Select([a], 1, new Rng(3));
        var sel = ssr.Select([S("z", 0f, 2)], 2, new Rng(4));
        Assert.Equal(4, sel.ReplaySelected);
        Assert.All(sel.Train, t => { Assert.Same(a, t); Assert.Equal(0.8f, t.Advantage); Assert.Equal([-1.3f], t.OldLogProbs); });
    }

    [Fact]
    public void Filter_KeepsOnlyEffectiveSamplesAndNoBuffer()
    {
        var ssr = new SelectiveSampleReplay(new ReplayOptions { Mode = ReplayMode.Filter }, Grpo);
        var fresh = new[] { S("a", 0f), S("b", 0.5f), S("c", -0.5f), S("d", 1e-9f) };
        var sel = ssr.Select(fresh, 1, new Rng(1));
        Assert.Equal(new[] { fresh[1], fresh[2] }, sel.Train);
        Assert.Equal(0, ssr.Buffer.Count);
    }

    [Fact]
    public void Grpo_TrainsOnEverySample()
    {
        var ssr = new SelectiveSampleReplay(new ReplayOptions { Mode = ReplayMode.Grpo }, Grpo);
        var fresh = new[] { S("a", 0f), S("b", 0.5f) };
        Assert.Equal(fresh, ssr.Select(fresh, 1, new Rng(1)).Train);
    }

    [Theory]
    [InlineData(ReplayMode.Ssr)]
    [InlineData(ReplayMode.Filter)]
    public void NoEffectiveSample_EmptySelectionWithoutError(ReplayMode mode)
    {
        var ssr = new SelectiveSampleReplay(new ReplayOptions { Mode = mode }, Grpo);
        var sel = ssr.Select([S("a", 0f), S("b", 0f)], 1, new Rng(1));
        Assert.True(sel.IsEmpty);
        Assert.Equal(0, sel.FreshEffective);
    }

    [Fact]
    public void Buffer_IsFifoAtCapacity_ExpiresAfterKSteps_ClearsPerEpisodeWhenAsked()
    {
        var buf = new ReplayBuffer(3);
        Assert.Equal(2, buf.Add([S("1", 1, 1), S("2", 1, 2), S("3", 1, 3), S("4", 1, 4), S("5", 1, 5)]));
        Assert.Equal(["3", "4", "5"], buf.Entries.Select(e => e.GroupId));
        Assert.Equal(1, buf.Expire(currentStep: 6, expireAfterSteps: 2)); // step 3 is 3 steps old
        Assert.Equal(["4", "5"], buf.Entries.Select(e => e.GroupId));
        Assert.Equal(0, buf.Expire(6, 0));

        var keep = new SelectiveSampleReplay(new ReplayOptions(), Grpo);
        keep.Buffer.Add([S("x", 1)]);
        keep.OnEpisodeStart();
        Assert.Equal(1, keep.Buffer.Count);
        var clear = new SelectiveSampleReplay(new ReplayOptions { ClearEachEpisode = true }, Grpo);
        clear.Buffer.Add([S("x", 1)]);
        clear.OnEpisodeStart();
        Assert.Equal(0, clear.Buffer.Count);
    }

    [Fact]
    public void WithoutReplacement_NeverRepeatsAndSkipsZeroWeights()
    {
        var picks = WeightedSampler.WithoutReplacement([1, 0, 2, 3], 4, new Rng(5));
        Assert.Equal(3, picks.Length);
        Assert.Equal([0, 2, 3], picks.Order());
    }
}
