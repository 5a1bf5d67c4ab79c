// GRPO options (DESIGN.md §5), one documented record per phase, in the spirit of TRL's grpo_config.py.
// Defaults are VL-Rethinker's where the paper or DESIGN.md gives a value (G = 8, ε_low 0.2, ε_high 0.28,
// grad clip 1.0, AdamW betas (0.9, 0.95), q = 0.65, α = 1, aux NLL 0.05); the others are ours and say so.
namespace Rethinker.Training.Config;

/// <summary>How group-relative advantages are computed (DESIGN.md §5, GRPO).</summary>
public enum AdvantageMode
{
    /// <summary>A_i = r_i − mean(r): VL-Rethinker's choice (Dr.GRPO drops the std too).</summary>
    MeanCentered,
    /// <summary>A_i = (r_i − mean(r)) / (std(r) + ε): the original GRPO.</summary>
    StdNormalized,
    /// <summary>A_i = r_i − mean of the other G − 1 rewards (RLOO baseline).</summary>
    LeaveOneOut,
}

/// <summary>How per-token policy losses are reduced to one scalar.</summary>
public enum LossAggregation
{
    /// <summary>Mean over every policy token of the mini-batch (default; DAPO's token-level loss).</summary>
    TokenMean,
    /// <summary>Mean over sequences of each sequence's token mean (original GRPO).</summary>
    SeqMeanTokenMean,
    /// <summary>Mean over sequences of each sequence's token sum ÷ a constant length (Dr.GRPO).</summary>
    SeqMeanTokenSumNorm,
}

/// <summary>Where the old log-probs π_old of fresh samples come from.</summary>
public enum OldLogProbSource
{
    /// <summary>Recomputed by one no-grad forward of the policy before the first update (exact; TRL/verl default).</summary>
    Recompute,
    /// <summary>The generator's RawLogProbs (temperature 1, no filters); saves a forward. Rethought samples are always recomputed.</summary>
    Rollout,
}

/// <summary>Top-level GRPO run configuration: one section per phase, as in configs/grpo.yaml.</summary>
public sealed record GrpoConfig
{
    public RunOptions Run { get; init; } = new() { OutputDir = "runs/grpo" };
    public ModelOptions Model { get; init; } = new();
    public DataOptions Data { get; init; } = new();
    public GrpoOptions Grpo { get; init; } = new();
    public RewardOptions Reward { get; init; } = new();
    public ReplayOptions Replay { get; init; } = new();
    public RethinkingOptions Rethinking { get; init; } = new();
    public OptimizerOptions Optim { get; init; } = new();
    public CheckpointOptions Checkpoint { get; init; } = new();

    /// <summary>Throws <see cref="ConfigException"/> naming the first bad option and what it expects.</summary>
    public void Validate()
    {
        Run.Validate();
        Grpo.Validate();
        Reward.Validate();
        Replay.Validate(Grpo);
        Rethinking.Validate(Grpo);
        Optim.Validate();
        Checkpoint.Validate();
    }
}

/// <summary>The rollout, advantage and loss options of GRPO.</summary>
public sealed record GrpoOptions
{
    /// <summary>Prompts per rollout batch (ours: 16). Each is replicated <see cref="GroupSize"/> times.</summary>
    public int RolloutBatchSize { get; init; } = 16;
    /// <summary>G: responses drawn per prompt (VL-Rethinker: 8). Needs ≥ 2 for a group baseline.</summary>
    public int GroupSize { get; init; } = 8;
    /// <summary>Rollout sampling temperature (VL-Rethinker: 1.0).</summary>
    public float Temperature { get; init; } = 1f;
    /// <summary>Rollout nucleus threshold; 1 disables it.</summary>
    public float TopP { get; init; } = 1f;
    /// <summary>Rollout top-k; 0 disables it.</summary>
    public int TopK { get; init; }
    /// <summary>Maximum response tokens per rollout (ours: 1024). Truncated responses count as invalid for the reward.</summary>
    public int MaxNewTokens { get; init; } = 1024;
    /// <summary>Advantage estimator: mean_centered (VL-Rethinker), std_normalized (GRPO) or leave_one_out.</summary>
    public AdvantageMode Advantage { get; init; } = AdvantageMode.MeanCentered;
    /// <summary>ε added to the group std in std_normalized mode.</summary>
    public float AdvantageEpsilon { get; init; } = 1e-6f;
    /// <summary>|A| at or below this counts as zero (a vanishing advantage).</summary>
    public float ZeroAdvantageTolerance { get; init; } = 1e-6f;
    /// <summary>ε_low of the clipped ratio: ρ is clipped below at 1 − ε_low (VL-Rethinker: 0.2).</summary>
    public float ClipEpsilonLow { get; init; } = 0.2f;
    /// <summary>ε_high (clip-higher): ρ is clipped above at 1 + ε_high (VL-Rethinker: 0.28–0.35; default 0.28).</summary>
    public float ClipEpsilonHigh { get; init; } = 0.28f;
    /// <summary>log ρ = logπθ − logπold is clamped to ±this before exp, so a stale replayed sample cannot overflow.</summary>
    public float LogRatioClamp { get; init; } = 20f;
    /// <summary>token_mean (default), seq_mean_token_mean or seq_mean_token_sum_norm (Dr.GRPO).</summary>
    public LossAggregation LossAggregation { get; init; } = LossAggregation.TokenMean;
    /// <summary>Constant divisor of seq_mean_token_sum_norm; 0 uses <see cref="MaxNewTokens"/>.</summary>
    public int LossNormLength { get; init; }
    /// <summary>β of the k3 KL penalty to a frozen reference; 0 (default) loads no reference model at all.</summary>
    public float KlBeta { get; init; }
    /// <summary>Entropy bonus coefficient (default 0). Non-zero needs a policy that reports per-token entropy.</summary>
    public float EntropyCoef { get; init; }
    /// <summary>Samples per optimizer update; the step's training set is split into mini-batches of this size (ours: 64).</summary>
    public int MiniBatchSize { get; init; } = 64;
    /// <summary>Samples per forward/backward inside a mini-batch (gradient accumulation); 0 = the whole mini-batch.</summary>
    public int MicroBatchSize { get; init; }
    /// <summary>Token budget of one forward/backward (prompt + response tokens of its samples); a micro-batch closes
    /// before it would pass this. 0 = no token bound. Like verl's max token length per GPU with dynamic batching.</summary>
    public int MicroBatchTokens { get; init; } = 16384;
    /// <summary>Passes over the step's training set (several updates per rollout batch, all against the rollout's old log-probs).</summary>
    public int UpdatesPerBatch { get; init; } = 1;
    /// <summary>recompute (default) or rollout: where fresh samples' old log-probs come from.</summary>
    public OldLogProbSource OldLogProbs { get; init; } = OldLogProbSource.Recompute;

    public void Validate()
    {
        Check.Positive(RolloutBatchSize, "grpo.rollout_batch_size");
        if (GroupSize < 2) throw new ConfigException($"grpo.group_size must be at least 2 (got {GroupSize}): a group needs another sample for its baseline.");
        Check.InRange(Temperature, 0f, 10f, "grpo.temperature", "a sampling temperature > 0 (0 would make every group identical)", exclusiveMin: true);
        Check.InRange(TopP, 0f, 1f, "grpo.top_p", "a probability in (0, 1]", exclusiveMin: true);
        if (TopK < 0) throw new ConfigException($"grpo.top_k must be ≥ 0 (0 disables it), got {TopK}.");
        Check.Positive(MaxNewTokens, "grpo.max_new_tokens");
        Check.InRange(AdvantageEpsilon, 0f, 1f, "grpo.advantage_epsilon", "a small non-negative number such as 1e-6");
        Check.InRange(ZeroAdvantageTolerance, 0f, 1f, "grpo.zero_advantage_tolerance", "a small non-negative number such as 1e-6");
        Check.InRange(ClipEpsilonLow, 0f, 1f, "grpo.clip_epsilon_low", "a value in (0, 1), e.g. 0.2", exclusiveMin: true, exclusiveMax: true);
        Check.InRange(ClipEpsilonHigh, 0f, 10f, "grpo.clip_epsilon_high", "a positive value, e.g. 0.28", exclusiveMin: true);
        Check.InRange(LogRatioClamp, 0f, 80f, "grpo.log_ratio_clamp", "a positive value ≤ 80 (exp overflows float beyond 88), e.g. 20", exclusiveMin: true);
        if (LossNormLength < 0) throw new ConfigException($"grpo.loss_norm_length must be ≥ 0 (0 uses grpo.max_new_tokens), got {LossNormLength}.");
        if (KlBeta < 0) throw new ConfigException($"grpo.kl_beta must be ≥ 0 (0 disables the KL term), got {KlBeta}.");
        if (EntropyCoef < 0) throw new ConfigException($"grpo.entropy_coef must be ≥ 0, got {EntropyCoef}.");
        Check.Positive(MiniBatchSize, "grpo.mini_batch_size");
        if (MicroBatchSize < 0) throw new ConfigException($"grpo.micro_batch_size must be ≥ 0 (0 = the whole mini-batch), got {MicroBatchSize}.");
        if (MicroBatchTokens < 0) throw new ConfigException($"grpo.micro_batch_tokens must be ≥ 0 (0 = no token bound), got {MicroBatchTokens}.");
        Check.Positive(UpdatesPerBatch, "grpo.updates_per_batch");
    }

    /// <summary>The divisor of seq_mean_token_sum_norm.</summary>
    public int EffectiveNormLength => LossNormLength > 0 ? LossNormLength : MaxNewTokens;
}

/// <summary>Which reward the run optimises (DESIGN.md §4).</summary>
public sealed record RewardOptions
{
    /// <summary>A rewards YAML (components with weights: accuracy, format, rethinking, step_rar, …); empty = accuracy alone.</summary>
    public string Config { get; init; } = "";
    /// <summary>Reward of a truncated or answerless response when config is empty (VL-Rethinker: −0.1).</summary>
    public float InvalidReward { get; init; } = -0.1f;

    public void Validate()
    {
        if (!float.IsFinite(InvalidReward)) throw new ConfigException($"reward.invalid_reward must be a finite number, got {InvalidReward}.");
    }
}
