// Selective Sample Replay options (DESIGN.md §5 "SSR", VL-Rethinker §3.2): mode, priority exponent α,
// buffer capacity / clearing / expiry and the size M of each step's training set.
namespace Rethinker.Training.Config;

public enum ReplayMode
{
    /// <summary>Plain GRPO: train on every fresh sample, zero-advantage ones included; no buffer.</summary>
    Grpo,
    /// <summary>GRPO-Filter: train on the fresh effective (|A| > 0) samples only, uniformly; no buffer.</summary>
    Filter,
    /// <summary>Selective Sample Replay: fresh effective samples ∝ |A|^α, the rest of M from the buffer ∝ (|A| + ε)^α.</summary>
    Ssr,
}

public sealed record ReplayOptions
{
    /// <summary>grpo, filter or ssr (default: ssr, the paper's method).</summary>
    public ReplayMode Mode { get; init; } = ReplayMode.Ssr;
    /// <summary>α: selection probability ∝ |A|^α (VL-Rethinker: 1). 0 selects uniformly.</summary>
    public float Alpha { get; init; } = 1f;
    /// <summary>ε added to |A| for buffer draws, so every stored sample keeps a chance (DESIGN.md: 1e-4).</summary>
    public float BufferEpsilon { get; init; } = 1e-4f;
    /// <summary>C: most samples the buffer holds; the oldest leave first (FIFO). Ours: 1024.</summary>
    public int Capacity { get; init; } = 1024;
    /// <summary>Clear the buffer at the start of each episode (pass over the prompts), as in the paper; false keeps it FIFO across episodes.</summary>
    public bool ClearEachEpisode { get; init; }
    /// <summary>K: entries added more than K steps ago expire; 0 never expires (ours: 0).</summary>
    public int ExpireAfterSteps { get; init; }
    /// <summary>M: samples in each step's training set in ssr mode; 0 = rollout_batch_size × group_size.</summary>
    public int TrainBatchSize { get; init; }
    /// <summary>Draw the training set with replacement (each draw i.i.d. ∝ weight, exactly the paper's P(j)); false draws without replacement.</summary>
    public bool WithReplacement { get; init; } = true;

    public void Validate(GrpoOptions grpo)
    {
        Check.InRange(Alpha, 0f, 16f, "replay.alpha", "a non-negative exponent, e.g. 1");
        Check.InRange(BufferEpsilon, 0f, 1f, "replay.buffer_epsilon", "a small non-negative number such as 1e-4");
        Check.Positive(Capacity, "replay.capacity");
        if (ExpireAfterSteps < 0) throw new ConfigException($"replay.expire_after_steps must be ≥ 0 (0 = never), got {ExpireAfterSteps}.");
        if (TrainBatchSize < 0) throw new ConfigException($"replay.train_batch_size must be ≥ 0 (0 = rollout_batch_size × group_size), got {TrainBatchSize}.");
        if (Mode == ReplayMode.Ssr && !WithReplacement && EffectiveTrainBatchSize(grpo) > Capacity + grpo.RolloutBatchSize * grpo.GroupSize)
            throw new ConfigException("replay.train_batch_size exceeds what the buffer and a rollout batch can supply without replacement; lower it or set replay.with_replacement: true.");
    }

    public int EffectiveTrainBatchSize(GrpoOptions grpo) => TrainBatchSize > 0 ? TrainBatchSize : grpo.RolloutBatchSize * grpo.GroupSize;
}
