// What the benchmark runner consumes and produces. Items arrive already templated (prompt ids + images), so the
// runner works the same for synthetic tasks, ViRL39K-style rows and VLMEvalKit TSVs, on any IGenerator.
using Rethinker.Models.Imaging;

namespace Rethinker.Eval.Runner;

public sealed record EvalItem(string Id, string Category, string Question, int[] PromptTokenIds, IReadOnlyList<RgbImage> Images,
    string Gold, IReadOnlyList<string>? Choices = null, string? AnswerType = null);

/// <summary>The verdict on one response, from the verifier (Rethinker.Rewards) behind <see cref="IAnswerJudge"/>.</summary>
public sealed record Judgement(bool Correct, string? Extracted);

public interface IAnswerJudge
{
    Judgement Judge(string response, EvalItem item);
    /// <summary>Character spans of native rethinking ("Wait, …", "let me double check …") in a response.</summary>
    IReadOnlyList<(int Start, int Length)> RethinkingSpans(string response);
}

public sealed record EvalOptions
{
    /// <summary>0 = greedy (the default for benchmarks).</summary>
    public float Temperature { get; init; }
    public float TopP { get; init; } = 1f;
    public int MaxNewTokens { get; init; } = 512;
    public int SamplesPerItem { get; init; } = 1;
    public ulong Seed { get; init; } = 1234;
    /// <summary>VL-Reasoner-forced: after a response that ended on its own, append the trigger once and continue.</summary>
    public bool ForcedRethinking { get; init; }
    public string RethinkingTrigger { get; init; } = "\n\nWait";
    public int[] StopTokenIds { get; init; } = [];
}

public sealed record Prediction(string Id, string Category, int SampleIndex, string Response, bool Correct, string? Extracted,
    bool Truncated, int ResponseTokens, bool Rethought, bool NativeRethinking, bool? CorrectBeforeRethinking);

public sealed record CategoryScore(string Category, int Count, double Accuracy);

public sealed record EvalSummary(int Items, int Responses, double Accuracy, IReadOnlyList<CategoryScore> PerCategory,
    double RethinkingRatio, double MeanResponseTokens, double TruncatedRatio, double? ForcedRethinkingGain, double Seconds);
