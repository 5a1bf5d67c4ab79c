using Rethinker.Models.Policy;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;
using Rethinker.Training.Tests.Fakes;

namespace Rethinker.Training.Tests.Grpo;

public class MicroBatchesTests
{
    static RolloutSample Sample(int promptTokens, int responseTokens) => new()
    {
        GroupId = "g", PromptId = "p", SampleIndex = 0, PromptTokenIds = new int[promptTokens], ResponseTokenIds = new int[responseTokens],
        PolicyMask = new float[responseTokens], Text = "", Step = 1,
    };

    [Fact]
    public void TokenBudget_ClosesAMicroBatchBeforeItWouldPassTheBudget()
    {
        // sequence lengths 10, 10, 10, 25, 5, 5
        var s = new[] { Sample(4, 6), Sample(4, 6), Sample(4, 6), Sample(5, 20), Sample(1, 4), Sample(1, 4) };
        Assert.Equal([(0, 2), (2, 1), (3, 1), (4, 2)], MicroBatches.Split(s, 0, 20));
    }

    [Fact]
    public void SampleLongerThanBudget_GetsAMicroBatchOfItsOwn()
    {
        var s = new[] { Sample(2, 2), Sample(50, 50), Sample(2, 2) };
        Assert.Equal([(0, 1), (1, 1), (2, 1)], MicroBatches.Split(s, 0, 10));
    }

    [Fact]
    public void CountAndTokenBounds_BothApply_AndZeroMeansUnbounded()
    {
        var s = Enumerable.Range(0, 7).Select(_ => Sample(1, 1)).ToArray();
        Assert.Equal([(0, 3), (3, 3), (6, 1)], MicroBatches.Split(s, 3, 0));
        Assert.Equal([(0, 2), (2, 2), (4, 2), (6, 1)], MicroBatches.Split(s, 3, 5));
        Assert.Equal([(0, 7)], MicroBatches.Split(s, 0, 0));
        Assert.Empty(MicroBatches.Split([], 3, 5));
    }

    static GrpoConfig Config(string dir, int microTokens) => new()
    {
        Run = new RunOptions { OutputDir = dir, Seed = 3, TotalSteps = 3, Progress = false },
        Grpo = new GrpoOptions { RolloutBatchSize = 4, GroupSize = 6, MaxNewTokens = 4, MiniBatchSize = 12, MicroBatchTokens = microTokens },
        Replay = new ReplayOptions { Mode = ReplayMode.Grpo },
        Rethinking = new RethinkingOptions { Enabled = false },
        Optim = new OptimizerOptions { LearningRate = 0.05f },
        Checkpoint = new CheckpointOptions { EverySteps = 0, ExportModel = false },
    };

    [Fact]
    public void TokenBoundedMicroBatches_AccumulateToTheSameUpdateAsOneForward()
    {
        var reward = new DelegateReward((p, text, _) => { bool ok = text.Length > 0 && text[^1] == 'C'; return RewardOutcome.Of(ok ? 1f : 0f, ok); });
        var prompts = new ListPromptDataset(Enumerable.Range(0, 8).Select(i => new TrainingPrompt { Id = $"q{i}", PromptTokenIds = [1 + i % 3], Answer = "C" }).ToArray());
        var stop = new SamplingOptions { StopTokenIds = [0] };
        var whole = new ToyBigramPolicy(6);
        var split = new ToyBigramPolicy(6);
        using (var t = new GrpoTrainer(Config(Path.Combine(Path.GetTempPath(), $"rt-mb-{Guid.NewGuid():N}"), 0), whole, prompts, reward, stop)) t.Train();
        using (var t = new GrpoTrainer(Config(Path.Combine(Path.GetTempPath(), $"rt-mb-{Guid.NewGuid():N}"), 7), split, prompts, reward, stop)) t.Train();
        var a = whole.W.ToArray(); var b = split.W.ToArray();
        Assert.NotEqual(new ToyBigramPolicy(6).W.ToArray(), a); // it trained
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5f, $"weight {i}: {a[i]} vs {b[i]}");
    }
}
