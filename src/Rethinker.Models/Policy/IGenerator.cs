// The policy interfaces of DESIGN.md §1: search, evaluation and data construction run the same way on the
// embedded engine and on a remote OpenAI-compatible server; only the embedded engine is trainable.
using Rethinker.Tensors;

namespace Rethinker.Models.Policy;

public interface IGenerator
{
    /// <summary>Completes every request N times. Results are ordered by request, then sample index.</summary>
    IReadOnlyList<Completion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, CancellationToken cancellationToken = default);

    /// <summary>Decodes token ids to text (special tokens kept or skipped).</summary>
    string Decode(ReadOnlySpan<int> tokenIds, bool skipSpecialTokens = true);

    /// <summary>Encodes plain text (no chat template) to token ids.</summary>
    int[] Encode(string text);
}

/// <summary>A sequence to score: the prompt (with its images) followed by a response whose tokens are scored.</summary>
public sealed record PolicySequence(int[] PromptTokenIds, IReadOnlyList<Imaging.RgbImage> Images, int[] ResponseTokenIds);

public interface ITrainablePolicy : IGenerator
{
    /// <summary>
    /// Per-token log-probs of every response token, packed in batch order: [Σ response lengths], recorded on the
    /// autograd tape (call inside Autograd.NoGrad() for old/reference log-probs).
    /// </summary>
    Tensor ResponseLogProbs(IReadOnlyList<PolicySequence> batch);

    /// <summary>Trainable parameters with their Hugging Face names.</summary>
    IEnumerable<(string Name, Tensor Parameter)> NamedParameters();

    /// <summary>Writes the policy as a Hugging Face checkpoint directory.</summary>
    void Save(string directory);
}
