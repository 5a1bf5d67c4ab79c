// SFT options (DESIGN.md §5 "SFT"): assistant-token-only loss, packing under a token budget, gradient
// accumulation, held-out evaluation. Values are ours (no paper gives them for the tiny model).
namespace Rethinker.Training.Config;

public sealed record SftConfig
{
    public RunOptions Run { get; init; } = new() { OutputDir = "runs/sft" };
    public ModelOptions Model { get; init; } = new();
    public DataOptions Data { get; init; } = new();
    public SftOptions Sft { get; init; } = new();
    public OptimizerOptions Optim { get; init; } = new() { LearningRate = 1e-5f, Schedule = LrScheduleKind.Cosine, WarmupSteps = 10, MinLrRatio = 0.1f };
    public CheckpointOptions Checkpoint { get; init; } = new();

    public void Validate()
    {
        Run.Validate();
        Sft.Validate();
        Optim.Validate();
        Checkpoint.Validate();
    }
}

public sealed record SftOptions
{
    /// <summary>Token budget of one packed micro-batch (prompt + response tokens, images' pads included); examples are packed first-fit-decreasing.</summary>
    public int MaxTokensPerBatch { get; init; } = 4096;
    /// <summary>Micro-batches whose gradients are accumulated into one optimizer update; the loss is the token mean over all of them.</summary>
    public int GradientAccumulation { get; init; } = 1;
    /// <summary>Examples longer than this many tokens are dropped (counted in the metrics); 0 = max_tokens_per_batch.</summary>
    public int MaxSequenceLength { get; init; }
    /// <summary>Which reasoning trace of each row is the assistant target: think, cot, llava_cot or r1_vl.</summary>
    public Hosting.TraceFormat TraceFormat { get; init; } = Hosting.TraceFormat.Think;
    /// <summary>Evaluate the held-out loss every this many updates (and at the end); 0 = only at the end.</summary>
    public int EvalEvery { get; init; } = 50;
    /// <summary>At most this many held-out examples per evaluation; 0 = all.</summary>
    public int EvalMaxExamples { get; init; } = 256;

    public void Validate()
    {
        Check.Positive(MaxTokensPerBatch, "sft.max_tokens_per_batch");
        Check.Positive(GradientAccumulation, "sft.gradient_accumulation");
        if (MaxSequenceLength < 0) throw new ConfigException($"sft.max_sequence_length must be ≥ 0 (0 = max_tokens_per_batch), got {MaxSequenceLength}.");
        if (MaxSequenceLength > MaxTokensPerBatch)
            throw new ConfigException($"sft.max_sequence_length ({MaxSequenceLength}) must not exceed sft.max_tokens_per_batch ({MaxTokensPerBatch}): such an example fits no batch.");
        if (EvalEvery < 0) throw new ConfigException($"sft.eval_every must be ≥ 0, got {EvalEvery}.");
        if (EvalMaxExamples < 0) throw new ConfigException($"sft.eval_max_examples must be ≥ 0, got {EvalMaxExamples}.");
    }

    public int EffectiveMaxSequenceLength => MaxSequenceLength > 0 ? MaxSequenceLength : MaxTokensPerBatch;
}
