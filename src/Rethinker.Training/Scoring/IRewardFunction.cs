// The reward seam of the GRPO trainer: a response's text (and how it ended) against its prompt's gold answer
// gives a total reward, per-component values (logged on their own) and the verifier's correctness, which
// forced rethinking's keep rule and the group metrics need. Adapters wrap Rethinker.Rewards.
using Rethinker.Models.Policy;
using Rethinker.Training.Prompts;

namespace Rethinker.Training.Scoring;

/// <param name="Total">The scalar reward r_i used for advantages.</param>
/// <param name="Correct">The verifier's verdict on the final answer (false when there is none).</param>
/// <param name="Components">Named parts of the reward (e.g. accuracy, format), logged as reward/&lt;name&gt;/mean.</param>
public sealed record RewardOutcome(float Total, bool Correct, IReadOnlyDictionary<string, float> Components)
{
    public static RewardOutcome Of(float total, bool correct) => new(total, correct, new Dictionary<string, float> { ["accuracy"] = total });
}

public interface IRewardFunction
{
    RewardOutcome Score(TrainingPrompt prompt, string responseText, FinishReason finish);
}

/// <summary>A reward function from a delegate (tests, quick experiments).</summary>
public sealed class DelegateReward(Func<TrainingPrompt, string, FinishReason, RewardOutcome> score) : IRewardFunction
{
    public RewardOutcome Score(TrainingPrompt prompt, string responseText, FinishReason finish) => score(prompt, responseText, finish);
}
