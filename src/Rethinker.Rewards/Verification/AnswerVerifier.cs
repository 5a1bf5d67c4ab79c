// The answer verifier (DESIGN.md §4): extract the final answer, judge it against the gold, and reject hedges —
// a second, different answer anywhere after the last rethinking marker makes the response wrong. The last readable
// candidate wins; a truncated response (finish reason "length" or an unclosed <think>) has no answer.
namespace Rethinker.Rewards.Verification;

public enum VerifyStatus { Correct, Wrong, Hedged, NoAnswer, Truncated }

/// <summary>One verification request. <see cref="Choices"/> are option texts in letter order A, B, …</summary>
public sealed record VerifyInput(string Response, string Gold, IReadOnlyList<string>? Choices = null, string? AnswerType = null,
    bool Truncated = false, IReadOnlyList<string>? GoldAlternatives = null);

/// <summary><see cref="Extracted"/>: the normalised final answer, or null when none was found.</summary>
public sealed record VerifyResult(bool Correct, string? Extracted, VerifyStatus Status)
{
    /// <summary>Valid = an answer was given and the response was not cut off (VL-Rethinker's invalid reward applies otherwise).</summary>
    public bool Valid => Status is not (VerifyStatus.NoAnswer or VerifyStatus.Truncated);
}

public sealed record VerifierOptions
{
    /// <summary>Relative tolerance for numbers (DESIGN.md §4 default 1e-4).</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    public void Validate()
    {
        if (!(RelativeTolerance >= 0 && RelativeTolerance < 1)) throw new ArgumentException($"RelativeTolerance must be in [0, 1), got {RelativeTolerance}.");
    }
}

public sealed class AnswerVerifier(VerifierOptions? options = null)
{
    readonly VerifierOptions options = options ?? new VerifierOptions();

    public static AnswerVerifier Default { get; } = new();

    public VerifyResult Verify(VerifyInput input) => Verify(input, PrepareGold(input));

    public static GoldAnswer PrepareGold(VerifyInput input)
    {
        var gold = GoldAnswer.Parse(input.Gold, input.Choices, input.AnswerType);
        if (input.GoldAlternatives is { Count: > 0 } alts)
            gold = new GoldAnswer
            {
                Kind = gold.Kind, Raw = gold.Raw, Plain = gold.Plain, Choices = gold.Choices, ChoiceIndex = gold.ChoiceIndex,
                Number = gold.Number, Intervals = gold.Intervals, Elements = gold.Elements, TupleShape = gold.TupleShape,
                EquationLhs = gold.EquationLhs, EquationRhs = gold.EquationRhs,
                Alternatives = alts.Select(a => GoldAnswer.Parse(a, input.Choices, input.AnswerType)).ToList(),
            };
        return gold;
    }

    public VerifyResult Verify(VerifyInput input, GoldAnswer gold)
    {
        if (input.Truncated) return new VerifyResult(false, null, VerifyStatus.Truncated);
        var prepared = ResponseText.Prepare(input.Response ?? "");
        var ex = AnswerExtractor.Extract(prepared);
        if (ex.Truncated) return new VerifyResult(false, null, VerifyStatus.Truncated);
        var cands = ex.Candidates;
        double tol = options.RelativeTolerance;
        int finalIdx = -1;
        JudgeResult final = default;
        for (int i = cands.Count - 1; i >= 0; i--)
        {
            var c = cands[i];
            if (c.Kind == CandidateKind.AnswerTag && c.Text.Length == 0 && i == cands.Count - 1) break; // <answer></answer>
            var r = AnswerJudge.Judge(c, gold, tol);
            if (r.Verdict == Judgement.Unparseable) continue;
            finalIdx = i; final = r; break;
        }
        if (finalIdx < 0) return new VerifyResult(false, null, VerifyStatus.NoAnswer);
        if (final.Verdict == Judgement.Wrong) return new VerifyResult(false, final.Extracted, final.Hedge ? VerifyStatus.Hedged : VerifyStatus.Wrong);
        // gold-directed hedge check: every other readable answer in the final segment must agree
        for (int j = 0; j < cands.Count; j++)
        {
            if (j == finalIdx || cands[j].Start < ex.SegmentStart || cands[j].Kind is CandidateKind.Fallback or CandidateKind.Mentions) continue;
            var other = AnswerJudge.Judge(cands[j], gold, tol);
            if (other.Verdict == Judgement.Wrong) return new VerifyResult(false, final.Extracted, VerifyStatus.Hedged);
        }
        return new VerifyResult(true, final.Extracted, VerifyStatus.Correct);
    }
}
