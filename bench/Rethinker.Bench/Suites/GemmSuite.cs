// `gemm` suite: the machine's limits (Vector512 FMA peak, STREAM-style triad) and SGEMM GFLOP/s with the fraction of
// the measured peak, managed kernel beside OpenBLAS (same run, same thread count) on the squares 256–2048 and the
// transformer shapes of PERFORMANCE.md. Extra args: --quick (fewer reps), a substring filters shape names.
// Mirrors shared/bench/pytorch/{fmapeak.c, stream.c, gemm_cblas.c}; medians of several timed samples.
using System.Diagnostics;
using System.Runtime.Intrinsics;
using Rethinker.Tensors.Kernels;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Bench.Suites;

public sealed class GemmSuite : IBenchSuite
{
    public string Name => "gemm";

    sealed record Shape(string Name, int M, int N, int K, bool TransB, bool TransA = false);

    static readonly Shape[] Shapes =
    [
        new("square_256", 256, 256, 256, false),
        new("square_512", 512, 512, 512, false),
        new("square_1024", 1024, 1024, 1024, false),
        new("square_2048", 2048, 2048, 2048, false),
        new("tok512_N1536_K512_NN", 512, 1536, 512, false),
        new("tok512_N1536_K512_NT", 512, 1536, 512, true),
        new("tok2048_N1376_K512_NT", 2048, 1376, 512, true),
        new("tok2048_N8192_K512_NT", 2048, 8192, 512, true),
        new("wgrad_M1376_N512_K2048_TN", 1376, 512, 2048, false, true),   // dW = dYᵀ·X of the MLP up-proj, batch 8×256
        new("decode_M8_N1536_K512_NT", 8, 1536, 512, true),
        new("decode_M1_N1536_K512_NT", 1, 1536, 512, true),
    ];

    public void Run(BenchReport report)
    {
        bool quick = report.Options.Rest.Contains("--quick");
        string? filter = report.Options.Rest.FirstOrDefault(a => !a.StartsWith("--"));
        int maxThreads = report.Options.Threads;
        int[] threadCounts = maxThreads > 1 ? [1, maxThreads] : [1];
        Console.WriteLine($"# load: {MachineLimits.LoadAverage()}; OpenBLAS: {(BlasProvider.IsAvailable ? "loaded" : BlasProvider.LoadError)}");

        var peak = new Dictionary<int, double>();
        foreach (int t in threadCounts)
        {
            peak[t] = MachineLimits.FmaPeakGflops(t, quick ? 3 : 5);
            report.Add("fma_peak_zmm_fp32", null, t, peak[t], "GFLOP/s");
        }
        var triad = new Dictionary<int, double>();
        foreach (int t in threadCounts)
        {
            triad[t] = MachineLimits.TriadGBps(t, quick ? 3 : 5);
            report.Add("stream_triad", new Dictionary<string, object> { ["MiB"] = MachineLimits.TriadMiB }, t, triad[t], "GB/s");
        }

        var saved = WorkerPool.Threads;
        try
        {
            foreach (var s in Shapes.Where(s => filter is null || s.Name.Contains(filter)))
            {
                var A = Fill(s.M * s.K, 7, 13); var B = Fill(s.K * s.N, 5, 11); var C = new float[s.M * s.N];
                foreach (int t in threadCounts)
                {
                    WorkerPool.Threads = t;
                    double? blas = null;
                    if (BlasProvider.IsAvailable)
                        blas = Gflops(s, A, B, C, GemmProvider.OpenBlas, quick);
                    double managed = Gflops(s, A, B, C, GemmProvider.Managed, quick);
                    var p = new Dictionary<string, object> { ["M"] = s.M, ["N"] = s.N, ["K"] = s.K, ["op"] = (s.TransA ? "T" : "N") + (s.TransB ? "T" : "N") };
                    if (blas is { } b) report.Add("sgemm_openblas_" + s.Name, p, t, b, "GFLOP/s", peak[t]);
                    report.Add("sgemm_managed_" + s.Name, p, t, managed, "GFLOP/s", peak[t], blas, "OpenBLAS");
                    if (s.M <= 16)   // decode: the weight matrix streams once per call (3 MB here, so L3 may beat DRAM's triad)
                        report.Add("sgemm_managed_" + s.Name + "_weights", p, t, managed / (2.0 * s.M) * 4, "GB/s", triad[t]);
                }
            }
        }
        finally
        {
            WorkerPool.Threads = saved;
            Gemm.Provider = GemmProvider.Managed;
        }
    }

    static float[] Fill(int n, int mul, int mod)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)((long)i * mul % mod) * 0.01f;
        return x;
    }

    static double Gflops(Shape s, float[] A, float[] B, float[] C, GemmProvider provider, bool quick)
    {
        Gemm.Provider = provider;
        double flop = 2.0 * s.M * s.N * s.K;
        double seconds = MachineLimits.MedianSeconds(() =>
            Gemm.Sgemm(s.TransA, s.TransB, s.M, s.N, s.K, 1f, A, s.TransA ? s.M : s.K, B, s.TransB ? s.K : s.N, 0f, C, s.N), quick ? 0.08 : 0.2, quick ? 3 : 5);
        return flop / seconds / 1e9;
    }
}

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
        call();
        long iters = 1; double dt;
        while (true)
        {
            var sw = Stopwatch.StartNew();
            for (long i = 0; i < iters; i++) call();
            dt = sw.Elapsed.TotalSeconds;
            if (dt > targetSeconds / 4 || iters > 1 << 24) break;
            iters *= 2;
        }
        iters = Math.Max(1, (long)(iters * targetSeconds / dt));
        var samples = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            for (long i = 0; i < iters; i++) call();
            samples[r] = sw.Elapsed.TotalSeconds / iters;
        }
        Array.Sort(samples);
        return samples[reps / 2];
    }

    /// <summary>fp32 FMA throughput: 16 independent zmm accumulator chains per thread (fmapeak.c), median of reps.</summary>
    public static double FmaPeakGflops(int threads, int reps)
    {
        const long iters = 20_000_000;
        var g = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            RunOnThreads(threads, _ => FmaLoop(iters));
            g[r] = 32.0 * 16 * iters * threads / sw.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(g);
        return g[reps / 2];
    }

    static float sink;

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
