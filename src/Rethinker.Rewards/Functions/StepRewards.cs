// R1-VL StepGRPO (2503.12937) step-wise rewards, as DESIGN.md §4 states them:
//  StepRAR = 1[correct] + 0.1 · (matched key-step groups / |K|): a group matches when any of its equivalent phrasings
//            occurs in the reasoning after soft normalisation (case, spacing, LaTeX and punctuation ignored), or when at
//            least SoftRecall of its words appear in order-free form (the paper's soft matching; threshold ours, 0.8).
//  StepRVR = 1 when description, numbered steps 1..n and the final answer appear in that order, else 0.
using System.Text;
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Functions;

public sealed class StepRarReward(AnswerVerifier? verifier = null, double stepWeight = 0.1, double softRecall = 0.8) : IReward
{
    readonly AnswerVerifier verifier = verifier ?? AnswerVerifier.Default;

    public string Name { get; init; } = "step_rar";

    public RewardScore Score(RewardInput input)
    {
        var v = input.Verdict(verifier);
        int matched = MatchedGroups(input.Response, input.KeySteps, softRecall);
        int k = input.KeySteps.Count;
        return RewardScore.Of(Name, Value(v.Correct, matched, k, stepWeight), ("correct", v.Correct), ("matched_steps", matched), ("key_steps", k));
    }

    /// <summary>1[correct] + w · matched / |K| (no step term when K is empty).</summary>
    public static double Value(bool correct, int matched, int keySteps, double stepWeight = 0.1)
    {
        if (matched < 0 || matched > keySteps) throw new ArgumentOutOfRangeException(nameof(matched), $"matched must be in [0, {keySteps}], got {matched}.");
        return (correct ? 1.0 : 0.0) + (keySteps == 0 ? 0 : stepWeight * matched / keySteps);
    }

    public static int MatchedGroups(string response, IReadOnlyList<IReadOnlyList<string>> groups, double softRecall)
    {
        if (groups.Count == 0) return 0;
        string text = Squash(response.Length > 64 * 1024 ? response[^(64 * 1024)..] : response);
        var words = new HashSet<string>(TextForms.Normalize(response, 64 * 1024).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        int matched = 0;
        foreach (var g in groups)
            if (g.Any(p => Matches(p, text, words, softRecall))) matched++;
        return matched;
    }

    static bool Matches(string phrase, string squashedText, HashSet<string> words, double softRecall)
    {
        string sq = Squash(phrase);
        if (sq.Length == 0) return false;
        if (squashedText.Contains(sq, StringComparison.Ordinal)) return true;
        var pw = TextForms.Normalize(phrase).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (pw.Length < 3) return false;
        int hit = pw.Count(words.Contains);
        return hit >= softRecall * pw.Length;
    }

    /// <summary>Lower-case letters and digits only, LaTeX converted: "AB = \sqrt{6^2+8^2}" ≡ "ab=sqrt(6^2 + 8^2)".</summary>
    static string Squash(string s)
    {
        string plain = Expressions.LatexToPlain.Convert(s.Length > Expressions.LatexToPlain.MaxLength ? s[..Expressions.LatexToPlain.MaxLength] : s) ?? s;
        if (s.Length > Expressions.LatexToPlain.MaxLength) plain += s[Expressions.LatexToPlain.MaxLength..];
        var sb = new StringBuilder(plain.Length);
        foreach (char c in plain) if (char.IsLetterOrDigit(c) || c is '=' or '+' or '-' or '*' or '/' or '^' or '.') sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }
}

public sealed class StepRvrReward : IReward
{
    public string Name { get; init; } = "step_rvr";

    public RewardScore Score(RewardInput input)
    {
        var l = StepLayout.Analyse(input.Response);
        bool ok = l.Valid && !input.Truncated;
        return RewardScore.Of(Name, ok ? 1 : 0, ("description", l.HasDescription), ("steps", l.Steps), ("consecutive", l.StepsConsecutive), ("final_answer", l.HasFinalAnswer));
    }
}
