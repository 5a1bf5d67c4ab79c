// What a task family produces for one example, before the generator decides multiple choice vs free form
// and writes files: question (no <image> placeholder, no options), gold value, reasoning, scene, pixels.
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;

namespace Rethinker.Data.Synthetic.Tasks;

public enum AnswerKind { Number, Text, YesNo }

/// <summary>
/// The structured reasoning of one example, from which every trace format is written.
/// <see cref="Verification"/> re-derives the gold value by a different route (complement count, inverse
/// operation, pairwise comparison); <see cref="SlipSteps"/> are <see cref="Steps"/> with one honest mistake
/// leading to <see cref="SlipValue"/>, for self-correction traces. <see cref="KeySteps"/>: R1-VL StepRAR
/// groups, each a list of equivalent phrasings, at least one of which occurs in <see cref="Steps"/>.
/// </summary>
public sealed record Reasoning(
    string Summary,
    string Caption,
    IReadOnlyList<string> Steps,
    string Verification,
    IReadOnlyList<string> SlipSteps,
    string SlipValue,
    IReadOnlyList<IReadOnlyList<string>> KeySteps);

public sealed record TaskDraft(
    string Question,
    string Value,
    AnswerKind Kind,
    IReadOnlyList<string> Distractors,
    Reasoning Reasoning,
    JsonObject Scene,
    Canvas Image);

public interface ITaskFamily
{
    /// <summary>Task name used on the command line and in rows (`task`).</summary>
    string Name { get; }
    /// <summary>ViRL39K-style category written to rows (`category`).</summary>
    string Category { get; }
    /// <summary>One example at difficulty 1 (easy), 2 (medium) or 3 (hard) on a size×size canvas.</summary>
    TaskDraft Generate(SynthRng rng, int difficulty, int size);
}
