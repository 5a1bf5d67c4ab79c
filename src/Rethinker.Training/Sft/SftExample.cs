// One SFT example: a chat-templated token sequence, a mask of the assistant tokens the loss is on, and the
// images. Multi-turn conversations work: the loss covers every assistant span, nothing else.
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;

namespace Rethinker.Training.Sft;

public sealed record SftExample
{
    public required string Id { get; init; }
    /// <summary>[T] the whole conversation, chat template applied.</summary>
    public required int[] TokenIds { get; init; }
    /// <summary>[T] true on assistant tokens (the loss targets); false on system/user/template tokens.</summary>
    public required bool[] AssistantMask { get; init; }
    public IReadOnlyList<RgbImage> Images { get; init; } = [];

    public int Length => TokenIds.Length;

    /// <summary>
    /// The policy scores a response after a prompt, so the sequence is split at the first assistant token:
    /// prompt = everything before it, response = the rest with its loss mask [T_resp]. Null if no assistant token.
    /// </summary>
    public (PolicySequence Sequence, float[] LossMask)? ToPolicySequence()
    {
        if (AssistantMask.Length != TokenIds.Length)
            throw new InvalidDataException($"SFT example {Id}: assistant mask has {AssistantMask.Length} entries for {TokenIds.Length} tokens");
        int first = Array.IndexOf(AssistantMask, true);
        if (first < 0) return null;
        if (first == 0) throw new InvalidDataException($"SFT example {Id}: the first token is an assistant token; a prompt must precede it");
        var mask = new float[TokenIds.Length - first];
        for (int t = 0; t < mask.Length; t++) mask[t] = AssistantMask[first + t] ? 1f : 0f;
        return (new PolicySequence(TokenIds[..first], Images, TokenIds[first..]), mask);
    }
}

public interface ISftDataset
{
    int Count { get; }
    SftExample this[int index] { get; }
}

public sealed class ListSftDataset(IReadOnlyList<SftExample> examples) : ISftDataset
{
    public int Count => examples.Count;
    public SftExample this[int index] => examples[index];
}
