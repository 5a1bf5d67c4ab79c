// What the GRPO trainer needs from a dataset row: the chat-templated prompt tokens, the images and the gold
// answer for the reward. Adapters from Rethinker.Data rows build these; the trainer never tokenizes.
using Rethinker.Models.Imaging;

namespace Rethinker.Training.Prompts;

public sealed record TrainingPrompt
{
    /// <summary>The dataset row's id (for logs and sample dumps); groups are keyed by a per-step id instead.</summary>
    public required string Id { get; init; }
    /// <summary>Full chat-templated prompt with the generation prompt, as the policy's generator expects it.</summary>
    public required int[] PromptTokenIds { get; init; }
    public IReadOnlyList<RgbImage> Images { get; init; } = [];
    /// <summary>Gold answer string (\boxed{} stripped), handed to the reward function.</summary>
    public required string Answer { get; init; }
    /// <summary>The question text, for sample dumps and reward functions that need it.</summary>
    public string Question { get; init; } = "";
    /// <summary>Multiple-choice options where the row has them (reward functions may match option text).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
    /// <summary>"number", "text", "yes_no" or "choice" where the row says (guides the verifier); null = inferred.</summary>
    public string? AnswerType { get; init; }
}

/// <summary>A fixed, indexable set of prompts; the trainer owns the order (seeded shuffle per epoch) so it can resume exactly.</summary>
public interface IPromptDataset
{
    int Count { get; }
    TrainingPrompt this[int index] { get; }
}

public sealed class ListPromptDataset(IReadOnlyList<TrainingPrompt> prompts) : IPromptDataset
{
    public int Count => prompts.Count;
    public TrainingPrompt this[int index] => prompts[index];
}
