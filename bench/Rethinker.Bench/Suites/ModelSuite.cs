// `model` suite: Qwen-VL forward time and peak memory. The HF fixture models (tiny, from the Models test data)
// on their three cases, and a random Qwen2.5-VL with the Qwen2-0.5B text model (hidden 896, 24 layers, 14 heads,
// 2 KV heads, MLP 4864, vocab 151936, tied) and an 8-block vision tower (width 1280) on one 448×448 image
// (1024 patches → 256 merged tokens) + 256 text tokens. Peak memory is the process's peak RSS, reported
// against 1.3 × the float32 weights. Extra args: --quick (one timed rep), --fixtures DIR.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;
using Rethinker.Tensors;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Bench.Suites;

public sealed class ModelSuite : IBenchSuite
{
    public string Name => "model";

    public void Run(BenchReport report)
    {
        bool quick = report.Options.Rest.Contains("--quick");
        int reps = quick ? 1 : 3;
        int threads = report.Options.Threads;
        WorkerPool.Threads = threads;
        Console.WriteLine($"# load: {MachineLimits.LoadAverage()}; threads {threads}");
        RunHalfB(report, threads, reps);
        string? fixtures = FixtureRoot(report.Options.Rest);
        if (fixtures is null) Console.WriteLine("# fixture models not found (pass --fixtures tests/Rethinker.Models.Tests/TestData/hf-qwen-vl)");
        else RunFixtures(report, fixtures, threads, quick ? 3 : 10);
    }

    static void RunHalfB(BenchReport report, int threads, int reps)
    {
        var config = QwenVlConfig.FromJson(HalfBConfig(), "bench-0.5b");
        var sw = Stopwatch.StartNew();
        var model = QwenVlModel.CreateRandom(config, 1);
        double initS = sw.Elapsed.TotalSeconds;
        long weightBytes = ModelSizes.Of(model).Total * 4;
        var grid = new GridThw(1, 448 / 14, 448 / 14);
        var rng = new Rng(2);
        var pv = new float[grid.Patches * config.Vision.PatchDim];
        for (int i = 0; i < pv.Length; i++) pv[i] = rng.NextNormal();
        using var pixels = Tensor.FromArray(pv, grid.Patches, config.Vision.PatchDim);
        int merged = grid.MergedTokens(config.Vision.SpatialMergeSize);
        var ids = new List<int> { config.VisionStartTokenId };
        ids.AddRange(Enumerable.Repeat(config.ImageTokenId, merged));
        ids.Add(config.VisionEndTokenId);
        for (int i = 0; i < 256; i++) ids.Add(rng.NextInt(150000));
        var inputs = QwenVlInputs.Single(ids.ToArray(), pixels, [grid]);
        var p = new Dictionary<string, object>
        {
            ["params_M"] = Math.Round(ModelSizes.Of(model).Total / 1e6, 1), ["image"] = "448x448", ["patches"] = grid.Patches,
            ["tokens"] = ids.Count, ["text_tokens"] = 256,
        };
        Console.WriteLine($"# 0.5B: {ModelSizes.Of(model).Total:N0} parameters ({weightBytes / (1 << 20)} MiB f32), random init {initS:F1} s, " +
            $"RSS after init {Process.GetCurrentProcess().WorkingSet64 >> 20} MiB (peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB)");

        double vision = Median(reps, () => { using var _ = Autograd.NoGrad(); model.Visual.Forward(pixels, [grid]).Dispose(); });
        double total = Median(reps, () => { using var _ = Autograd.NoGrad(); model.Forward(inputs).Logits.Dispose(); });
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        report.Add("halfB_vision_forward", p, threads, vision * 1e3, "ms");
        report.Add("halfB_forward", p, threads, total * 1e3, "ms");
        double flops = ForwardFlops(config, grid.Patches, ids.Count);
        report.Add("halfB_forward_gflops", p, threads, flops / total / 1e9, "GFLOP/s");
        report.Add("halfB_peak_rss", p, threads, peak / (double)(1 << 20), "MiB", limit: 1.3 * weightBytes / (1 << 20));
        report.Add("halfB_weights_f32", p, threads, weightBytes / (double)(1 << 20), "MiB");
    }

    static void RunFixtures(BenchReport report, string root, int threads, int reps)
    {
        foreach (var arch in new[] { "qwen2_vl", "qwen2_5_vl" })
        {
            string dir = Path.Combine(root, arch);
            if (!Directory.Exists(dir)) continue;
            var model = QwenVlModel.Load(dir);
            foreach (var caseName in new[] { "two_images", "one_image", "text_only" })
            {
                string file = Path.Combine(dir, caseName + ".safetensors");
                if (!File.Exists(file)) continue;
                using var f = SafeTensorsFile.Open(file);
                var ids = f.ReadInt32("input_ids");
                var inputs = f.Contains("pixel_values")
                    ? QwenVlInputs.Single(ids, Tensor.FromArray(f.ReadSingle("pixel_values"), f.Entry("pixel_values").Shape), GridThw.FromTable(f.ReadInt64("image_grid_thw")))
                    : QwenVlInputs.Single(ids);
                double s = Median(reps, () => { using var _ = Autograd.NoGrad(); model.Forward(inputs).Logits.Dispose(); });
                report.Add($"fixture_{arch}_{caseName}", new Dictionary<string, object> { ["tokens"] = ids.Length }, threads, s * 1e3, "ms");
            }
        }
    }

    static double Median(int reps, Action run)
    {
        run();   // warm-up (JIT, pool)
        var t = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            t[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(t);
        return t[reps / 2];
    }

    /// <summary>2 × multiply-adds of every linear layer plus the text attention (QKᵀ, PV, causal half); vision attention is left out.</summary>
    static double ForwardFlops(QwenVlConfig c, int patches, int tokens)
    {
        var v = c.Vision;
        double vis = v.Depth * (2.0 * patches * (4.0 * v.Width * v.Width + 3.0 * v.Width * v.MlpHidden))
            + 2.0 * patches * v.PatchDim * v.Width
            + 2.0 * (patches / v.MergeUnit) * (v.Width * v.MergeUnit) * (v.Width * v.MergeUnit + c.HiddenSize);
        double kv = c.NumKvHeads * c.HeadDim;
        double text = c.NumLayers * 2.0 * tokens * (2.0 * c.HiddenSize * c.HiddenSize + 2.0 * c.HiddenSize * kv + 3.0 * c.HiddenSize * c.IntermediateSize)
            + c.NumLayers * 2.0 * tokens * tokens * c.HiddenSize   // causal: half of 2·T²·C for QKᵀ and for PV
            + 2.0 * tokens * c.HiddenSize * c.VocabSize;
        return vis + text;
    }

    static JsonObject HalfBConfig() => (JsonObject)JsonNode.Parse("""
        {"model_type": "qwen2_5_vl", "vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
         "num_attention_heads": 14, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
         "rope_scaling": {"type": "mrope", "mrope_section": [8, 12, 12]}, "tie_word_embeddings": true, "initializer_range": 0.02,
         "bos_token_id": 151643, "eos_token_id": 151645, "image_token_id": 151655, "video_token_id": 151656,
         "vision_start_token_id": 151652, "vision_end_token_id": 151653, "vision_token_id": 151654,
         "vision_config": {"depth": 8, "hidden_size": 1280, "num_heads": 16, "intermediate_size": 3420, "out_hidden_size": 896,
                           "patch_size": 14, "temporal_patch_size": 2, "spatial_merge_size": 2, "window_size": 112,
                           "fullatt_block_indexes": [3, 7], "tokens_per_second": 2}}
        """)!;

    static string? FixtureRoot(IReadOnlyList<string> rest)
    {
        int i = rest.ToList().IndexOf("--fixtures");
        if (i >= 0 && i + 1 < rest.Count) return rest[i + 1];
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "tests", "Rethinker.Models.Tests", "TestData", "hf-qwen-vl");
            if (Directory.Exists(p)) return p;
        }
        return null;
    }
}
