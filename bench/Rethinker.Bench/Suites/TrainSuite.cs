// `train` suite: training throughput on the Qwen2-style TINY and SMALL decoders of PERFORMANCE.md (batch 8 × 256,
// random weights) through the production path (EmbeddedPolicy.ResponseLogProbs): the GRPO update (fwd + bwd + clip +
// AdamW via PolicyUpdater), the no-grad log-prob phase and an SFT step, beside PyTorch fp32-tuned's training step
// (bench/pytorch/tiny_vlm_bench.py --mode train, run before AND after ours in the same job; the ratio uses their mean).
// Limits: model FLOPs per token (6 × matmul params + causal attention) against the measured FMA peak.
// Extra args: TINY or SMALL; --no-torch; --quick (3 timed reps instead of 5); --profile (per-op time table).
using System.Diagnostics;
using System.Text.Json.Nodes;
using Rethinker.Models.Generation;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;
using Rethinker.Tensors.Kernels.Parallel;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Optimization;
using Rethinker.Training.Sft;

namespace Rethinker.Bench.Suites;

public sealed class TrainSuite : IBenchSuite
{
    public string Name => "train";

    // One prompt token per sequence: the 255 response rows get logits, as PyTorch's LM head covers all 256 positions.
    const int Batch = 8, SeqLen = 256, PromptLen = 1;

    /// <summary>Measured fp32 FMA peak of this machine kind (PERFORMANCE.md): 117 GFLOP/s per thread, 233 for two.</summary>
    internal static double PeakFlops(int threads) => threads >= 2 ? 233e9 * threads / 2 : 117e9;

    public void Run(BenchReport report)
    {
        var rest = report.Options.Rest;
        int threads = report.Options.Threads;
        WorkerPool.Threads = threads;
        int reps = rest.Contains("--quick") ? 3 : 5;
        var picked = DecodeSuite.Shapes.Where(s => rest.Any(a => a.Equals(s.Name, StringComparison.OrdinalIgnoreCase))).ToList();
        if (picked.Count == 0) picked = [.. DecodeSuite.Shapes];
        Console.WriteLine($"# load before: {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var shape in picked)
        {
            var flops = FlopsPerToken(shape, SeqLen);
            Console.WriteLine($"# {shape.Name}: matmul params {flops.MatmulParams:N0}; train FLOP/token 6·P + attn = {flops.Train / 1e6:F1} M, forward {flops.Forward / 1e6:F1} M; " +
                $"peak {PeakFlops(threads) / 1e9:F0} GFLOP/s → ≤ {PeakFlops(threads) / flops.Train:F0} train tokens/s");
            bool torchOn = !rest.Contains("--no-torch");
            var before = torchOn ? TorchTrain(shape, threads) : null;

            var model = QwenVlModel.CreateRandom(DecodeSuite.Config(shape), 1);
            var policy = new EmbeddedPolicy(model, new ByteTokenCodec(), _ => throw new InvalidOperationException("text only"));
            var rng = new Rng(7);
            var samples = Samples(shape.Vocab, rng);
            var grpo = new GrpoConfig
            {
                Grpo = new GrpoOptions { MiniBatchSize = Batch, UpdatesPerBatch = 1, MaxNewTokens = SeqLen },
                Optim = new OptimizerOptions { LearningRate = 1e-5f },
            };
            long seqTokens = (long)Batch * SeqLen;
            double lp = Median(reps, () => { foreach (var s in samples) s.OldLogProbs = []; LogProbPhase.FillOldLogProbs(policy, samples, grpo.Grpo); });
            var optimizer = new OptimizerSetup(policy.NamedParameters(), grpo.Optim, 10);
            var updater = new PolicyUpdater(policy, optimizer, grpo);
            double up = Median(reps, () => updater.Update(samples, 1e-5f, rng));
            double sft = MeasureSft(policy, samples, reps);

            var after = torchOn ? TorchTrain(shape, threads) : null;
            double? torch = before is null || after is null ? before ?? after : (before.Value + after.Value) / 2;
            if (torchOn) Console.WriteLine($"# {shape.Name} PyTorch fp32 tuned train tokens/s: before {before:F0}, after {after:F0}");
            var p = new Dictionary<string, object> { ["config"] = shape.Name, ["batch"] = $"{Batch}x{SeqLen}" };
            const string refName = "pytorch-fp32-tuned train (same run)";
            report.Add("grpo_logprobs", p, threads, seqTokens / lp, "tokens/s", PeakFlops(threads) / flops.Forward);
            report.Add("grpo_update", p, threads, seqTokens / up, "tokens/s", PeakFlops(threads) / flops.Train, torch, refName);
            report.Add("sft_step", p, threads, seqTokens / sft, "tokens/s", PeakFlops(threads) / flops.Train, torch, refName);
            report.Add("grpo_update_gflops", p, threads, seqTokens / up * flops.Train / 1e9, "GFLOP/s", PeakFlops(threads) / 1e9);
            if (torch is not null)
                report.Add("target_2x_pytorch", p, threads, 2 * torch.Value * flops.Train / 1e9, "GFLOP/s needed", PeakFlops(threads) / 1e9);
            if (rest.Contains("--profile")) { Profile(policy, optimizer, samples, grpo, reps); GemmShapes(shape); }
        }
        Console.WriteLine($"# load after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    /// <summary>Model FLOPs per token: 6 × matmul parameters (q/k/v/o, MLP, LM head) for training, 2 × for a forward;
    /// causal attention QKᵀ and PV over the mean visible context (T + 1) / 2, three times that for training.</summary>
    internal static (long MatmulParams, double Train, double Forward) FlopsPerToken(DecodeSuite.DecoderShape s, int seqLen)
    {
        int hd = s.Hidden / 8, kv = 2 * hd;
        long perLayer = (long)s.Hidden * s.Hidden * 2 + (long)s.Hidden * kv * 2 + 3L * s.Hidden * s.Intermediate;
        long matmul = perLayer * s.Layers + (long)s.Vocab * s.Hidden;
        double attnFwd = 2.0 * 2 * s.Layers * s.Hidden * (seqLen + 1) / 2.0;
        return (matmul, 6.0 * matmul + 3 * attnFwd, 2.0 * matmul + attnFwd);
    }

    static double? TorchTrain(DecodeSuite.DecoderShape shape, int threads)
    {
        var rec = PyTorchReference.Run("tiny_vlm_bench.py", $"--config {shape.Name} --mode train", threads)
            .FirstOrDefault(o => (string?)o["bench"] == "decoder_train");
        return rec?["tokens_per_s"]?["median"]?.GetValue<double>();
    }

    static double MeasureSft(EmbeddedPolicy policy, List<RolloutSample> samples, int reps)
    {
        var cfg = new SftConfig
        {
            Run = new RunOptions { OutputDir = Path.Combine(Path.GetTempPath(), $"bench-sft-{Guid.NewGuid():N}"), TotalSteps = 1000, Progress = false },
            Sft = new SftOptions { MaxTokensPerBatch = Batch * SeqLen, EvalEvery = 0 },
            Checkpoint = new CheckpointOptions { EverySteps = 0, ExportModel = false },
        };
        var examples = samples.Select((s, i) => new SftExample
        {
            Id = $"e{i}", TokenIds = [.. s.PromptTokenIds, .. s.ResponseTokenIds],
            AssistantMask = [.. Enumerable.Repeat(false, PromptLen), .. Enumerable.Repeat(true, SeqLen - PromptLen)],
        }).ToArray();
        try
        {
            using var sft = new SftTrainer(cfg, policy, new ListSftDataset(examples));
            return Median(reps, () => sft.RunStep());
        }
        finally { Directory.Delete(cfg.Run.OutputDir, recursive: true); }
    }

    /// <summary>One GRPO update's phases timed separately (forward to log-probs, loss, backward, clip + AdamW) and the
    /// per-op table (OpProfiler) summed over <paramref name="reps"/> updates, shown per update.</summary>
    static void Profile(EmbeddedPolicy policy, OptimizerSetup optimizer, List<RolloutSample> samples, GrpoConfig grpo, int reps)
    {
        var o = grpo.Grpo;
        var lossOptions = new PolicyLossOptions(o.ClipEpsilonLow, o.ClipEpsilonHigh, o.LogRatioClamp, o.KlBeta, 0);
        var weights = LossWeights.Build(samples.Select(s => s.PolicyMask).ToArray(), o.LossAggregation, o.EffectiveNormLength);
        var inputs = new PolicyLossInputs(samples.SelectMany(s => Enumerable.Repeat(s.Advantage, s.Length)).ToArray(),
            samples.SelectMany(s => s.OldLogProbs).ToArray(), weights, null, null);
        var seqs = samples.Select(s => s.ToSequence()).ToArray();
        double fwd = 0, loss = 0, bwd = 0, opt = 0;
        OpProfiler.Reset();
        OpProfiler.Enabled = true;
        long cpu0 = OpProfiler.ProcessCpuNs();
        var wall = Stopwatch.StartNew();
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            var lp = policy.ResponseLogProbs(seqs);
            fwd += sw.Elapsed.TotalSeconds; sw.Restart();
            var (l, _) = PolicyLoss.Compute(lp, inputs, lossOptions);
            loss += sw.Elapsed.TotalSeconds; sw.Restart();
            l.Backward();
            l.Dispose();
            bwd += sw.Elapsed.TotalSeconds; sw.Restart();
            optimizer.Step(1e-5f);
            opt += sw.Elapsed.TotalSeconds;
        }
        OpProfiler.Enabled = false;
        double cpuStep = (OpProfiler.ProcessCpuNs() - cpu0) / 1e9 / reps, wallStep = wall.Elapsed.TotalSeconds / reps;
        Console.WriteLine($"# profile per update: wall {wallStep:F3} s, process CPU {cpuStep:F3} s (CPU/wall {cpuStep / wallStep:F2}); " +
            $"wall split: forward {fwd / reps:F3} s, loss {loss / reps:F3} s, backward {bwd / reps:F3} s, clip+AdamW+zero {opt / reps:F3} s");
        double fSum = 0, bSum = 0, fCpu = 0, bCpu = 0;
        Console.WriteLine("#   phase op [output shape]                        wall ms    CPU ms   CPU %  calls");
        foreach (var (phase, op, sec, cpu, calls) in OpProfiler.Snapshot())
        {
            if (phase == "fwd") { fSum += sec; fCpu += cpu; } else { bSum += sec; bCpu += cpu; }
            if (sec / reps >= 0.002 || cpu / reps >= 0.002)
                Console.WriteLine($"#   {phase} {op,-40} {sec / reps * 1e3,8:F1} {cpu / reps * 1e3,9:F1} {cpu / reps / cpuStep,7:P1}  {calls / reps}");
        }
        Console.WriteLine($"#   ops total: fwd wall {fSum / reps:F3} s CPU {fCpu / reps:F3} s, bwd wall {bSum / reps:F3} s CPU {bCpu / reps:F3} s");
    }

    /// <summary>Every GEMM of one training step of this decoder (forward NT, backward dX NN and dW TN), timed alone:
    /// GFLOP/s per wall second and per process-CPU second (the steadier figure on a loaded machine).</summary>
    static void GemmShapes(DecodeSuite.DecoderShape s)
    {
        int R = Batch * SeqLen, C = s.Hidden, hd = s.Hidden / 8;
        var layers = new (string Name, int Out, int In, int Count)[]
        {
            ("q/o_proj", 8 * hd, C, 2 * s.Layers), ("k/v_proj", 2 * hd, C, 2 * s.Layers), ("gate/up", s.Intermediate, C, 2 * s.Layers),
            ("down", C, s.Intermediate, s.Layers), ("lm_head", s.Vocab, C, 1),
        };
        Console.WriteLine("#   GEMM (per step count)          trans  M×N×K              wall GFLOP/s  CPU GFLOP/s");
        foreach (var (name, o, i, count) in layers)
            foreach (var (tag, ta, tb, m, n, k) in new[] { ("fwd", false, true, R, o, i), ("dX", false, false, R, i, o), ("dW", true, false, o, i, R) })
            {
                var a = new float[(long)m * k]; var b = new float[(long)k * n]; var c = new float[(long)m * n];
                for (int j = 0; j < a.Length; j++) a[j] = (j % 7) * 0.1f;
                for (int j = 0; j < b.Length; j++) b[j] = (j % 5) * 0.1f;
                int lda = ta ? m : k, ldb = tb ? k : n;
                Rethinker.Tensors.Kernels.Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                int iters = 0;
                long cpu0 = OpProfiler.ProcessCpuNs();
                var sw = Stopwatch.StartNew();
                while (sw.Elapsed.TotalSeconds < 0.3 || iters < 3) { Rethinker.Tensors.Kernels.Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 1f, c, n); iters++; }
                double flop = 2.0 * m * n * k * iters, cpu = (OpProfiler.ProcessCpuNs() - cpu0) / 1e9;
                Console.WriteLine($"#   {name,-8} {tag,-3} ×{count,-3}            {(ta ? "T" : "N")}{(tb ? "T" : "N")}     {m}×{n}×{k,-10} {flop / sw.Elapsed.TotalSeconds / 1e9,10:F1} {flop / cpu / 1e9,12:F1}");
            }
    }

    static List<RolloutSample> Samples(int vocab, Rng rng) => Enumerable.Range(0, Batch).Select(i =>
    {
        var prompt = Enumerable.Range(0, PromptLen).Select(_ => rng.NextInt(vocab - 16)).ToArray();
        var response = Enumerable.Range(0, SeqLen - PromptLen).Select(_ => rng.NextInt(vocab - 16)).ToArray();
        var mask = new float[response.Length];
        Array.Fill(mask, 1f);
        return new RolloutSample
        {
            GroupId = $"g{i / 4}", PromptId = $"p{i}", SampleIndex = i, PromptTokenIds = prompt, ResponseTokenIds = response,
            PolicyMask = mask, Text = "", Step = 1, Advantage = rng.NextNormal(),
        };
    }).ToList();

    /// <summary>Median seconds of <paramref name="n"/> timed runs after two warm-up runs (JIT tiering, pools).</summary>
    static double Median(int n, Action run)
    {
        run(); run();
        var t = new List<double>();
        for (int i = 0; i < n; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            t.Add(sw.Elapsed.TotalSeconds);
        }
        t.Sort();
        return t[t.Count / 2];
    }
}
