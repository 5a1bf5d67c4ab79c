// Requests, options and results of the policy interfaces (DESIGN.md §1). Shared by the embedded engine and
// remote OpenAI-compatible backends; token ids are the policy's own tokenizer's.
using Rethinker.Models.Imaging;

namespace Rethinker.Models.Policy;

/// <summary>
/// One prompt to complete. <see cref="PromptTokenIds"/> is the full chat-templated prompt (with the generation
/// prompt and one image pad per merged patch already expanded, or the single-pad form the generator expands).
/// <see cref="PrefixTokenIds"/> is an assistant prefix to continue from (forced rethinking, beam search, MCTS):
/// it is fed but not sampled, and is not part of the returned completion.
/// </summary>
public sealed record GenerationRequest
{
    public required string Id { get; init; }
    public required int[] PromptTokenIds { get; init; }
    public IReadOnlyList<RgbImage> Images { get; init; } = [];
    public int[] PrefixTokenIds { get; init; } = [];
    /// <summary>Samples drawn for this prompt, sharing one prefill and one image encoding (GRPO groups).</summary>
    public int N { get; init; } = 1;
    /// <summary>Per-request seed: sample k of this request uses a stream derived from (Seed, k), independent of the batch.</summary>
    public ulong Seed { get; init; }
}

public sealed record SamplingOptions
{
    /// <summary>0 means greedy.</summary>
    public float Temperature { get; init; } = 1f;
    /// <summary>0 disables top-k.</summary>
    public int TopK { get; init; }
    public float TopP { get; init; } = 1f;
    public float MinP { get; init; }
    public float RepetitionPenalty { get; init; } = 1f;
    public int MaxNewTokens { get; init; } = 256;
    public int[] StopTokenIds { get; init; } = [];
    public string[] StopStrings { get; init; } = [];
    public int[] SuppressTokenIds { get; init; } = [];
}

public enum FinishReason
{
    /// <summary>A stop token id (EOS) was sampled; it is the last entry of TokenIds.</summary>
    StopToken,
    /// <summary>A stop string appeared in the decoded text.</summary>
    StopString,
    /// <summary>MaxNewTokens reached (truncated).</summary>
    Length,
}

public sealed record Completion
{
    public required string RequestId { get; init; }
    public int SampleIndex { get; init; }
    public required int[] TokenIds { get; init; }
    /// <summary>Log-prob of each sampled token under the distribution it was sampled from (after temperature and filters).</summary>
    public float[] LogProbs { get; init; } = [];
    /// <summary>Log-prob of each sampled token under the raw model distribution (temperature 1, no filters).</summary>
    public float[] RawLogProbs { get; init; } = [];
    public required string Text { get; init; }
    public FinishReason Finish { get; init; }
}
