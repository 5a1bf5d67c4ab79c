// Reason-RFT (2503.20752) task rewards, as DESIGN.md §4 states them:
//  discrete — exact match (counting: the integer must equal the gold, no tolerance);
//  math     — d = |â − a|: 1 if d < 0.05|a|, 0 if d > 0.20|a|, else ½(cos(π(d − 0.05|a|)/(0.15|a|)) + 1); a = 0 needs â = 0;
//  function — per predicted func(object, value): 1 full match, 0.5 func+object, 0.5 func+value, 0.25 func only,
//             normalised by max(|pred|, |gold|); each gold call is used at most once (best match first).
using System.Text.RegularExpressions;
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Functions;

public sealed class ReasonRftDiscreteReward : IReward
{
    static readonly AnswerVerifier Exact = new(new VerifierOptions { RelativeTolerance = 0 });
    public string Name { get; init; } = "rft_discrete";

    public RewardScore Score(RewardInput input)
    {
        var v = input.Verdict(Exact);
        return RewardScore.Of(Name, v.Correct ? 1 : 0, ("extracted", v.Extracted));
    }
}

public sealed class ReasonRftMathReward : IReward
{
    public string Name { get; init; } = "rft_math";

    public RewardScore Score(RewardInput input)
    {
        double? pred = FinalAnswer.Number(input.Response);
        var gold = NumericForms.Parse(Expressions.LatexToPlain.Convert(input.Gold) ?? input.Gold, allowSymbols: false);
        if (pred is null || gold is null || input.Truncated) return RewardScore.Of(Name, 0, ("predicted", pred), ("reason", "no numeric answer"));
        double a = gold.Expr.Eval(null);
        return RewardScore.Of(Name, Value(pred.Value, a), ("predicted", pred), ("gold", a));
    }

    /// <summary>The Reason-RFT mathematical accuracy of prediction <paramref name="pred"/> for gold <paramref name="a"/>.</summary>
    public static double Value(double pred, double a)
    {
        if (!double.IsFinite(pred) || !double.IsFinite(a)) return 0;
        double d = Math.Abs(pred - a), abs = Math.Abs(a);
        if (abs == 0) return d == 0 ? 1 : 0;
        if (d < 0.05 * abs) return 1;
        if (d > 0.20 * abs) return 0;
        return 0.5 * (Math.Cos(Math.PI * (d - 0.05 * abs) / (0.15 * abs)) + 1);
    }
}

public sealed partial class ReasonRftFunctionReward : IReward
{
    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)", RegexOptions.NonBacktracking)]
    private static partial Regex CallRegex();

    public string Name { get; init; } = "rft_function";

    public readonly record struct Call(string Function, string Object, string Value);

    public RewardScore Score(RewardInput input)
    {
        string answerText = FinalAnswer.Text(input.Response) ?? input.Response;
        var pred = Parse(answerText);
        var gold = Parse(input.Gold);
        return RewardScore.Of(Name, Value(pred, gold), ("predicted_calls", pred.Count), ("gold_calls", gold.Count));
    }

    public static List<Call> Parse(string s)
    {
        var calls = new List<Call>();
        if (s.Length > 20000) s = s[^20000..];
        foreach (Match m in CallRegex().Matches(s))
        {
            string args = m.Groups[2].Value;
            int comma = args.IndexOf(',');
            calls.Add(comma < 0
                ? new Call(Norm(m.Groups[1].Value), Norm(args), "")
                : new Call(Norm(m.Groups[1].Value), Norm(args[..comma]), Norm(args[(comma + 1)..])));
        }
        return calls;
    }

    static string Norm(string s) => s.Trim().Trim('"', '\'').ToLowerInvariant();

    public static double Value(IReadOnlyList<Call> pred, IReadOnlyList<Call> gold)
    {
        int denom = Math.Max(pred.Count, gold.Count);
        if (denom == 0) return 0;
        var used = new bool[gold.Count];
        double total = 0;
        foreach (var p in pred)
        {
            int best = -1; double bestScore = 0;
            for (int g = 0; g < gold.Count; g++)
            {
                if (used[g]) continue;
                double s = Match1(p, gold[g]);
                if (s > bestScore) { bestScore = s; best = g; }
            }
            if (best >= 0) { used[best] = true; total += bestScore; }
        }
        return total / denom;
    }

    static double Match1(Call p, Call g)
    {
        if (p.Function != g.Function) return 0;
        bool obj = p.Object == g.Object, val = p.Value == g.Value;
        return obj && val ? 1 : obj || val ? 0.5 : 0.25;
    }
}
