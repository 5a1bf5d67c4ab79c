// One response of a GRPO group as it flows through the step: rollout → score → (rethink) → advantage →
// selection → loss. Replayed samples are these same objects, kept with their old log-probs and advantage.
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;

namespace Rethinker.Training.Grpo;

public sealed class RolloutSample
{
    /// <summary>Key of the group: assigned per prompt slot of the rollout batch BEFORE replication (two copies of one row in a batch stay two groups).</summary>
    public required string GroupId { get; init; }
    /// <summary>The dataset row's id.</summary>
    public required string PromptId { get; init; }
    public required int SampleIndex { get; init; }
    public required int[] PromptTokenIds { get; init; }
    public IReadOnlyList<RgbImage> Images { get; init; } = [];
    public required int[] ResponseTokenIds { get; set; }
    /// <summary>[T]: 1 for tokens in the policy-gradient term; 0 for forced trigger tokens when they are masked.</summary>
    public required float[] PolicyMask { get; set; }
    public required string Text { get; set; }
    public FinishReason Finish { get; set; }
    /// <summary>Generator log-probs at temperature 1 (RawLogProbs), used when grpo.old_log_probs = rollout.</summary>
    public float[] RolloutLogProbs { get; set; } = [];
    /// <summary>The step whose rollout produced it (replay expiry counts from here).</summary>
    public required int Step { get; init; }

    public float Reward { get; set; }
    public bool Correct { get; set; }
    public IReadOnlyDictionary<string, float> RewardComponents { get; set; } = new Dictionary<string, float>();
    public float Advantage { get; set; }
    /// <summary>[T] log π_old of each response token, fixed before the first update of the step it was created in.</summary>
    public float[] OldLogProbs { get; set; } = [];
    /// <summary>[T] log π_ref (only with a KL term).</summary>
    public float[] RefLogProbs { get; set; } = [];

    /// <summary>Whether forced rethinking replaced this response by y1' + trigger + continuation.</summary>
    public bool Rethought { get; set; }
    /// <summary>Token range of the trigger inside the response (Rethought only).</summary>
    public int TriggerStart { get; set; }
    public int TriggerLength { get; set; }
    /// <summary>Correctness of the original y1 (before rethinking).</summary>
    public bool OriginalCorrect { get; set; }
    /// <summary>Native rethinking markers ("wait", "alternatively") in the policy's own sampled text.</summary>
    public int NativeMarkers { get; set; }

    public int Length => ResponseTokenIds.Length;
    public bool HasRethinking => Rethought || NativeMarkers > 0;
    public PolicySequence ToSequence() => new(PromptTokenIds, Images, ResponseTokenIds);
}
