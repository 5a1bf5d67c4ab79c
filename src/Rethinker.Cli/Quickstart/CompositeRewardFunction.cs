// Adapts Rethinker.Rewards' weighted composite to the GRPO trainer's reward seam: the total drives advantages, each
// component is logged on its own, and correctness comes from the verifier (for forced rethinking's keep rule).
using Rethinker.Models.Policy;
using Rethinker.Rewards.Functions;
using Rethinker.Rewards.Verification;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;

namespace Rethinker.Cli.Quickstart;

public sealed class CompositeRewardFunction(CompositeReward reward, AnswerVerifier verifier) : IRewardFunction
{
    /// <summary>VL-Rethinker's reward: accuracy 1/0 with −0.1 for truncated or answerless responses.</summary>
    public static CompositeRewardFunction VlRethinker()
    {
        var verifier = AnswerVerifier.Default;
        return new(new CompositeReward([new WeightedReward(new AccuracyReward(verifier, invalidReward: -0.1), 1.0)]), verifier);
    }

    public RewardOutcome Score(TrainingPrompt prompt, string responseText, FinishReason finish)
    {
        var input = new RewardInput(responseText, prompt.Answer, prompt.Choices.Count > 0 ? prompt.Choices : null, truncated: finish == FinishReason.Length);
        var all = reward.ScoreAll(input);
        var parts = all.Components.ToDictionary(c => c.Name, c => (float)c.Value);
        return new RewardOutcome((float)all.Total, input.Verdict(verifier).Correct, parts);
    }
}
