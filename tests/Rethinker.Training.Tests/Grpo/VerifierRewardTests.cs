using Rethinker.Models.Policy;
using Rethinker.Rewards.Functions;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;

namespace Rethinker.Training.Tests.Grpo;

public class VerifierRewardTests
{
    static readonly TrainingPrompt Q = new() { Id = "q", PromptTokenIds = [1], Answer = "12" };

    [Fact]
    public void Accuracy_CorrectWrongAndInvalid()
    {
        var r = VerifierReward.Accuracy();
        var ok = r.Score(Q, "so the total is \\boxed{12}", FinishReason.StopToken);
        Assert.Equal((1f, true), (ok.Total, ok.Correct));
        Assert.Equal(1f, ok.Components["accuracy"]);
        var wrong = r.Score(Q, "\\boxed{13}", FinishReason.StopToken);
        Assert.Equal((0f, false), (wrong.Total, wrong.Correct));
        var cut = r.Score(Q, "\\boxed{12}", FinishReason.Length);   // truncated: invalid even if it looks right
        Assert.Equal((-0.1f, false), (cut.Total, cut.Correct));
    }

    [Fact]
    public void Composite_LogsEachComponentAndSumsWeights()
    {
        var r = new VerifierReward(RewardConfig.Parse("components:\n  - { type: accuracy, weight: 1.0 }\n  - { type: rethinking, weight: 0.5 }\n"));
        var s = r.Score(Q, "First 11. Wait, recount: \\boxed{12}", FinishReason.StopToken);
        Assert.True(s.Correct);
        Assert.Equal(1f, s.Components["accuracy"]);
        Assert.Equal(1.1f, s.Components["rethinking"], 5);
        Assert.Equal(1f + 0.5f * 1.1f, s.Total, 5);
    }
}
