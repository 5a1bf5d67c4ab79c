// `decode` suite: KV-cached greedy generation through the embedded policy on the Qwen2-style decoder configs of
// PERFORMANCE.md (TINY, SMALL; 8 heads, 2 KV heads, tied embeddings), prompt 64 + 128 new tokens, batch 1, 8 and 64,
// beside PyTorch's tiny_vlm_bench.py --mode gen run in the same job. Limits: batch-1 decode is bound by reading the
// fp32 weights once per token (bytes ÷ measured triad bandwidth); batch 64 by the GEMM rate: the same run times our
// SGEMM on the decoder's own weight shapes at M = 64 (2·params FLOP/token at that rate; the FMA peak is 233 GFLOP/s).
// Extra args: TINY or SMALL to pick one config; --no-torch to skip the reference.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Rethinker.Models.Config;
using Rethinker.Models.Generation;
using Rethinker.Models.Policy;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Bench.Suites;

public sealed class DecodeSuite : IBenchSuite
{
    public string Name => "decode";

    internal sealed record DecoderShape(string Name, int Hidden, int Layers, int Intermediate, int Vocab);

    internal static readonly DecoderShape[] Shapes = [new("TINY", 256, 4, 688, 4096), new("SMALL", 512, 8, 1376, 8192)];

    /// <summary>A Qwen2.5-VL config whose text half is the benchmark decoder; the vision tower is minimal and unused.</summary>
    internal static QwenVlConfig Config(DecoderShape s)
    {
        int half = s.Hidden / 8 / 2, t = half / 4, h = (half - t) / 2, w = half - t - h;
        return QwenVlConfig.Parse($$$"""
        {"architectures":["Qwen2_5_VLForConditionalGeneration"],"model_type":"qwen2_5_vl","hidden_size":{{{s.Hidden}}},
         "intermediate_size":{{{s.Intermediate}}},"num_hidden_layers":{{{s.Layers}}},"num_attention_heads":8,"num_key_value_heads":2,
         "vocab_size":{{{s.Vocab}}},"rms_norm_eps":1e-6,"rope_theta":1000000.0,"tie_word_embeddings":true,"max_position_embeddings":4096,
         "rope_scaling":{"type":"mrope","rope_type":"default","mrope_section":[{{{t}}},{{{h}}},{{{w}}}]},
         "bos_token_id":{{{s.Vocab - 10}}},"eos_token_id":{{{s.Vocab - 9}}},"vision_start_token_id":{{{s.Vocab - 4}}},"vision_end_token_id":{{{s.Vocab - 3}}},
         "vision_token_id":{{{s.Vocab - 5}}},"image_token_id":{{{s.Vocab - 2}}},"video_token_id":{{{s.Vocab - 1}}},
         "vision_config":{"depth":1,"hidden_size":32,"intermediate_size":64,"num_heads":2,"out_hidden_size":{{{s.Hidden}}},"patch_size":14,
           "spatial_merge_size":2,"temporal_patch_size":2,"window_size":56,"fullatt_block_indexes":[0],"in_channels":3,"hidden_act":"silu","tokens_per_second":2}}
        """, "bench decoder config");
    }

    public void Run(BenchReport report)
    {
        int threads = report.Options.Threads;
        WorkerPool.Threads = threads;
        var picked = Shapes.Where(s => report.Options.Rest.Count == 0 || report.Options.Rest.Contains(s.Name)).ToList();
        if (picked.Count == 0) picked = [.. Shapes];
        Console.WriteLine($"# load: {File.ReadAllText("/proc/loadavg").Trim()}");
        double bandwidth = TriadBandwidth();
        report.Add("memory_bandwidth_triad", null, threads, bandwidth / 1e9, "GB/s");
        foreach (var shape in picked)
        {
            var torch = report.Options.Rest.Contains("--no-torch") ? [] : PyTorchReference.Run("tiny_vlm_bench.py", $"--config {shape.Name} --mode gen", threads);
            var model = QwenVlModel.CreateRandom(Config(shape), 1);
            long textParams = model.NamedParameters().Where(p => !p.Name.StartsWith("visual.", StringComparison.Ordinal)).Sum(p => (long)p.Parameter.Length);
            var policy = new EmbeddedPolicy(model, new ByteTokenCodec(), _ => throw new InvalidOperationException("text only"));
            double gemmRate = GemmRate(model, 64);
            report.Add("gemm_rate_m64", new Dictionary<string, object> { ["config"] = shape.Name }, threads, gemmRate / 1e9, "GFLOP/s", 233.0);
            foreach (int batch in new[] { 1, 8, 64 })
            {
                var (prefillTps, decodeTps) = Measure(policy, shape, batch);
                var reference = torch.FirstOrDefault(o => (string?)o["bench"] == "decoder_generate" && (int?)o["batch"] == batch);
                double? refDecode = reference?["decode_tokens_per_s"]?["median"]?.GetValue<double>();
                double? refPrefill = reference?["prefill_tokens_per_s_median"]?.GetValue<double>();
                var p = new Dictionary<string, object> { ["config"] = shape.Name, ["batch"] = batch, ["prompt"] = 64, ["new"] = 128 };
                // Batch 1 reads every weight once per token; larger batches share that read and approach the FMA peak.
                double? limit = batch == 1 ? bandwidth / (textParams * 4.0) : batch == 64 ? gemmRate / (2.0 * textParams) : null;
                report.Add("decode_tokens_per_s", p, threads, decodeTps, "tokens/s", limit, refDecode, "pytorch-fp32-tuned");
                report.Add("prefill_tokens_per_s", p, threads, prefillTps, "tokens/s", null, refPrefill, "pytorch-fp32-tuned");
                report.Add("decode_gflops", p, threads, decodeTps * 2.0 * textParams / 1e9, "GFLOP/s");
            }
        }
    }

    static (double Prefill, double Decode) Measure(EmbeddedPolicy policy, DecoderShape shape, int batch)
    {
        var rng = new Random(1);
        var requests = Enumerable.Range(0, batch).Select(i => new GenerationRequest
        {
            Id = $"b{i}", PromptTokenIds = Enumerable.Range(0, 64).Select(_ => rng.Next(shape.Vocab - 16)).ToArray(),
        }).ToList();
        var greedy = new SamplingOptions { Temperature = 0, MaxNewTokens = 128 };
        // warm-up: JIT tiers (the prefill path's Ops run only a few times per call, so it takes several calls), pools, caches
        for (int i = 0; i < 6; i++) policy.Generate(requests, greedy with { MaxNewTokens = 1 });
        policy.Generate(requests, greedy with { MaxNewTokens = 8 });
        var prefill = new List<double>();
        var total = new List<double>();
        for (int rep = 0; rep < (batch <= 8 ? 5 : 3); rep++)
        {
            var sw = Stopwatch.StartNew();
            policy.Generate(requests, greedy with { MaxNewTokens = 1 });
            prefill.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            policy.Generate(requests, greedy);
            total.Add(sw.Elapsed.TotalSeconds);
        }
        double tp = Median(prefill), tt = Median(total);
        return (batch * 64 / tp, batch * 127 / Math.Max(1e-9, tt - tp));
    }

    /// <summary>
    /// FLOP/s of our SGEMM (Gemm.Sgemm, x·Wᵀ) over every text weight matrix of the model at M rows: the rate a batch-M
    /// decode step would reach if it were nothing but its matrix products.
    /// </summary>
    static double GemmRate(QwenVlModel model, int M)
    {
        var mats = model.NamedParameters().Where(p => !p.Name.StartsWith("visual.", StringComparison.Ordinal) && p.Parameter.Rank == 2)
            .Select(p => p.Parameter).ToList();
        int maxK = mats.Max(w => w.Dim(1)), maxN = mats.Max(w => w.Dim(0));
        var x = new float[M * maxK];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 7) * 0.1f;
        var y = new float[M * maxN];
        double flops = mats.Sum(w => 2.0 * M * w.Dim(0) * w.Dim(1)), best = double.MaxValue;
        // passes until a second has gone by (at least 10): the first ones warm the JIT and caches, the best one counts
        var total = Stopwatch.StartNew();
        for (int rep = 0; rep < 10 || total.Elapsed.TotalSeconds < 1.0; rep++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var w in mats)
                Rethinker.Tensors.Kernels.Gemm.Sgemm(false, true, M, w.Dim(0), w.Dim(1), 1f, x, w.Dim(1), w.Span, w.Dim(1), 0f, y, w.Dim(0));
            if (rep >= 3) best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return flops / best;
    }

    static double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }

    /// <summary>STREAM-style triad a = b + s·c over 3 × 64 MB, bytes moved ÷ time (best of 5).</summary>
    internal static double TriadBandwidth()
    {
        const int n = 16 << 20;
        var a = new float[n]; var b = new float[n]; var c = new float[n];
        Array.Fill(b, 1f); Array.Fill(c, 2f);
        double best = double.MaxValue;
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            System.Threading.Tasks.Parallel.For(0, Environment.ProcessorCount, part =>
            {
                int chunk = n / Environment.ProcessorCount, start = part * chunk, len = part == Environment.ProcessorCount - 1 ? n - start : chunk;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(c.AsSpan(start, len), 3f, b.AsSpan(start, len), a.AsSpan(start, len));
            });
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 3.0 * n * sizeof(float) / best;
    }
}
