using Rethinker.Models.Policy;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Metrics;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;
using Rethinker.Training.Tests.Fakes;

namespace Rethinker.Training.Tests.Grpo;

public class GrpoTrainerTests
{
    const int V = 6;                // EOS + 'A'..'E'
    const int X = 3;                // the rewarded token 'C'

    static string TempDir() => Path.Combine(Path.GetTempPath(), $"rt-grpo-{Guid.NewGuid():N}");

    static IPromptDataset Prompts(int n) => new ListPromptDataset(Enumerable.Range(0, n)
        .Select(i => new TrainingPrompt { Id = $"q{i}", PromptTokenIds = [1 + i % 2], Answer = "C" }).ToArray());

    // "Answer with token X": correct iff the final letter of the response is the gold one.
    static readonly IRewardFunction EndsWithGold = new DelegateReward((p, text, finish) =>
    {
        bool ok = text.Length > 0 && text[^1] == p.Answer[0];
        return new RewardOutcome(ok ? 1f : 0f, ok, new Dictionary<string, float> { ["accuracy"] = ok ? 1f : 0f, ["length"] = text.Length });
    });

    static GrpoConfig Config(string dir, int steps, ReplayMode mode = ReplayMode.Ssr, bool rethink = false) => new()
    {
        Run = new RunOptions { OutputDir = dir, Seed = 11, TotalSteps = steps, Progress = false },
        Grpo = new GrpoOptions { RolloutBatchSize = 4, GroupSize = 8, MaxNewTokens = 1, MiniBatchSize = 16, UpdatesPerBatch = 2 },
        Replay = new ReplayOptions { Mode = mode, TrainBatchSize = 16, Capacity = 64 },
        Rethinking = new RethinkingOptions { Enabled = rethink },
        Optim = new OptimizerOptions { LearningRate = 0.1f },
        Checkpoint = new CheckpointOptions { EverySteps = 0, ExportModel = false },
    };

    [Theory]
    [InlineData(ReplayMode.Ssr)]
    [InlineData(ReplayMode.Filter)]
    [InlineData(ReplayMode.Grpo)]
    public void PolicyGradient_DrivesProbabilityOfRewardedTokenUp(ReplayMode mode)
    {
        var policy = new ToyBigramPolicy(V);
        double before = policy.Prob(1, X);
        using var trainer = new GrpoTrainer(Config(TempDir(), 25, mode), policy, Prompts(8), EndsWithGold, new SamplingOptions { StopTokenIds = [0] });
        trainer.Train();
        Assert.Equal(1.0 / V, before, 6);
        Assert.True(policy.Prob(1, X) > 0.9, $"P(X | prompt 1) = {policy.Prob(1, X):F3} after 25 steps ({mode})");
        Assert.True(policy.Prob(2, X) > 0.9, $"P(X | prompt 2) = {policy.Prob(2, X):F3} after 25 steps ({mode})");
    }

    [Fact]
    public void Metrics_AreWrittenPerStepWithSlashKeys()
    {
        string dir = TempDir();
        using (var trainer = new GrpoTrainer(Config(dir, 3), new ToyBigramPolicy(V), Prompts(8), EndsWithGold, new SamplingOptions { StopTokenIds = [0] }))
            trainer.Train();
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(MetricsWriter.Parse).ToArray();
        Assert.Equal([1.0, 2.0, 3.0], lines.Select(l => l["step"]));
        foreach (var key in new[] { "reward/mean", "reward/accuracy/mean", "reward/length/mean", "accuracy/mean", "groups/all_correct_ratio", "groups/all_wrong_ratio",
                     "groups/mixed_ratio", "replay/effective_ratio", "replay/buffer_size", "rethink/kept_ratio", "rethink/native_ratio", "loss/policy",
                     "clip_ratio/region_mean", "kl", "entropy", "grad_norm", "learning_rate", "tokens_per_second/rollout", "time/update", "completions/mean_length" })
            Assert.True(lines[0].ContainsKey(key), $"missing metric {key}");
        Assert.Equal(1.0, lines[0]["groups/all_correct_ratio"] + lines[0]["groups/all_wrong_ratio"] + lines[0]["groups/mixed_ratio"], 9);
        Assert.Equal(0.1, lines[0]["learning_rate"], 6);
        Assert.True(File.Exists(Path.Combine(dir, "samples", "step-00000001.jsonl")));
    }

    [Fact]
    public void NoEffectiveSample_StepSkipsUpdateAndSaysSo()
    {
        // Every response is wrong (gold 'Z' is never produced): all groups all-wrong, nothing to learn.
        var prompts = new ListPromptDataset([new TrainingPrompt { Id = "z", PromptTokenIds = [1], Answer = "Z" }]);
        var policy = new ToyBigramPolicy(V);
        using var trainer = new GrpoTrainer(Config(TempDir(), 2), policy, prompts, EndsWithGold, new SamplingOptions { StopTokenIds = [0] });
        var m = trainer.RunStep();
        Assert.Equal(1.0, m["groups/all_wrong_ratio"]);
        Assert.Equal(1.0, m["replay/no_effective_sample"]);
        Assert.Equal(0.0, m["replay/train_size"]);
        Assert.Equal(0.0, m["updates"]);
        Assert.All(policy.W.ToArray(), w => Assert.Equal(0f, w));
    }

    [Fact]
    public void KlOff_NeverLoadsTheReference_KlOn_LoadsItOnce()
    {
        int loads = 0;
        Func<ITrainablePolicy> factory = () => { loads++; return new ToyBigramPolicy(V); };
        using (var t = new GrpoTrainer(Config(TempDir(), 1), new ToyBigramPolicy(V), Prompts(4), EndsWithGold, null, factory)) t.RunStep();
        Assert.Equal(0, loads);
        var cfg = Config(TempDir(), 1) with { Grpo = Config("", 1).Grpo with { KlBeta = 0.05f } };
        using (var t = new GrpoTrainer(cfg, new ToyBigramPolicy(V), Prompts(4), EndsWithGold, new SamplingOptions { StopTokenIds = [0] }, factory))
        {
            var m = t.RunStep();
            Assert.True(m["kl"] >= 0);
        }
        Assert.Equal(1, loads);
        Assert.Throws<ConfigException>(() => new GrpoTrainer(cfg, new ToyBigramPolicy(V), Prompts(4), EndsWithGold));
    }
}
