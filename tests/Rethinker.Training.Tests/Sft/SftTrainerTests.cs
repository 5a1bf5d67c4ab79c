using Rethinker.Training.Config;
using Rethinker.Training.Metrics;
using Rethinker.Training.Sft;
using Rethinker.Training.Tests.Fakes;

namespace Rethinker.Training.Tests.Sft;

public class SftTrainerTests
{
    const int V = 6;
    static string TempDir() => Path.Combine(Path.GetTempPath(), $"rt-sft-{Guid.NewGuid():N}");

    // prompt "A", assistant "CD", a user turn "E" (masked), assistant "C" again, then EOS.
    static SftExample Example(string id) => new()
    {
        Id = id, TokenIds = [1, 3, 4, 5, 3, 0], AssistantMask = [false, true, true, false, true, true],
    };

    static SftConfig Config(string dir, int steps, int budget = 64, int accumulation = 1) => new()
    {
        Run = new RunOptions { OutputDir = dir, Seed = 3, TotalSteps = steps, Progress = false },
        Sft = new SftOptions { MaxTokensPerBatch = budget, GradientAccumulation = accumulation, EvalEvery = 5 },
        Optim = new OptimizerOptions { LearningRate = 0.2f, Schedule = Rethinker.Training.Config.LrScheduleKind.Constant },
        Checkpoint = new CheckpointOptions { EverySteps = 5, ExportModel = false },
    };

    static ListSftDataset Data(int n) => new(Enumerable.Range(0, n).Select(i => Example($"e{i}")).ToArray());

    [Fact]
    public void LossOnAssistantTokensOnly_LearnsThemAndLeavesMaskedTransitionsAlone()
    {
        var policy = new ToyBigramPolicy(V);
        using var t = new SftTrainer(Config(TempDir(), 20), policy, Data(8), Data(2));
        var first = t.RunStep();
        for (int i = 1; i < 20; i++) t.RunStep();
        Assert.True(policy.Prob(1, 3) > 0.9, $"P(C|A) = {policy.Prob(1, 3):F3}");   // assistant: A→C
        Assert.True(policy.Prob(4, 5) < 0.2, $"P(E|D) = {policy.Prob(4, 5):F3}");   // D→E is a user token: never a target
        Assert.Equal(1.0 / V, policy.Prob(4, 5), 6);                                 // its row D gets no gradient at all
        Assert.True(t.EvalLoss() < first["loss"] / 3);
    }

    [Fact]
    public void GradientAccumulation_EqualsOneBigBatch()
    {
        // 4 examples of 6 tokens: one 24-token batch vs two 12-token micro-batches accumulated.
        var big = new ToyBigramPolicy(V);
        var acc = new ToyBigramPolicy(V);
        using (var t = new SftTrainer(Config(TempDir(), 1, budget: 24), big, Data(4))) Assert.Equal(4, t.RunStep()["examples"]);
        using (var t = new SftTrainer(Config(TempDir(), 1, budget: 12, accumulation: 2), acc, Data(4))) Assert.Equal(4, t.RunStep()["examples"]);
        Assert.Equal(big.W.ToArray(), acc.W.ToArray(), new Grpo.FloatTol(1e-6f));
    }

    [Fact]
    public void Resume_ContinuesExactly()
    {
        string a = TempDir(), b = TempDir();
        var pa = new ToyBigramPolicy(V);
        using (var t = new SftTrainer(Config(a, 10, budget: 12), pa, Data(5), Data(2))) t.Train();
        using (var t = new SftTrainer(Config(b, 10, budget: 12), new ToyBigramPolicy(V), Data(5), Data(2))) for (int i = 0; i < 7; i++) t.RunStep();
        var pb = new ToyBigramPolicy(V);
        using (var t = new SftTrainer(Config(b, 10, budget: 12), pb, Data(5), Data(2)))
        {
            Assert.True(t.ResumeFromLatest());
            Assert.Equal(5, t.Step);
            t.Train();
        }
        Assert.Equal(pa.W.ToArray(), pb.W.ToArray());
        var la = File.ReadAllLines(Path.Combine(a, "metrics.jsonl")).Select(MetricsWriter.Parse).ToArray();
        var lb = File.ReadAllLines(Path.Combine(b, "metrics.jsonl")).Select(MetricsWriter.Parse).ToArray();
        Assert.Equal(la.Select(m => m["loss"]), lb.Select(m => m["loss"]));
    }

    [Fact]
    public void Packer_PutsEveryExampleOnceUnderBudgetAndSkipsOversized()
    {
        var rng = new Rethinker.Tensors.Rng(1);
        var lengths = Enumerable.Range(0, 200).Select(_ => 1 + rng.NextInt(40)).ToArray();
        lengths[17] = 99;
        var batches = Packer.Pack(Enumerable.Range(0, 200).ToArray(), i => lengths[i], 64, 32, out var skipped);
        Assert.Equal([17], skipped);
        Assert.Equal(Enumerable.Range(0, 200).Where(i => i != 17), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.True(b.Sum(i => lengths[i]) <= 64));
        double fill = lengths.Where((_, i) => i != 17).Sum() / (64.0 * batches.Count);
        Assert.True(fill > 0.85, $"packing fill {fill:P0}");
    }

    [Fact]
    public void Example_SplitsAtFirstAssistantTokenAndRejectsBadMasks()
    {
        var (seq, mask) = Example("x").ToPolicySequence()!.Value;
        Assert.Equal([1], seq.PromptTokenIds);
        Assert.Equal([3, 4, 5, 3, 0], seq.ResponseTokenIds);
        Assert.Equal([1f, 1f, 0f, 1f, 1f], mask);
        Assert.Null(new SftExample { Id = "n", TokenIds = [1, 2], AssistantMask = [false, false] }.ToPolicySequence());
        Assert.Throws<InvalidDataException>(() => new SftExample { Id = "b", TokenIds = [1, 2], AssistantMask = [true] }.ToPolicySequence());
    }
}
