// `train` suite: training throughput of the GRPO update phase (fwd + bwd + AdamW through PolicyUpdater, against
// fixed old log-probs), the no-grad log-prob phase and an SFT step, on the Qwen2-style TINY and SMALL text
// decoders of shared/PERFORMANCE.md (batch 8 × 256 tokens, random weights), beside PyTorch fp32-tuned's training
// tokens/s from that file (not re-measured here). Text-only: rollouts need the KV-cache generator, not on main yet.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Rethinker.Models.Config;
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Optimization;
using Rethinker.Training.Sft;

namespace Rethinker.Bench.Suites;

public sealed class TrainSuite : IBenchSuite
{
    public string Name => "train";

    sealed record Size(string Name, int Hidden, int Layers, int Intermediate, int Vocab, double PyTorchTunedTrain);

    // PERFORMANCE.md: 8 query heads, 2 KV heads, RoPE θ 1e6, tied embeddings, SwiGLU.
    static readonly Size[] Sizes = [new("tiny", 256, 4, 688, 4096, 3412), new("small", 512, 8, 1376, 8192, 720)];
    const int Batch = 8, SeqLen = 256, PromptLen = 32;

    public void Run(BenchReport report)
    {
        bool quick = report.Options.Rest.Contains("--quick");
        string? filter = report.Options.Rest.FirstOrDefault(a => !a.StartsWith("--"));
        int reps = quick ? 2 : 3;
        foreach (var size in Sizes.Where(s => filter is null || s.Name.Contains(filter)))
        {
            var policy = new TextQwenPolicy(QwenVlModel.CreateRandom(Config(size), 1));
            var rng = new Rng(7);
            var samples = Samples(size.Vocab, rng);
            var grpo = new GrpoConfig
            {
                Grpo = new GrpoOptions { MiniBatchSize = Batch, UpdatesPerBatch = 1, MaxNewTokens = SeqLen },
                Optim = new OptimizerOptions { LearningRate = 1e-5f },
            };
            var p = new Dictionary<string, object> { ["model"] = size.Name, ["batch"] = $"{Batch}x{SeqLen}" };
            long seqTokens = (long)Batch * SeqLen;

            double lp = Median(reps + 1, () => { foreach (var s in samples) s.OldLogProbs = []; LogProbPhase.FillOldLogProbs(policy, samples, grpo.Grpo); });
            report.Add("grpo_logprobs", p, report.Options.Threads, seqTokens / lp, "tokens/s");

            var updater = new PolicyUpdater(policy, new OptimizerSetup(policy.NamedParameters(), grpo.Optim, 10), grpo);
            double up = Median(reps + 1, () => updater.Update(samples, 1e-5f, rng));
            report.Add("grpo_update", p, report.Options.Threads, seqTokens / up, "tokens/s",
                reference: size.PyTorchTunedTrain, referenceName: "PyTorch fp32 tuned train (PERFORMANCE.md)");

            var sftCfg = new SftConfig
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
            using var sft = new SftTrainer(sftCfg, policy, new ListSftDataset(examples));
            double st = Median(reps + 1, () => sft.RunStep());
            report.Add("sft_step", p, report.Options.Threads, seqTokens / st, "tokens/s",
                reference: size.PyTorchTunedTrain, referenceName: "PyTorch fp32 tuned train (PERFORMANCE.md)");
            Directory.Delete(sftCfg.Run.OutputDir, recursive: true);
        }
    }

    static List<RolloutSample> Samples(int vocab, Rng rng) => Enumerable.Range(0, Batch).Select(i =>
    {
        var prompt = Enumerable.Range(0, PromptLen).Select(_ => rng.NextInt(vocab)).ToArray();
        var response = Enumerable.Range(0, SeqLen - PromptLen).Select(_ => rng.NextInt(vocab)).ToArray();
        var mask = new float[response.Length];
        Array.Fill(mask, 1f);
        return new RolloutSample
        {
            GroupId = $"g{i / 4}", PromptId = $"p{i}", SampleIndex = i, PromptTokenIds = prompt, ResponseTokenIds = response,
            PolicyMask = mask, Text = "", Step = 1, Advantage = rng.NextNormal(),
        };
    }).ToList();

    /// <summary>Median seconds of <paramref name="n"/> runs after discarding the first (warm-up).</summary>
    static double Median(int n, Action run)
    {
        var t = new List<double>();
        for (int i = 0; i < n; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            if (i > 0) t.Add(sw.Elapsed.TotalSeconds);
        }
        t.Sort();
        return t[t.Count / 2];
    }

    // head_dim = hidden / 8; M-RoPE sections split head_dim / 2 as 1 : 1.5 : 1.5, like Qwen2-VL's [16, 24, 24] of 64.
    static QwenVlConfig Config(Size s) => QwenVlConfig.FromJson(new JsonObject
    {
        ["model_type"] = "qwen2_vl", ["vocab_size"] = s.Vocab, ["hidden_size"] = s.Hidden, ["intermediate_size"] = s.Intermediate,
        ["num_hidden_layers"] = s.Layers, ["num_attention_heads"] = 8, ["num_key_value_heads"] = 2, ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 1e6, ["rope_scaling"] = new JsonObject { ["type"] = "mrope", ["mrope_section"] = new JsonArray(s.Hidden / 64, 3 * s.Hidden / 128, 3 * s.Hidden / 128) },
        ["tie_word_embeddings"] = true, ["initializer_range"] = 0.02,
        ["bos_token_id"] = 1, ["eos_token_id"] = 2, ["image_token_id"] = s.Vocab - 1, ["video_token_id"] = s.Vocab - 2,
        ["vision_start_token_id"] = s.Vocab - 3, ["vision_end_token_id"] = s.Vocab - 4, ["vision_token_id"] = s.Vocab - 5,
        ["vision_config"] = new JsonObject { ["depth"] = 1, ["embed_dim"] = 32, ["num_heads"] = 2, ["mlp_ratio"] = 2, ["hidden_size"] = s.Hidden,
            ["patch_size"] = 14, ["temporal_patch_size"] = 2, ["spatial_merge_size"] = 2, ["in_channels"] = 3, ["hidden_act"] = "quick_gelu" },
    }, $"bench-{s.Name}");

    /// <summary>
    /// Bench-only scorer over the text decoder: log-probs of response tokens from one packed forward; the vision tower is
    /// frozen out of the parameter list (text-only batches). Not a generator: the embedded ITrainablePolicy belongs to the models project.
    /// </summary>
    sealed class TextQwenPolicy(QwenVlModel model) : ITrainablePolicy
    {
        public Tensor ResponseLogProbs(IReadOnlyList<PolicySequence> batch)
        {
            var ids = new List<int>(); var cu = new List<int> { 0 }; var rows = new List<int>(); var targets = new List<int>();
            foreach (var s in batch)
            {
                int start = ids.Count;
                ids.AddRange(s.PromptTokenIds); ids.AddRange(s.ResponseTokenIds);
                cu.Add(ids.Count);
                // position start + P − 1 + t predicts response token t
                for (int t = 0; t < s.ResponseTokenIds.Length; t++) { rows.Add(start + s.PromptTokenIds.Length - 1 + t); targets.Add(s.ResponseTokenIds[t]); }
            }
            var output = model.Forward(new QwenVlInputs(ids.ToArray(), cu.ToArray(), null, []));
            var logits = Ops.IndexSelect(output.Logits, 0, rows.ToArray());   // [N, V]
            return Ops.TokenLogProbs(logits, targets.ToArray());             // [N]
        }

        public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => model.NamedParameters().Where(p => !p.Name.StartsWith("visual.", StringComparison.Ordinal));
        public void Save(string directory) => model.Save(directory);
        public IReadOnlyList<Completion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, CancellationToken ct = default) =>
            throw new NotSupportedException("bench policy scores only");
        public string Decode(ReadOnlySpan<int> tokenIds, bool skipSpecialTokens = true) => string.Join(" ", tokenIds.ToArray());
        public int[] Encode(string text) => throw new NotSupportedException("bench policy scores only");
    }
}
