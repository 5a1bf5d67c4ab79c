// The machine's measured limits (Vector512 FMA peak as in shared/bench/pytorch/fmapeak.c, STREAM-style triad as in
// stream.c) and the timing loops every suite shares: a calibrated median, and samples that alternate two calls, each
// sample beside its own FMA-peak probe, so fractions of the peak and ratios hold on a machine whose share of the CPU drifts.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Bench.Suites;

/// <summary>Measured machine limits and the timing loop shared by the gemm and kernels suites.</summary>
public static class MachineLimits
{
    public const int TriadMiB = 128;

    public static string LoadAverage()
    {
        try { return "loadavg " + File.ReadAllText("/proc/loadavg").Trim() + $", {Environment.ProcessorCount} cpus"; }
        catch (IOException) { return "loadavg unavailable"; }
    }

    /// <summary>Median seconds per call: calibrate calls per sample to ~targetSeconds, then time `reps` samples.</summary>
    public static double MedianSeconds(Action call, double targetSeconds, int reps)
    {
        long iters = Calibrate(call, targetSeconds);
        var samples = new double[reps];
        for (int r = 0; r < reps; r++) samples[r] = Time(call, iters);
        Array.Sort(samples);
        return samples[reps / 2];
    }

    /// <summary>Per-sample timings of `a` (and `b`), each sample right after its own short FMA-peak probe.</summary>
    public sealed record SamplesBesidePeak(double[] Seconds, double[] PeakGflops, double[]? OtherSeconds, double[]? OtherPeakGflops);

    /// <summary>
    /// On a shared VM the CPU time a thread gets drifts within seconds (this machine's two-thread FMA peak read
    /// 139–216 GFLOP/s in one afternoon), so a fraction of a peak measured once, minutes earlier, says more about the
    /// neighbours than about the kernel. Here every sample (calls per sample calibrated to ~targetSeconds) follows a
    /// ~20 ms FMA probe on the same thread count, so each sample's fraction of the peak compares like with like.
    /// `a` and `b` alternate sample by sample, so a load burst hits both alike; `settleSeconds` of sleep precede each
    /// sample of `a`, so threads `b` left spinning are asleep first (OpenBLAS's idle workers spin ~100–120 ms after a
    /// call here: measured as process CPU time while the caller sleeps).
    /// </summary>
    public static SamplesBesidePeak SampleBesidePeak(Action a, Action? b, int threads, double targetSeconds, int reps, double settleSeconds)
    {
        long ia = Calibrate(a, targetSeconds), ib = b is null ? 0 : Calibrate(b, targetSeconds);
        var sa = new double[reps]; var pa = new double[reps];
        double[]? sb = b is null ? null : new double[reps], pb = b is null ? null : new double[reps];
        for (int r = 0; r < reps; r++)
        {
            if (settleSeconds > 0) Thread.Sleep(TimeSpan.FromSeconds(settleSeconds));
            pa[r] = FmaPeakGflops(threads, 1, ProbeIterations);
            sa[r] = Time(a, ia);
            if (b is null) continue;
            pb![r] = FmaPeakGflops(threads, 1, ProbeIterations);
            sb![r] = Time(b, ib);
        }
        return new(sa, pa, sb, pb);
    }

    const long ProbeIterations = 4_000_000;   // 64 M zmm FMAs per thread: ~20 ms on Zen 4

    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    static long Calibrate(Action call, double targetSeconds)
    {
        call();
        long iters = 1; double dt;
        while (true)
        {
            dt = Time(call, iters) * iters;
            if (dt > targetSeconds / 4 || iters > 1 << 24) break;
            iters *= 2;
        }
        return Math.Max(1, (long)(iters * targetSeconds / dt));
    }

    static double Time(Action call, long iters)
    {
        double t0 = Now();
        for (long i = 0; i < iters; i++) call();
        return (Now() - t0) / iters;
    }

    /// <summary>
    /// With `--cpu-time`: time the process's CPU seconds divided by CpuClockThreads instead of wall seconds. On a machine
    /// shared with other jobs this removes the time threads sat descheduled, so a kernel's work efficiency can still be
    /// measured; what it cannot see is a thread idling for its partner (imbalance, wake latency) or spinning (counted as
    /// work). Linux only. 0 = wall clock.
    /// </summary>
    public static int CpuClockThreads { get; set; }

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Sec, Nsec; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec ts);

    static double Now()
    {
        if (CpuClockThreads == 0) return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
        const int ClockProcessCpuTime = 2;
        if (ClockGetTime(ClockProcessCpuTime, out var ts) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        return (ts.Sec + ts.Nsec * 1e-9) / CpuClockThreads;
    }

    /// <summary>fp32 FMA throughput: 16 independent zmm accumulator chains per thread (fmapeak.c), median of reps.</summary>
    public static double FmaPeakGflops(int threads, int reps, long iters = 20_000_000)
    {
        var g = new double[reps];
        double flopPerThread = 32.0 * 16 * iters;
        for (int r = 0; r < reps; r++)
        {
            if (CpuClockThreads != 0)
            {
                int saved = CpuClockThreads;
                CpuClockThreads = threads;
                double t0 = Now();
                RunOnThreads(threads, _ => FmaLoop(iters));
                double dt = Now() - t0;
                CpuClockThreads = saved;
                g[r] = flopPerThread * threads / dt / 1e9;
                continue;
            }
            // Wall clock: the threads meet at a spinning start line and each times its own loop. Timing the whole
            // fork-join counted how long an idle vCPU of this VM takes to start a new thread (up to milliseconds),
            // which made a short probe read anywhere from one core's peak to two.
            var seconds = new double[threads];
            var start = new StartLine(threads);
            RunOnThreads(threads, t => seconds[t] = TimedFmaLoop(start, iters));
            g[r] = seconds.Sum(dt => flopPerThread / dt) / 1e9;
        }
        Array.Sort(g);
        return g[reps / 2];
    }

    static float sink;

    sealed class StartLine(int threads)
    {
        int arrived;
        public void Wait()
        {
            Interlocked.Increment(ref arrived);
            while (Volatile.Read(ref arrived) < threads) Thread.SpinWait(1);
        }
    }

    /// <summary>Seconds of one FmaLoop on this thread, started once every probe thread is running.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double TimedFmaLoop(StartLine start, long iters)
    {
        start.Wait();
        long t0 = Stopwatch.GetTimestamp();
        FmaLoop(iters);
        return (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
    }

    // Fully optimised from the first call and never inlined: run a handful of times on fresh threads, the loop could
    // otherwise run from tier-0 or OSR code, and inlined into its caller its 16 accumulators went to the stack; either
    // way one thread of a pair measured 19–20 GFLOP/s beside the other's 105–115
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    static void FmaLoop(long iters)
    {
        if (!Vector512.IsHardwareAccelerated) throw new PlatformNotSupportedException("FMA peak probe needs AVX-512");
        var a = Vector512.Create(1.0000001f); var b = Vector512.Create(0.9999999f);
        Vector512<float> c0 = Vector512.Create(0f), c1 = Vector512.Create(1f), c2 = Vector512.Create(2f), c3 = Vector512.Create(3f),
            c4 = Vector512.Create(4f), c5 = Vector512.Create(5f), c6 = Vector512.Create(6f), c7 = Vector512.Create(7f),
            c8 = Vector512.Create(8f), c9 = Vector512.Create(9f), c10 = Vector512.Create(10f), c11 = Vector512.Create(11f),
            c12 = Vector512.Create(12f), c13 = Vector512.Create(13f), c14 = Vector512.Create(14f), c15 = Vector512.Create(15f);
        for (long i = 0; i < iters; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            c12 = Vector512.FusedMultiplyAdd(c12, a, b); c13 = Vector512.FusedMultiplyAdd(c13, a, b);
            c14 = Vector512.FusedMultiplyAdd(c14, a, b); c15 = Vector512.FusedMultiplyAdd(c15, a, b);
        }
        var s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
        sink += Vector512.Sum(s);
    }

    static float[]? ta, tb, tc;

    /// <summary>STREAM triad a = b + s·c over arrays far larger than L3, bytes counted STREAM-style (12 B/element).</summary>
    public static double TriadGBps(int threads, int reps)
    {
        int n = TriadMiB * 1024 * 1024 / 4;
        ta ??= new float[n]; tb ??= Enumerable.Repeat(1f, n).ToArray(); tc ??= Enumerable.Repeat(2f, n).ToArray();
        var g = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            RunOnThreads(threads, t =>
            {
                int lo = (int)((long)n * t / threads), hi = (int)((long)n * (t + 1) / threads);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(tc.AsSpan(lo, hi - lo), 3f, tb.AsSpan(lo, hi - lo), ta.AsSpan(lo, hi - lo));
            });
            g[r] = 12.0 * n / sw.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(g);
        return g[reps / 2];
    }

    /// <summary>Runs body(t) on `threads` fresh threads at once (independent of the kernel pool) and joins them.</summary>
    public static void RunOnThreads(int threads, Action<int> body)
    {
        var ts = Enumerable.Range(0, threads).Select(t => new Thread(() => body(t))).ToArray();
        foreach (var t in ts) t.Start();
        foreach (var t in ts) t.Join();
    }
}
