// Time spent computing on the calling thread (CLOCK_THREAD_CPUTIME_ID on Linux), so the 50 ms bounds measure the
// verifier's work rather than the wait for a core on a shared, overloaded machine; wall time elsewhere.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rethinker.Rewards.Tests.Verification;

public static partial class CpuTimer
{
    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Sec; public long Nsec; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, out Timespec ts);

    const int ThreadCpuClock = 3;

    static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    static bool Probe()
    {
        try { return ClockGettime(ThreadCpuClock, out _) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Milliseconds of thread CPU time taken by <paramref name="action"/> (wall time where unavailable).</summary>
    public static double Measure(Action action)
    {
        if (!Available)
        {
            var sw = Stopwatch.StartNew();
            action();
            return sw.Elapsed.TotalMilliseconds;
        }
        ClockGettime(ThreadCpuClock, out var a);
        action();
        ClockGettime(ThreadCpuClock, out var b);
        return (b.Sec - a.Sec) * 1e3 + (b.Nsec - a.Nsec) / 1e6;
    }
}
