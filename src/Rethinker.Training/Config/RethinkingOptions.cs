// Forced rethinking options (DESIGN.md §5 "Forced rethinking", VL-Rethinker §3.3): which responses are
// continued, how y1 is cut, which triggers are appended, which continuations are kept and how the loss
// treats them. Every probability, length bound and trigger is configurable.
namespace Rethinker.Training.Config;

public sealed record RethinkingOptions
{
    /// <summary>Turn forced rethinking on (default true: the paper's recipe).</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>q: probability that an eligible response is continued (VL-Rethinker: 0.65).</summary>
    public float Probability { get; init; } = 0.65f;
    /// <summary>Groups whose accuracy is above this are easy: their wrong answers are not rethought (0.7).</summary>
    public float EasyGroupAccuracy { get; init; } = 0.7f;
    /// <summary>Probability of cutting y1 before its conclusion (at the last "Wait", else last \boxed, else first "answer", then back to the last blank line). 0.5.</summary>
    public float TruncateProbability { get; init; } = 0.5f;
    /// <summary>Probability of a self-verification trigger; otherwise questioning (y1 right) or correction (y1 wrong). 0.5.</summary>
    public float VerificationProbability { get; init; } = 0.5f;
    /// <summary>Self-verification triggers, chosen uniformly.</summary>
    public string[] VerificationTriggers { get; init; } = ["\n\nWait", "\n\nWait, does it seem right?"];
    /// <summary>Self-questioning triggers, used when y1 was right.</summary>
    public string[] QuestioningTriggers { get; init; } = ["\n\nWait, let's double check"];
    /// <summary>Self-correction triggers, used when y1 was wrong.</summary>
    public string[] CorrectionTriggers { get; init; } = ["\n\nWait, there might be a mistake"];
    /// <summary>Continuation sampling temperature (VL-Rethinker: 0.9).</summary>
    public float Temperature { get; init; } = 0.9f;
    /// <summary>Keep a continuation only if it has at least this many tokens (30).</summary>
    public int MinContinuationTokens { get; init; } = 30;
    /// <summary>… and at most this many (1024); also the continuation's generation budget.</summary>
    public int MaxContinuationTokens { get; init; } = 1024;
    /// <summary>Bound on y1' + trigger + continuation tokens: a response is eligible only if y1' + trigger + min_continuation_tokens fit ("left room to continue"), and longer results are rejected. Ours: 2048.</summary>
    public int MaxTotalTokens { get; init; } = 2048;
    /// <summary>Reject continuations that hit the token budget without finishing (ours: true).</summary>
    public bool RequireFinished { get; init; } = true;
    /// <summary>Keep a continuation only if it has at most this many rethinking markers (4).</summary>
    public int MaxMarkers { get; init; } = 4;
    /// <summary>At most this many rethought responses replace originals per prompt (2).</summary>
    public int MaxPerPrompt { get; init; } = 2;
    /// <summary>Words counted as rethinking markers (case-insensitive whole words): native rethinking rate and the marker bound.</summary>
    public string[] Markers { get; init; } = ["wait", "alternatively"];
    /// <summary>Exclude the trigger tokens (not sampled by the policy) from the policy-gradient term (default true; false trains on them as the official code does).</summary>
    public bool MaskTriggerTokens { get; init; } = true;
    /// <summary>Coefficient of the auxiliary NLL on positive-advantage responses containing rethinking (0.05).</summary>
    public float AuxNllCoef { get; init; } = 0.05f;

    public void Validate(GrpoOptions grpo)
    {
        Check.InRange(Probability, 0f, 1f, "rethinking.probability", "a probability in [0, 1], e.g. 0.65");
        Check.InRange(EasyGroupAccuracy, 0f, 1f, "rethinking.easy_group_accuracy", "an accuracy in [0, 1], e.g. 0.7");
        Check.InRange(TruncateProbability, 0f, 1f, "rethinking.truncate_probability", "a probability in [0, 1]");
        Check.InRange(VerificationProbability, 0f, 1f, "rethinking.verification_probability", "a probability in [0, 1]");
        if (!Enabled) return;
        CheckTriggers(VerificationTriggers, "rethinking.verification_triggers", VerificationProbability > 0);
        CheckTriggers(QuestioningTriggers, "rethinking.questioning_triggers", VerificationProbability < 1);
        CheckTriggers(CorrectionTriggers, "rethinking.correction_triggers", VerificationProbability < 1);
        Check.InRange(Temperature, 0f, 10f, "rethinking.temperature", "a sampling temperature > 0", exclusiveMin: true);
        if (MinContinuationTokens < 0) throw new ConfigException($"rethinking.min_continuation_tokens must be ≥ 0, got {MinContinuationTokens}.");
        if (MaxContinuationTokens < Math.Max(1, MinContinuationTokens))
            throw new ConfigException($"rethinking.max_continuation_tokens ({MaxContinuationTokens}) must be ≥ rethinking.min_continuation_tokens ({MinContinuationTokens}) and ≥ 1.");
        if (MaxTotalTokens < MinContinuationTokens) throw new ConfigException($"rethinking.max_total_tokens ({MaxTotalTokens}) must be ≥ rethinking.min_continuation_tokens ({MinContinuationTokens}).");
        if (MaxMarkers < 0) throw new ConfigException($"rethinking.max_markers must be ≥ 0, got {MaxMarkers}.");
        if (MaxPerPrompt < 0 || MaxPerPrompt > grpo.GroupSize)
            throw new ConfigException($"rethinking.max_per_prompt must be in [0, grpo.group_size = {grpo.GroupSize}], got {MaxPerPrompt}.");
        if (Markers.Any(string.IsNullOrWhiteSpace)) throw new ConfigException("rethinking.markers must not contain empty words.");
        if (AuxNllCoef < 0) throw new ConfigException($"rethinking.aux_nll_coef must be ≥ 0, got {AuxNllCoef}.");
    }

    static void CheckTriggers(string[] triggers, string name, bool used)
    {
        if (used && triggers.Length == 0) throw new ConfigException($"{name} is empty but can be chosen; give at least one trigger such as \"\\n\\nWait\".");
        if (triggers.Any(string.IsNullOrEmpty)) throw new ConfigException($"{name} must not contain empty strings.");
    }
}
