// One dataset row in the JSONL schema of DESIGN.md §7: {id, question, answer, images[], choices?,
// category?, source?, pass_rate?}; questions hold <image> placeholders, answers are gold strings with
// \boxed{} stripped, images are paths relative to the JSONL file. The synthetic generator adds optional
// fields (task, difficulty, answer_type, traces, key_steps, rethink, scene) that other readers may ignore.
using System.Text.Json.Nodes;

namespace Rethinker.Data.Rows;

public sealed record DatasetRow
{
    public required string Id { get; init; }
    public required string Question { get; init; }
    public required string Answer { get; init; }
    public IReadOnlyList<string> Images { get; init; } = [];
    /// <summary>Option texts in letter order A, B, …; when present the answer is a letter.</summary>
    public IReadOnlyList<string>? Choices { get; init; }
    public string? Category { get; init; }
    public string? Source { get; init; }
    /// <summary>Fraction of sampled answers that were correct (ViRL39K's PassRate), in [0, 1].</summary>
    public double? PassRate { get; init; }

    public string? Task { get; init; }
    public int? Difficulty { get; init; }
    /// <summary>"number", "text", "yes_no" or "choice".</summary>
    public string? AnswerType { get; init; }
    public ReasoningTraces? Traces { get; init; }
    /// <summary>R1-VL StepRAR key steps: groups of equivalent phrasings.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? KeySteps { get; init; }
    /// <summary>"none", "self_check" or "self_correct": what the traces' rethinking segment does.</summary>
    public string? Rethink { get; init; }
    /// <summary>Structured scene description the answer can be recomputed from.</summary>
    public JsonObject? Scene { get; init; }

    public const string ImagePlaceholder = Models.Tokenization.ImagePlaceholders.Token;
}

/// <summary>The same reasoning in the formats the trainers use (any may be absent in foreign data).</summary>
public sealed record ReasoningTraces
{
    /// <summary>Chain of thought ending in \boxed{answer}.</summary>
    public string? Cot { get; init; }
    /// <summary>&lt;think&gt;…&lt;/think&gt; then \boxed{answer}.</summary>
    public string? Think { get; init; }
    /// <summary>LLaVA-CoT: &lt;SUMMARY&gt;, &lt;CAPTION&gt;, &lt;REASONING&gt;, &lt;CONCLUSION&gt;.</summary>
    public string? LlavaCot { get; init; }
    /// <summary>R1-VL / Mulberry step layout: image description, rationale, numbered steps, final answer.</summary>
    public string? R1Vl { get; init; }
}
