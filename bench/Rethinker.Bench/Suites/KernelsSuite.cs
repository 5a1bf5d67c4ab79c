// `kernels` suite: fused attention forward/backward (tiled path beside the row path, same run) at training, vision
// and decode sizes with GFLOP/s (visible score pairs only) or GB/s (decode reads the KV cache), and the engine's row
// kernels (RMSNorm, softmax, token log-prob) with GB/s against the measured triad bandwidth.
// Extra args: --quick (fewer reps), a substring filters benchmark names.
using Rethinker.Tensors.Kernels;
using Rethinker.Tensors.Kernels.Parallel;
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Bench.Suites;

public sealed class KernelsSuite : IBenchSuite
{
    public string Name => "kernels";

    sealed record AttnCase(string Name, int NSeq, int LenQ, int LenK, int Hq, int Hkv, int D, bool Causal);

    static readonly AttnCase[] Cases =
    [
        new("attn_train_8x256_gqa4", 8, 256, 256, 8, 2, 64, true),     // SMALL decoder training batch
        new("attn_prefill_1x2048_gqa4", 1, 2048, 2048, 8, 2, 64, true),
        new("attn_vision_8x256_full", 8, 256, 256, 4, 4, 64, false),    // ViT, block-diagonal per image
        new("attn_text_d128_4x512", 4, 512, 512, 12, 2, 128, true),      // Qwen2-VL-2B text head shape
        new("attn_decode_8x1_kv320", 8, 1, 320, 8, 2, 64, true),        // batch-8 decode step
        new("attn_decode_1x1_kv2048", 1, 1, 2048, 8, 2, 64, true),
    ];

    public void Run(BenchReport report)
    {
        bool quick = report.Options.Rest.Contains("--quick");
        string? filter = report.Options.Rest.FirstOrDefault(a => !a.StartsWith("--"));
        double target = quick ? 0.08 : 0.2; int reps = quick ? 3 : 5;
        int threads = report.Options.Threads;
        Console.WriteLine($"# load: {MachineLimits.LoadAverage()}");
        double triad1 = MachineLimits.TriadGBps(1, reps), triadN = MachineLimits.TriadGBps(threads, reps);
        report.Add("stream_triad", null, 1, triad1, "GB/s");
        if (threads > 1) report.Add("stream_triad", null, threads, triadN, "GB/s");
        double peakN = MachineLimits.FmaPeakGflops(threads, reps);
        report.Add("fma_peak_zmm_fp32", null, threads, peakN, "GFLOP/s");

        var saved = WorkerPool.Threads;
        WorkerPool.Threads = threads;
        try
        {
            foreach (var c in Cases.Where(c => filter is null || c.Name.Contains(filter)))
                Attention(report, c, threads, target, reps, peakN, triadN);
        }
        finally { WorkerPool.Threads = saved; }
        if (filter is null || "rows".Contains(filter) || filter.Contains("rms") || filter.Contains("soft") || filter.Contains("logprob"))
            Rows(report, target, reps, triad1);
    }

    static void Attention(BenchReport report, AttnCase c, int threads, double target, int reps, double peak, double triad)
    {
        var rng = new Random(1);
        int Tq = c.NSeq * c.LenQ, Tk = c.NSeq * c.LenK;
        float[] R(int n) { var x = new float[n]; for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1); return x; }
        float[] q = R(Tq * c.Hq * c.D), k = R(Tk * c.Hkv * c.D), v = R(Tk * c.Hkv * c.D), dO = R(Tq * c.Hq * c.D);
        float[] o = new float[q.Length], lse = new float[Tq * c.Hq], dQ = new float[q.Length], dK = new float[k.Length], dV = new float[v.Length];
        int[] cuQ = Enumerable.Range(0, c.NSeq + 1).Select(i => i * c.LenQ).ToArray();
        int[] cuK = Enumerable.Range(0, c.NSeq + 1).Select(i => i * c.LenK).ToArray();
        float scale = 1f / MathF.Sqrt(c.D);
        // visible (query, key) pairs per head: causal bottom-right keeps j ≤ i + lenK − lenQ
        double pairs = 0;
        for (int i = 0; i < c.LenQ; i++) pairs += c.Causal ? Math.Clamp(i + c.LenK - c.LenQ + 1, 0, c.LenK) : c.LenK;
        pairs *= c.NSeq * c.Hq;
        double fwdFlop = 4 * pairs * c.D, bwdFlop = 10 * pairs * c.D;   // fwd: QKᵀ, PV; bwd: QKᵀ again, dP, dV, dK, dQ
        var p = new Dictionary<string, object> { ["seqs"] = c.NSeq, ["Tq"] = c.LenQ, ["Tk"] = c.LenK, ["Hq"] = c.Hq, ["Hkv"] = c.Hkv, ["D"] = c.D, ["causal"] = c.Causal };
        bool decode = c.LenQ < AttentionArgs.TiledMinRows;
        var paths = decode ? new[] { AttentionPath.Auto } : new[] { AttentionPath.Rowwise, AttentionPath.Auto };
        var fwdBy = new Dictionary<AttentionPath, double>();
        foreach (var path in paths)
        {
            double sf = MachineLimits.MedianSeconds(() => FlashAttention.Forward(q, k, v, o, lse, c.Hq, c.Hkv, c.D, cuQ, cuK, c.Causal, scale, path), target, reps);
            string tag = path == AttentionPath.Rowwise ? "_rowpath" : "";
            if (decode)
            {
                double bytes = 2.0 * Tk * c.Hkv * c.D * 4;   // every K and V element read once
                report.Add(c.Name + "_fwd", p, threads, bytes / sf / 1e9, "GB/s", triad);
                report.Add(c.Name + "_fwd_time", p, threads, sf * 1e6, "us");
                continue;
            }
            fwdBy[path] = fwdFlop / sf / 1e9;
            report.Add(c.Name + "_fwd" + tag, p, threads, fwdBy[path], "GFLOP/s", peak,
                path == AttentionPath.Auto ? fwdBy[AttentionPath.Rowwise] : null, "row path");
            report.Add(c.Name + "_fwd_time" + tag, p, threads, sf * 1e3, "ms");
            double sb = MachineLimits.MedianSeconds(() => FlashAttention.Backward(q, k, v, o, lse, dO, dQ, dK, dV, c.Hq, c.Hkv, c.D, cuQ, cuK, c.Causal, scale, path), target, reps);
            report.Add(c.Name + "_bwd" + tag, p, threads, bwdFlop / sb / 1e9, "GFLOP/s", peak);
            report.Add(c.Name + "_bwd_time" + tag, p, threads, sb * 1e3, "ms");
        }
    }

    static void Rows(BenchReport report, double target, int reps, double triad)
    {
        const int N = 2048, C = 512, V = 8192;
        var rng = new Random(2);
        float[] R(int n) { var x = new float[n]; for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 4 - 2); return x; }
        float[] x = R(N * C), w = R(C), y = new float[N * C], dy = R(N * C), dx = new float[N * C], dw = new float[C], rs = new float[N];
        float[] logits = R(N * V), probs = new float[N * V], lp = new float[N];
        int[] targets = Enumerable.Range(0, N).Select(i => i * 7 % V).ToArray();
        var pRms = new Dictionary<string, object> { ["rows"] = N, ["C"] = C };
        var pV = new Dictionary<string, object> { ["rows"] = N, ["V"] = V };

        double t = MachineLimits.MedianSeconds(() => { for (int r = 0; r < N; r++) rs[r] = NormRows.RmsNorm(x.AsSpan(r * C, C), w, 1e-6f, y.AsSpan(r * C, C)); }, target, reps);
        report.Add("rmsnorm_fwd", pRms, 1, 2.0 * N * C * 4 / t / 1e9, "GB/s", triad);   // read x, write y
        t = MachineLimits.MedianSeconds(() => { dw.AsSpan().Clear(); for (int r = 0; r < N; r++) NormRows.RmsNormBackward(x.AsSpan(r * C, C), w, rs[r], dy.AsSpan(r * C, C), dx.AsSpan(r * C, C), dw); }, target, reps);
        report.Add("rmsnorm_bwd", pRms, 1, 3.0 * N * C * 4 / t / 1e9, "GB/s", triad);   // read x, dy, write dx
        t = MachineLimits.MedianSeconds(() => { for (int r = 0; r < N; r++) SoftmaxRows.Softmax(logits.AsSpan(r * V, V), probs.AsSpan(r * V, V)); }, target, reps);
        report.Add("softmax_fwd", pV, 1, 2.0 * N * V * 4 / t / 1e9, "GB/s", triad);
        t = MachineLimits.MedianSeconds(() =>
        {
            for (int r = 0; r < N; r++) { var row = logits.AsSpan(r * V, V); lp[r] = row[targets[r]] - SoftmaxRows.LogSumExp(row); }
        }, target, reps);
        report.Add("token_logprob_fwd", pV, 1, 1.0 * N * V * 4 / t / 1e9, "GB/s", triad);   // one pass over the logits
        t = MachineLimits.MedianSeconds(() =>
        {
            for (int r = 0; r < N; r++) SoftmaxRows.LogProbBackward(logits.AsSpan(r * V, V), lp[r], targets[r], 1f, probs.AsSpan(r * V, V));
        }, target, reps);
        report.Add("token_logprob_bwd", pV, 1, 2.0 * N * V * 4 / t / 1e9, "GB/s", triad);
    }
}
