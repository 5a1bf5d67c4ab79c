// A checkpoint writer killed with SIGKILL: a child process (this test assembly run again through `dotnet test`,
// with RT_KILL_TARGET_DIR set) writes ~16 MB checkpoints in a loop; the parent kills its process tree at an
// arbitrary moment and checks that the newest complete checkpoint still loads and is internally consistent.
using System.Diagnostics;
using Rethinker.Tensors;
using Rethinker.Training.Checkpoints;

namespace Rethinker.Training.Tests.Checkpoints;

public class CheckpointKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    const string EnvDir = "RT_KILL_TARGET_DIR";
    const int Values = 4_000_000;

    static (string, Tensor)[] Params(float fill)
    {
        var data = new float[Values];
        Array.Fill(data, fill);
        return [("w", Tensor.FromArray(data, Values))];
    }

    /// <summary>The child side: only active inside the child process (RT_KILL_TARGET_DIR set); checkpoint s holds parameters all equal to s.</summary>
    [Fact]
    public void KillTarget_WritesCheckpointsUntilKilled()
    {
        string? dir = Environment.GetEnvironmentVariable(EnvDir);
        if (dir is null) return;
        var store = new CheckpointStore(dir, keepLast: 2);
        for (int step = 1; step < 100_000; step++)
            store.Save(step, d =>
            {
                ParameterFile.Write(Path.Combine(d, "parameters.bin"), Params(step));
                new TrainerState { Kind = "kill-test", Step = step }.Write(d);
            });
        Assert.Fail("the parent should have killed this process");
    }

    [Fact]
    public void SigkillWhileWriting_LeavesPreviousCheckpointLoadable()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"rt-kill-{Guid.NewGuid():N}");
        string assembly = typeof(CheckpointKillTests).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", ["test", assembly, "--filter", "FullyQualifiedName~KillTarget_WritesCheckpointsUntilKilled"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment[EnvDir] = dir;
        using var child = Process.Start(psi)!;
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine(); child.BeginErrorReadLine();
        try
        {
            var store = new CheckpointStore(dir);
            var deadline = Stopwatch.StartNew();
            // Wait for a few complete checkpoints, then kill at a moment that is not aligned with any write.
            while ((store.Latest() is not { } d || CheckpointStore.StepOf(d) < 3) && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                Assert.False(child.HasExited, "the child exited before writing 3 checkpoints");
                Thread.Sleep(20);
            }
            Thread.Sleep(37);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true); // SIGKILL on Unix
            child.WaitForExit();
        }

        // Debris of the interrupted write (a .tmp-* directory) shows the kill landed mid-write; a kill between writes is fine too.
        output.WriteLine($"half-written directories left by the kill: {Directory.GetDirectories(dir, ".tmp-*").Length}");
        var latest = new CheckpointStore(dir).Latest();
        Assert.NotNull(latest);
        int step = CheckpointStore.StepOf(latest!);
        Assert.True(step >= 3, $"latest complete checkpoint is step {step}");
        Assert.Equal(step, TrainerState.Read(latest!).Step);
        var restored = Params(0f);
        ParameterFile.Read(Path.Combine(latest!, "parameters.bin"), restored);
        Assert.All(restored[0].Item2.ToArray(), v => Assert.Equal(step, v));
        Directory.Delete(dir, recursive: true);
    }
}
