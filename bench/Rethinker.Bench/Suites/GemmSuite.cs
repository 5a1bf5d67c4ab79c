// `gemm` suite: the machine's limits (Vector512 FMA peak, STREAM-style triad) and SGEMM GFLOP/s with the fraction of
// the FMA peak measured beside each sample (a ~20 ms probe just before it, on the same thread count: this VM's share of
// its cores drifts within seconds, so a peak read once at the start is no yardstick), managed kernel beside OpenBLAS
// (same run, same thread count, samples alternated, OpenBLAS's spinning workers left to sleep first) on the squares
// 256–2048 and the transformer shapes of PERFORMANCE.md in the three forms a linear layer uses (NN, NT = forward
// x·Wᵀ, TN = weight gradient dYᵀ·X), the TINY decoder's training shapes and the decode shapes.
// Extra args: --quick (fewer reps), --reps N, --cpu-time (process CPU seconds / threads: work efficiency on a busy machine),
// --managed-only (skip OpenBLAS),
// and substrings (all must match) that filter shape names.
using System.Diagnostics;
using Rethinker.Tensors.Kernels;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Bench.Suites;

public sealed class GemmSuite : IBenchSuite
{
    public string Name => "gemm";

    /// <summary>C [M, N] = op(A)·op(B) + beta·C; Op is "NN", "NT" or "TN" (A transposed, B transposed).</summary>
    sealed record Shape(string Name, int M, int N, int K, string Op, float Beta = 0f)
    {
        public bool TransA => Op[0] == 'T';
        public bool TransB => Op[1] == 'T';
    }

    static IEnumerable<Shape> Shapes()
    {
        foreach (int n in new[] { 256, 512, 1024, 2048 })
            foreach (var op in new[] { "NN", "NT", "TN" })
                yield return new($"square_{n}_{op}", n, n, n, op);
        // tokens × MLP of the SMALL decoder (PERFORMANCE.md) and a vocab-sized projection
        foreach (var (m, n, k) in new[] { (512, 1536, 512), (2048, 1376, 512), (2048, 8192, 512) })
            foreach (var op in new[] { "NN", "NT", "TN" })
                yield return new($"tok{m}_N{n}_K{k}_{op}", m, n, k, op);
        yield return new("wgrad_M1376_N512_K2048_TN", 1376, 512, 2048, "TN", 1f);   // dW = dYᵀ·X of the MLP up-proj, batch 8×256
        // TINY decoder training (batch 8 × 256 tokens, hidden 256, MLP 688): per linear W [O, I] the forward
        // Y = X·Wᵀ (NT, M = tokens), dX += dY·W (NN) and dW += dYᵀ·X (TN, K = tokens)
        foreach (var (o, i) in new[] { (256, 256), (688, 256), (256, 688) })
        {
            yield return new($"tiny_fwd_{2048}x{o}x{i}_NT", 2048, o, i, "NT");
            yield return new($"tiny_dX_{2048}x{i}x{o}_NN", 2048, i, o, "NN", 1f);
            yield return new($"tiny_dW_{o}x{i}x{2048}_TN", o, i, 2048, "TN", 1f);
        }
        yield return new("decode_M8_N1536_K512_NT", 8, 1536, 512, "NT");
        yield return new("decode_M1_N1536_K512_NT", 1, 1536, 512, "NT");
    }

    public void Run(BenchReport report)
    {
        var rest = report.Options.Rest;
        bool quick = rest.Contains("--quick");
        int reps = quick ? 3 : 5;
        int ri = rest.ToList().IndexOf("--reps");
        if (ri >= 0 && ri + 1 < rest.Count) reps = int.Parse(rest[ri + 1]);
        var filters = rest.Where((a, i) => !a.StartsWith("--") && !(i > 0 && rest[i - 1] == "--reps")).ToArray();
        int maxThreads = report.Options.Threads;
        int[] threadCounts = maxThreads > 1 ? [1, maxThreads] : [1];
        bool cpuTime = rest.Contains("--cpu-time");
        bool managedOnly = rest.Contains("--managed-only");   // then OpenBLAS is not even loaded (loading starts its threads)
        bool withBlas = !managedOnly && BlasProvider.IsAvailable;
        if (cpuTime) Console.WriteLine("# timing: process CPU seconds / threads (--cpu-time), not wall seconds; the triad stays on the wall clock");
        Console.WriteLine($"# load: {MachineLimits.LoadAverage()}; OpenBLAS: {(managedOnly ? "not loaded (--managed-only)" : withBlas ? "loaded" : BlasProvider.LoadError)}");

        // reported for reference; fractions use the probe taken beside each sample
        MachineLimits.CpuClockThreads = cpuTime ? 1 : 0;   // FmaPeakGflops rescales to its own thread count
        foreach (int t in threadCounts)
            report.Add("fma_peak_zmm_fp32", null, t, MachineLimits.FmaPeakGflops(t, reps), "GFLOP/s");
        MachineLimits.CpuClockThreads = 0;
        var triad = new Dictionary<int, double>();
        foreach (int t in threadCounts)
        {
            triad[t] = MachineLimits.TriadGBps(t, reps);
            report.Add("stream_triad", new Dictionary<string, object> { ["MiB"] = MachineLimits.TriadMiB }, t, triad[t], "GB/s");
        }

        var saved = WorkerPool.Threads;
        try
        {
            foreach (var s in Shapes().Where(s => filters.All(f => s.Name.Contains(f))))
            {
                var A = Fill(s.M * s.K, 7, 13); var B = Fill(s.K * s.N, 5, 11); var C = new float[s.M * s.N];
                foreach (int t in threadCounts)
                {
                    WorkerPool.Threads = t;
                    MachineLimits.CpuClockThreads = cpuTime ? t : 0;
                    double flop = 2.0 * s.M * s.N * s.K, target = quick ? 0.08 : 0.2;
                    Action managed = () => Call(s, A, B, C, GemmProvider.Managed);
                    // each sample is paired with an FMA probe taken just before it: GFLOP/s are medians over samples,
                    // the fraction is the median of per-sample fractions (printed as "% of" the peak that implies)
                    var run = MachineLimits.SampleBesidePeak(managed, withBlas ? () => Call(s, A, B, C, GemmProvider.OpenBlas) : null,
                        t, target, reps, settleSeconds: withBlas && t > 1 ? 0.25 : 0);
                    double gflops = MachineLimits.Median(run.Seconds.Select(x => flop / x / 1e9));
                    double fraction = MachineLimits.Median(run.Seconds.Select((x, i) => flop / x / 1e9 / run.PeakGflops[i]));
                    double? blas = null;
                    var p = new Dictionary<string, object> { ["M"] = s.M, ["N"] = s.N, ["K"] = s.K, ["op"] = s.Op };
                    if (run.OtherSeconds is { } bs)
                    {
                        blas = MachineLimits.Median(bs.Select(x => flop / x / 1e9));
                        double bf = MachineLimits.Median(bs.Select((x, i) => flop / x / 1e9 / run.OtherPeakGflops![i]));
                        report.Add("sgemm_openblas_" + s.Name, p, t, blas.Value, "GFLOP/s", blas.Value / bf);
                    }
                    report.Add("sgemm_managed_" + s.Name, p, t, gflops, "GFLOP/s", gflops / fraction, blas, "OpenBLAS");
                    if (s.M <= 16)   // decode: the weight matrix streams once per call (3 MB here, so L3 may beat DRAM's triad)
                        report.Add("sgemm_managed_" + s.Name + "_weights", p, t, gflops / (2.0 * s.M) * 4, "GB/s", triad[t]);
                }
                if (s.M <= 16) AfterGap(report, s, A, B, C, threadCounts, quick, reps);
            }
        }
        finally
        {
            if (maxThreads > 1) report.Add("pool_wake_latency", null, maxThreads, WorkerPool.WakeLatencyMicroseconds, "us");
            WorkerPool.Threads = saved;
            MachineLimits.CpuClockThreads = 0;
            Gemm.Provider = GemmProvider.Managed;
        }
    }

    /// <summary>
    /// A decode step runs other kernels between its GEMMs, long enough for the pool's worker to stop spinning and block:
    /// time each call alone after 200 µs of single-threaded work, so the worker's wake-up is paid on every call, take the
    /// median call (robust to preemption on a busy machine) and report each thread count against one thread (the
    /// pool's promise: never slower).
    /// </summary>
    static void AfterGap(BenchReport report, Shape s, float[] A, float[] B, float[] C, int[] threadCounts, bool quick, int reps)
    {
        long gapTicks = Stopwatch.Frequency / 5000;
        double flop = 2.0 * s.M * s.N * s.K;
        double? one = null;
        var p = new Dictionary<string, object> { ["M"] = s.M, ["N"] = s.N, ["K"] = s.K, ["op"] = s.Op, ["gap_us"] = 200 };
        var calls = new double[quick ? 300 : 1000];
        foreach (int t in threadCounts)
        {
            WorkerPool.Threads = t;
            Call(s, A, B, C, GemmProvider.Managed);
            for (int i = 0; i < calls.Length; i++)
            {
                long until = Stopwatch.GetTimestamp() + gapTicks;
                while (Stopwatch.GetTimestamp() < until) { }
                long t0 = Stopwatch.GetTimestamp();
                Call(s, A, B, C, GemmProvider.Managed);
                calls[i] = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
            }
            Array.Sort(calls);
            double gflops = flop / calls[calls.Length / 2] / 1e9;
            report.Add("sgemm_managed_" + s.Name + "_after_gap", p, t, gflops, "GFLOP/s", null, one, "1 thread");
            one ??= gflops;
        }
    }

    static float[] Fill(int n, int mul, int mod)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)((long)i * mul % mod) * 0.01f;
        return x;
    }

    static void Call(Shape s, float[] A, float[] B, float[] C, GemmProvider provider)
    {
        Gemm.Provider = provider;
        // accumulating shapes (beta = 1) grow C by one product per call: bounded far below overflow for any run length
        Gemm.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, A, s.TransA ? s.M : s.K, B, s.TransB ? s.K : s.N, s.Beta, C, s.N);
    }
}
