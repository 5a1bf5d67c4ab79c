// Accuracy reward (DESIGN.md §4): 1 when the verifier accepts the final answer, 0 when it is wrong (including hedges),
// and a configurable invalid reward when the response was truncated or gave no answer (VL-Rethinker uses −0.1).
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Functions;

public sealed class AccuracyReward(AnswerVerifier? verifier = null, double invalidReward = -0.1) : IReward
{
    readonly AnswerVerifier verifier = verifier ?? AnswerVerifier.Default;

    public string Name { get; init; } = "accuracy";
    public double InvalidReward => invalidReward;

    public RewardScore Score(RewardInput input)
    {
        var v = input.Verdict(verifier);
        double value = v.Correct ? 1.0 : v.Valid ? 0.0 : invalidReward;
        return RewardScore.Of(Name, value, ("extracted", v.Extracted), ("status", v.Status.ToString()));
    }
}
