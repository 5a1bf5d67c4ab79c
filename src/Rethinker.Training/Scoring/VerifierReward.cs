// Adapts Rethinker.Rewards (DESIGN.md §4) to the trainer's reward seam: a composite of weighted reward
// components gives the total and the per-component values (logged as reward/<name>/mean); the answer
// verifier gives the correctness that forced rethinking's keep rule and the group metrics use. A response
// cut by the token budget is passed as truncated (the verifier treats it as invalid).
using Rethinker.Models.Policy;
using Rethinker.Rewards.Functions;
using Rethinker.Rewards.Verification;
using Rethinker.Training.Prompts;

namespace Rethinker.Training.Scoring;

public sealed class VerifierReward(IReward reward, AnswerVerifier? verifier = null) : IRewardFunction
{
    readonly AnswerVerifier verifier = verifier ?? AnswerVerifier.Default;

    /// <summary>VL-Rethinker's reward: accuracy 1/0, invalid (truncated or no answer) = <paramref name="invalidReward"/>.</summary>
    public static VerifierReward Accuracy(double invalidReward = -0.1) => new(new CompositeReward([new WeightedReward(new AccuracyReward(null, invalidReward), 1.0)]));

    /// <summary>A composite from a rewards YAML file (see Rethinker.Rewards.Functions.RewardConfig).</summary>
    public static VerifierReward FromFile(string path) => new(RewardConfig.LoadFile(path));

    public RewardOutcome Score(TrainingPrompt prompt, string responseText, FinishReason finish)
    {
        var input = new RewardInput(responseText, prompt.Answer, prompt.Choices.Count > 0 ? prompt.Choices : null, prompt.AnswerType,
            truncated: finish == FinishReason.Length);
        var components = new Dictionary<string, float>();
        double total;
        if (reward is CompositeReward composite)
        {
            var s = composite.ScoreAll(input);
            total = s.Total;
            foreach (var c in s.Components) components[c.Name] = (float)c.Value;
        }
        else
        {
            var s = reward.Score(input);
            total = s.Value;
            components[s.Name] = (float)s.Value;
        }
        return new RewardOutcome((float)total, input.Verdict(verifier).Correct, components);
    }
}
