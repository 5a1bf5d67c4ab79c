using Rethinker.Training.Checkpoints;

namespace Rethinker.Training.Tests.Checkpoints;

public class CheckpointStoreTests
{
    static string TempDir() => Path.Combine(Path.GetTempPath(), $"rt-ckpt-{Guid.NewGuid():N}");

    [Fact]
    public void Save_PublishesOnlyCompleteCheckpointsAndPrunesOldOnes()
    {
        var store = new CheckpointStore(TempDir(), keepLast: 2);
        Assert.Null(store.Latest());
        for (int s = 1; s <= 3; s++) store.Save(s, d => File.WriteAllText(Path.Combine(d, "x"), $"{s}"));
        Assert.EndsWith("step-00000003", store.Latest());
        Assert.Equal(["step-00000002", "step-00000003"], Directory.GetDirectories(store.Root, "step-*").Select(Path.GetFileName).Order());
        Assert.Equal(3, CheckpointStore.StepOf(store.Latest()!));
    }

    [Fact]
    public void FaultDuringWrite_KeepsPreviousAndLeavesNoHalfCheckpoint()
    {
        var store = new CheckpointStore(TempDir());
        store.Save(1, d => File.WriteAllText(Path.Combine(d, "x"), "one"));
        Assert.Throws<InvalidOperationException>(() => store.Save(2, d =>
        {
            File.WriteAllText(Path.Combine(d, "x"), "half");
            throw new InvalidOperationException("disk full");
        }));
        Assert.EndsWith("step-00000001", store.Latest());
        Assert.Equal("one", File.ReadAllText(Path.Combine(store.Latest()!, "x")));
        Assert.False(Directory.Exists(Path.Combine(store.Root, "step-00000002")));
    }

    [Fact]
    public void LatestPointerToIncompleteDirectory_FallsBackToNewestComplete()
    {
        var store = new CheckpointStore(TempDir(), keepLast: 5);
        store.Save(1, _ => { });
        store.Save(2, _ => { });
        File.Delete(Path.Combine(store.Root, "step-00000002", CheckpointStore.CompleteMarker)); // as if the marker never landed
        Assert.EndsWith("step-00000001", store.Latest());
    }

    [Fact]
    public void ResavingTheSameStep_ReplacesItAtomically()
    {
        var store = new CheckpointStore(TempDir());
        store.Save(4, d => File.WriteAllText(Path.Combine(d, "x"), "a"));
        store.Save(4, d => File.WriteAllText(Path.Combine(d, "x"), "b"));
        Assert.Equal("b", File.ReadAllText(Path.Combine(store.Latest()!, "x")));
    }
}
