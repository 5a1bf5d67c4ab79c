// Compares two evaluations of the same items response by response. Two checkpoints scored on one benchmark share
// most of their verdicts, so the difference of their accuracies is far less noisy than either accuracy alone: the
// paired standard error uses only the items where they disagree, and McNemar's exact test asks whether the
// disagreements lean one way more than a fair coin would.
namespace Rethinker.Eval.Runner;

/// <summary>One scored response as <c>predictions.jsonl</c> records it; pairs are matched on (id, sample index).</summary>
public sealed record ScoredResponse(string Id, int SampleIndex, string Category, bool Correct);

/// <param name="Wins">Pairs the candidate gets right and the baseline wrong.</param>
/// <param name="Losses">Pairs the baseline gets right and the candidate wrong.</param>
public sealed record PairedCategory(string Category, int Pairs, double BaselineAccuracy, double CandidateAccuracy, int Wins, int Losses)
{
    public double Difference => Pairs == 0 ? 0 : (Wins - Losses) / (double)Pairs;
}

/// <param name="Overall">Every pair's tally (category "all").</param>
/// <param name="StandardError">Standard error of the mean per-pair difference (sample variance, n − 1).</param>
/// <param name="McNemarP">Two-sided exact McNemar p-value: 2·P(X ≤ min(wins, losses)), X ~ Binomial(wins + losses, ½), capped at 1.</param>
/// <param name="BaselineOnly">Responses of the baseline with no partner in the candidate (left out of every figure).</param>
public sealed record PairedComparisonResult(PairedCategory Overall, double StandardError, double McNemarP,
    IReadOnlyList<PairedCategory> PerCategory, int BaselineOnly, int CandidateOnly)
{
    public (double Low, double High) ConfidenceInterval95 =>
        (Overall.Difference - 1.959964 * StandardError, Overall.Difference + 1.959964 * StandardError);
}

public static class PairedComparison
{
    public static PairedComparisonResult Compare(IReadOnlyList<ScoredResponse> baseline, IReadOnlyList<ScoredResponse> candidate)
    {
        var candidateByKey = new Dictionary<(string, int), ScoredResponse>();
        foreach (var r in candidate)
            if (!candidateByKey.TryAdd((r.Id, r.SampleIndex), r))
                throw new InvalidDataException($"candidate has response ({r.Id}, sample {r.SampleIndex}) twice; pairs must be unique");
        var matched = new HashSet<(string, int)>();
        var pairs = new List<(ScoredResponse B, ScoredResponse C)>(baseline.Count);
        foreach (var b in baseline)
        {
            if (!matched.Add((b.Id, b.SampleIndex)))
                throw new InvalidDataException($"baseline has response ({b.Id}, sample {b.SampleIndex}) twice; pairs must be unique");
            if (candidateByKey.TryGetValue((b.Id, b.SampleIndex), out var c)) pairs.Add((b, c));
        }
        if (pairs.Count == 0)
            throw new InvalidDataException("the two evaluations share no (id, sample index): were they run on the same benchmark?");
        var perCategory = pairs.GroupBy(p => p.B.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Tally(g.Key, g.ToList())).ToList();
        var all = Tally("all", pairs);
        return new PairedComparisonResult(all, StandardError(all.Pairs, all.Wins, all.Losses), McNemarExactP(all.Wins, all.Losses), perCategory,
            BaselineOnly: baseline.Count - pairs.Count, CandidateOnly: candidate.Count - pairs.Count);
    }

    static PairedCategory Tally(string category, List<(ScoredResponse B, ScoredResponse C)> pairs)
    {
        int baselineRight = 0, candidateRight = 0, wins = 0, losses = 0;
        foreach (var (b, c) in pairs)
        {
            if (b.Correct) baselineRight++;
            if (c.Correct) candidateRight++;
            if (c.Correct && !b.Correct) wins++;
            if (b.Correct && !c.Correct) losses++;
        }
        return new PairedCategory(category, pairs.Count, baselineRight / (double)pairs.Count, candidateRight / (double)pairs.Count, wins, losses);
    }

    /// <summary>Per-pair differences are +1 (win), −1 (loss) or 0, so their sample variance needs only the counts.</summary>
    public static double StandardError(int pairs, int wins, int losses)
    {
        if (pairs < 2) return double.NaN;
        double mean = (wins - losses) / (double)pairs;
        double variance = ((wins + losses) - pairs * mean * mean) / (pairs - 1);
        return Math.Sqrt(Math.Max(0, variance) / pairs);
    }

    /// <summary>Summed in log space, so tens of thousands of discordant pairs neither underflow nor lose the tail.</summary>
    public static double McNemarExactP(int wins, int losses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfNegative(losses);
        int n = wins + losses, k = Math.Min(wins, losses);
        if (n == 0) return 1;
        double logHalfPowN = -n * Math.Log(2), logChoose = 0, logTail = double.NegativeInfinity;
        for (int i = 0; i <= k; i++)
        {
            if (i > 0) logChoose += Math.Log(n - i + 1) - Math.Log(i);
            logTail = LogAdd(logTail, logChoose + logHalfPowN);
        }
        return Math.Min(1, 2 * Math.Exp(logTail));
    }

    static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        double hi = Math.Max(a, b), lo = Math.Min(a, b);
        return hi + Math.Log(1 + Math.Exp(lo - hi));
    }
}
