// Selective Sample Replay (VL-Rethinker §3.2, DESIGN.md §5), run as the paper means (the released code's
// active_sampling returns early and never runs it). Builds each step's training set from fresh samples
// and the replay buffer; modes grpo / filter / ssr. Replayed samples keep stored old log-probs and A.
using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;

namespace Rethinker.Training.Replay;

/// <param name="Train">The training set of the step (may repeat a sample when drawn with replacement; may be empty).</param>
/// <param name="FreshEffective">Fresh samples with |A| &gt; 0.</param>
/// <param name="FreshSelected">Draws that took a fresh sample.</param>
/// <param name="ReplaySelected">Draws that took a buffer sample.</param>
public sealed record ReplaySelection(IReadOnlyList<RolloutSample> Train, int FreshEffective, int FreshSelected, int ReplaySelected,
    int BufferSize, int Expired, int Evicted)
{
    public bool IsEmpty => Train.Count == 0;
}

public sealed class SelectiveSampleReplay(ReplayOptions options, GrpoOptions grpo)
{
    public ReplayBuffer Buffer { get; } = new(options.Capacity);

    /// <summary>Called when a new episode (pass over the prompts) starts.</summary>
    public void OnEpisodeStart()
    {
        if (options.ClearEachEpisode) Buffer.Clear();
    }

    public ReplaySelection Select(IReadOnlyList<RolloutSample> fresh, int step, Rng rng)
    {
        var effective = fresh.Where(s => GroupStats.IsEffective(s, grpo.ZeroAdvantageTolerance)).ToArray();
        switch (options.Mode)
        {
            case ReplayMode.Grpo:
                return new ReplaySelection(fresh.ToArray(), effective.Length, fresh.Count, 0, 0, 0, 0);
            case ReplayMode.Filter:
                return new ReplaySelection(effective, effective.Length, effective.Length, 0, 0, 0, 0);
        }

        int M = options.EffectiveTrainBatchSize(grpo);
        int expired = Buffer.Expire(step, options.ExpireAfterSteps);
        var train = new List<RolloutSample>(M);

        // Fresh effective samples first, ∝ |A|^α.
        int nFresh = Math.Min(M, effective.Length);
        var freshWeights = effective.Select(s => Math.Pow(Math.Abs(s.Advantage), options.Alpha)).ToArray();
        foreach (int i in Draw(freshWeights, nFresh, rng)) train.Add(effective[i]);

        // Remaining slots from the buffer (samples of earlier steps), ∝ (|A| + ε)^α.
        int nReplay = 0;
        if (train.Count < M && Buffer.Count > 0)
        {
            var stored = Buffer.Entries.ToArray();
            var w = stored.Select(s => Math.Pow(Math.Abs(s.Advantage) + options.BufferEpsilon, options.Alpha)).ToArray();
            foreach (int i in Draw(w, M - train.Count, rng)) { train.Add(stored[i]); nReplay++; }
        }

        int evicted = Buffer.Add(effective);
        return new ReplaySelection(train, effective.Length, nFresh, nReplay, Buffer.Count, expired, evicted);
    }

    int[] Draw(double[] weights, int k, Rng rng) =>
        options.WithReplacement ? WeightedSampler.WithReplacement(weights, k, rng) : WeightedSampler.WithoutReplacement(weights, k, rng);
}
