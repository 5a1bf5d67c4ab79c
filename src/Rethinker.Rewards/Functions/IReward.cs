// Reward function contract (DESIGN.md §4): each component maps a response to a score plus details, is logged on its
// own under its Name, and composes with others by weight (CompositeReward). RewardInput caches the verifier verdict
// so accuracy, rethinking shaping and StepRAR in one composite verify each response once.
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Functions;

public interface IReward
{
    /// <summary>Metric key, e.g. "accuracy", "format", "step_rar" (logged as reward/&lt;name&gt;).</summary>
    string Name { get; }
    RewardScore Score(RewardInput input);
}

/// <summary>One component's score; <see cref="Details"/> explains it (extracted answer, matched steps, marker count, …).</summary>
public sealed record RewardScore(string Name, double Value, IReadOnlyDictionary<string, object?> Details)
{
    public static RewardScore Of(string name, double value, params (string Key, object? Value)[] details) =>
        new(name, value, details.ToDictionary(d => d.Key, d => d.Value));
}

/// <summary>
/// What a reward sees: the response, the gold answer, options (letter order), answer type, whether generation was cut off
/// (finish reason "length"), and R1-VL key steps (groups of equivalent phrasings) for StepRAR.
/// </summary>
public sealed class RewardInput(string response, string gold, IReadOnlyList<string>? choices = null, string? answerType = null,
    bool truncated = false, IReadOnlyList<IReadOnlyList<string>>? keySteps = null)
{
    VerifyResult? verdict;
    AnswerVerifier? verdictBy;

    public string Response { get; } = response ?? "";
    public string Gold { get; } = gold ?? "";
    public IReadOnlyList<string>? Choices { get; } = choices;
    public string? AnswerType { get; } = answerType;
    public bool Truncated { get; } = truncated;
    public IReadOnlyList<IReadOnlyList<string>> KeySteps { get; } = keySteps ?? [];

    /// <summary>The verifier's verdict, computed once per verifier.</summary>
    public VerifyResult Verdict(AnswerVerifier verifier)
    {
        if (verdict is not null && ReferenceEquals(verdictBy, verifier)) return verdict;
        verdict = verifier.Verify(new VerifyInput(Response, Gold, Choices, AnswerType, Truncated));
        verdictBy = verifier;
        return verdict;
    }
}
