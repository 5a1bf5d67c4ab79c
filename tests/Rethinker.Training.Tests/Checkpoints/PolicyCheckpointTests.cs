// The checkpoint part every trainer shares: parameters and AdamW moments round-trip exactly, and a directory written
// by another kind of trainer is refused with a message naming both kinds.
using Rethinker.Tensors;
using Rethinker.Tensors.Optim;
using Rethinker.Training.Checkpoints;
using Rethinker.Training.Tests.Fakes;

namespace Rethinker.Training.Tests.Checkpoints;

public sealed class PolicyCheckpointTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "rethinker-policy-ckpt-" + Guid.NewGuid().ToString("N"));

    public PolicyCheckpointTests() => Directory.CreateDirectory(dir);
    public void Dispose() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    static (ToyBigramPolicy Policy, AdamW Optimizer) Make(float value)
    {
        var policy = new ToyBigramPolicy(4, Enumerable.Repeat(value, 16).ToArray());
        return (policy, new AdamW(policy.NamedParameters()));
    }

    [Fact]
    public void WriteThenRead_RestoresParametersAndOptimizerState()
    {
        var (saved, savedOpt) = Make(0.5f);
        foreach (var (_, p) in saved.NamedParameters()) Ops.SumAll(Ops.Mul(p, p)).Backward();   // gradient 2p: nonzero moments
        savedOpt.Step(0.1f);
        PolicyCheckpoint.Write(dir, saved, savedOpt);
        new TrainerState { Kind = "sft", Step = 3 }.Write(dir);

        var (loaded, loadedOpt) = Make(0f);
        var state = PolicyCheckpoint.Read(dir, "sft", "an SFT", loaded, loadedOpt);
        Assert.Equal(3, state.Step);
        var expected = saved.NamedParameters().Select(p => p.Parameter.Span.ToArray()).ToList();
        var actual = loaded.NamedParameters().Select(p => p.Parameter.Span.ToArray()).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(savedOpt.StepCount, loadedOpt.StepCount);
        Assert.Equal(savedOpt.ExportState().M.Values.SelectMany(v => v), loadedOpt.ExportState().M.Values.SelectMany(v => v));
    }

    [Fact]
    public void Read_RefusesACheckpointOfAnotherTrainer_NamingBoth()
    {
        var (policy, opt) = Make(0.5f);
        PolicyCheckpoint.Write(dir, policy, opt);
        new TrainerState { Kind = "sft" }.Write(dir);
        var e = Assert.Throws<InvalidDataException>(() => PolicyCheckpoint.Read(dir, "grpo", "a GRPO", policy, opt));
        Assert.Contains("a 'sft' checkpoint, not a GRPO one", e.Message);
    }
}
