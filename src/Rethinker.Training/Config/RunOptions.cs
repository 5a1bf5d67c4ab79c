// Run-level, model, data, optimizer and checkpoint options shared by the SFT and GRPO configs.
// Optimizer defaults follow DESIGN.md §5 (AdamW betas (0.9, 0.95), grad clip 1.0); LR 1e-6 is VL-Rethinker's.
namespace Rethinker.Training.Config;

public enum LrScheduleKind { Constant, Linear, Cosine }

public sealed record RunOptions
{
    /// <summary>Directory for metrics.jsonl, samples/, checkpoints/.</summary>
    public string OutputDir { get; init; } = "runs/default";
    /// <summary>Seed of every random choice (data order, rollouts, SSR draws, rethinking).</summary>
    public ulong Seed { get; init; } = 42;
    /// <summary>Optimisation steps to run (GRPO: one rollout batch per step).</summary>
    public int TotalSteps { get; init; } = 100;
    /// <summary>Dump every rollout sample of each step to samples/step-N.jsonl.</summary>
    public bool DumpSamples { get; init; } = true;
    /// <summary>Print a one-line progress display per step.</summary>
    public bool Progress { get; init; } = true;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDir)) throw new ConfigException("run.output_dir must name a directory.");
        Check.Positive(TotalSteps, "run.total_steps");
    }
}

public sealed record ModelOptions
{
    /// <summary>Hugging Face checkpoint directory of the policy.</summary>
    public string Path { get; init; } = "";
    /// <summary>Reference model for the KL term; empty = the initial policy (loaded only when grpo.kl_beta > 0).</summary>
    public string ReferencePath { get; init; } = "";
}

public sealed record DataOptions
{
    /// <summary>Training rows: a JSONL file or a directory the data project can read.</summary>
    public string Train { get; init; } = "";
    /// <summary>Held-out rows for evaluation (SFT eval loss; GRPO accuracy).</summary>
    public string Eval { get; init; } = "";
    /// <summary>System prompt put before every question (empty: none).</summary>
    public string SystemPrompt { get; init; } = "";
    /// <summary>Shuffle the prompts each epoch (seeded by run.seed and the epoch).</summary>
    public bool Shuffle { get; init; } = true;
}

public sealed record OptimizerOptions
{
    /// <summary>Peak learning rate (VL-Rethinker: 1e-6 for 7B/72B; tiny models want ~1e-3).</summary>
    public float LearningRate { get; init; } = 1e-6f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.95f;
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>Decoupled weight decay (ours: 0).</summary>
    public float WeightDecay { get; init; }
    /// <summary>Global gradient-norm clip (1.0); 0 disables clipping.</summary>
    public float MaxGradNorm { get; init; } = 1f;
    /// <summary>constant, linear (decay to min) or cosine (to min), each after a linear warm-up.</summary>
    public LrScheduleKind Schedule { get; init; } = LrScheduleKind.Constant;
    /// <summary>Optimizer updates of linear warm-up from 0.</summary>
    public int WarmupSteps { get; init; }
    /// <summary>Final LR as a fraction of the peak for linear / cosine.</summary>
    public float MinLrRatio { get; init; }
    /// <summary>LR multiplier of the vision tower and merger (parameters named visual.*), like Qwen2-VL fine-tuning
    /// scripts' separate vision LR; 0 freezes it in effect. A pretrained tower wants less; so does a tower trained from
    /// scratch (measured: at ≥ 1e-3 its output drifts along one shared direction before the decoder reads it; the
    /// quickstart pretrains it with VisionPretrainer and then uses 0).</summary>
    public float VisionLrScale { get; init; } = 1f;
    /// <summary>Weight decay of visual.* parameters; negative: the same as weight_decay. A tower trained from scratch
    /// grows its output unboundedly under a scale-invariant loss (the decoder's RMSNorm hides it), until image rows of
    /// the residual stream are 30–65× the decoder's own writes (measured RMS 60–133 against ≈ 2) and no decoder layer
    /// can change them; decay holds it.</summary>
    public float VisionWeightDecay { get; init; } = -1f;

    public void Validate()
    {
        Check.InRange(LearningRate, 0f, 1f, "optim.learning_rate", "a positive learning rate such as 1e-6", exclusiveMin: true);
        Check.InRange(Beta1, 0f, 1f, "optim.beta1", "a value in [0, 1)", exclusiveMax: true);
        Check.InRange(Beta2, 0f, 1f, "optim.beta2", "a value in [0, 1)", exclusiveMax: true);
        Check.InRange(Epsilon, 0f, 1f, "optim.epsilon", "a small positive number such as 1e-8", exclusiveMin: true);
        if (WeightDecay < 0) throw new ConfigException($"optim.weight_decay must be ≥ 0, got {WeightDecay}.");
        if (MaxGradNorm < 0) throw new ConfigException($"optim.max_grad_norm must be ≥ 0 (0 disables clipping), got {MaxGradNorm}.");
        if (WarmupSteps < 0) throw new ConfigException($"optim.warmup_steps must be ≥ 0, got {WarmupSteps}.");
        Check.InRange(MinLrRatio, 0f, 1f, "optim.min_lr_ratio", "a fraction in [0, 1]");
        Check.InRange(VisionLrScale, 0f, 1000f, "optim.vision_lr_scale", "a multiplier ≥ 0 such as 1");
        if (!float.IsFinite(VisionWeightDecay))
            throw new ConfigException($"optim.vision_weight_decay must be a finite number (negative = weight_decay), got {VisionWeightDecay}.");
    }
}

public sealed record CheckpointOptions
{
    /// <summary>Write a checkpoint every this many steps (and at the end); 0 = only at the end.</summary>
    public int EverySteps { get; init; } = 50;
    /// <summary>Complete checkpoints kept; older ones are deleted once a newer one is complete.</summary>
    public int KeepLast { get; init; } = 2;
    /// <summary>Also write the model as a Hugging Face directory (policy.Save) inside each checkpoint.</summary>
    public bool ExportModel { get; init; } = true;

    public void Validate()
    {
        if (EverySteps < 0) throw new ConfigException($"checkpoint.every_steps must be ≥ 0, got {EverySteps}.");
        if (KeepLast < 1) throw new ConfigException($"checkpoint.keep_last must be ≥ 1, got {KeepLast}.");
    }
}
