// VL-Rethinker's optional rethinking shaping (DESIGN.md §4): a correct answer with 1–2 native rethinking markers → 1.1;
// with k ≥ 3 markers → max(1 − 0.2k, −0.1); more than 5 markers → the invalid reward; otherwise accuracy (1 / 0 / invalid).
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Functions;

public sealed class RethinkingShapingReward(AnswerVerifier? verifier = null, double invalidReward = -0.1) : IReward
{
    readonly AnswerVerifier verifier = verifier ?? AnswerVerifier.Default;

    public string Name { get; init; } = "rethinking";

    public RewardScore Score(RewardInput input)
    {
        var v = input.Verdict(verifier);
        var report = RethinkingDetector.Detect(input.Response, maxMarkers: 6);
        double value = Value(v.Correct, v.Valid, report.Count, invalidReward);
        return RewardScore.Of(Name, value, ("markers", report.Count), ("correct", v.Correct), ("segment_start", report.SegmentStart));
    }

    public static double Value(bool correct, bool valid, int markers, double invalidReward = -0.1)
    {
        if (markers > 5 || !valid) return invalidReward;
        if (!correct) return 0;
        return markers switch { 0 => 1.0, 1 or 2 => 1.1, _ => Math.Max(1 - 0.2 * markers, -0.1) };
    }
}
