// The quickstart, end to end in one run directory: synthesize data → train a BPE tokenizer → initialise a tiny
// Qwen2.5-VL → SFT on chain-of-thought traces (a share of them re-check themselves) → evaluate → GRPO with
// Selective Sample Replay and Forced Rethinking → evaluate greedy and with test-time forced rethinking → report.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Rethinker.Data.Rows;
using Rethinker.Data.Synthetic;
using Rethinker.Eval.Runner;
using Rethinker.Models.Generation;
using Rethinker.Models.Policy;
using Rethinker.Models.Tokenization;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Hosting;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;
using Rethinker.Training.Sft;
using Rethinker.Training.Vision;

namespace Rethinker.Cli.Quickstart;

public sealed record PhaseTime(string Phase, double Seconds);

public sealed record QuickstartResult(string RunDir, string ReportPath, IReadOnlyList<PhaseTime> Phases,
    EvalSummary Sft, EvalSummary Rl, EvalSummary RlForced);

public sealed class QuickstartRunner(QuickstartPlan plan, string runDir, TextWriter log)
{
    static readonly string[] QwenSpecials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];
    readonly List<PhaseTime> _phases = [];

    T Phase<T>(string name, Func<T> body)
    {
        log.WriteLine($"── {name}");
        var sw = Stopwatch.StartNew();
        var result = body();
        _phases.Add(new PhaseTime(name, sw.Elapsed.TotalSeconds));
        log.WriteLine($"   {name}: {sw.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    public QuickstartResult Run(CancellationToken ct = default)
    {
        Directory.CreateDirectory(runDir);
        string dataDir = Path.Combine(runDir, "data");
        var (train, heldOut) = Phase("data", () => SynthesizeData(dataDir));
        var tokenizer = Phase("tokenizer", () => TrainTokenizer(train, Path.Combine(runDir, "tokenizer")));
        string initDir = Path.Combine(runDir, "model-init");
        Phase("model init", () =>
        {
            // data synth measured the training images into its manifest (SynthImageStatistics): read them, not the PNGs again
            var stats = SynthImageStatistics.Read(dataDir).Statistics;
            var m = TinyModelFactory.Create(initDir, plan, tokenizer, (ulong)plan.Seed, stats);
            tokenizer.Save(initDir);
            log.WriteLine($"   tiny Qwen2.5-VL: {m.ParameterCount():N0} parameters, vocab {tokenizer.VocabSize}; image mean "
                          + $"[{string.Join(", ", stats.Mean.Select(v => v.ToString("0.000")))}] std [{string.Join(", ", stats.Std.Select(v => v.ToString("0.000")))}]");
            return 0;
        });
        var policy = PolicyLoader.Load(initDir, new GeneratorOptions { MaxBatch = 256, PrefillTokenBudget = 8192 });
        var convert = new RowConversion(tokenizer, PolicyLoader.LoadImageProcessor(initDir), dataDir, w => log.WriteLine("   warning: " + w));
        int[] stops = [tokenizer.RequireId("<|im_end|>"), tokenizer.RequireId("<|endoftext|>")];
        var evalItems = convert.EvalItems(heldOut);

        // A saved model is a complete Hugging Face directory: weights + config, tokenizer, image processor.
        void Export(string name)
        {
            string dir = Path.Combine(runDir, name);
            policy.Save(dir);
            tokenizer.Save(dir);
            File.Copy(Path.Combine(initDir, "preprocessor_config.json"), Path.Combine(dir, "preprocessor_config.json"), overwrite: true);
        }
        var sftExamples = convert.Sft(train, TraceFormat.Cot);
        if (plan.VisionPretrainSteps > 0 && !plan.Blind)
            Phase("vision pretrain", () => { PretrainVision(policy, sftExamples, ct); return 0; });
        Phase("sft", () => { Sft(policy, sftExamples, convert, heldOut, ct); Export("model-sft"); return 0; });
        var sft = Phase("eval sft", () => Evaluate(policy, evalItems, stops, "eval-sft", forced: false));
        // grpo_steps = 0 stops after SFT (a sizing run): the "RL" columns then describe the SFT model.
        var grpoMetrics = new Dictionary<string, List<(double Step, double Value)>>();
        var rl = sft;
        if (plan.GrpoSteps > 0)
        {
            grpoMetrics = Phase("grpo", () => Grpo(policy, convert, train, stops, ct));
            Phase("save", () => { Export("model-rl"); return 0; });
            rl = Phase("eval rl", () => Evaluate(policy, evalItems, stops, "eval-rl", forced: false));
        }
        var rlForced = Phase("eval rl + forced rethinking", () => Evaluate(policy, evalItems, stops, "eval-rl-forced", forced: true));
        string report = Path.Combine(runDir, "report.html");
        QuickstartReport.Write(report, plan, _phases, grpoMetrics, evalItems, sft, rl, rlForced, new VerifierJudge());
        return new QuickstartResult(runDir, report, _phases, sft.Summary, rl.Summary, rlForced.Summary);
    }

    (List<DatasetRow> Train, List<DatasetRow> HeldOut) SynthesizeData(string dataDir)
    {
        var summary = SyntheticGenerator.Generate(dataDir, new SynthOptions
        {
            Count = plan.TrainExamples, HeldOut = plan.HeldOutExamples, Seed = plan.Seed, ImageSize = plan.ImageSize,
            Tasks = plan.Tasks, Difficulties = plan.Difficulties,
        });
        var train = JsonlDatasetReader.Read(Path.Combine(dataDir, "train.jsonl"));
        var heldOut = JsonlDatasetReader.Read(Path.Combine(dataDir, "heldout.jsonl"));
        log.WriteLine($"   {summary.Train} train + {summary.HeldOut} held-out examples ({string.Join(", ", summary.PerTask.Select(kv => $"{kv.Key} {kv.Value}"))})");
        if (!plan.Blind) return ([.. train.Rows], [.. heldOut.Rows]);
        log.WriteLine("   blind baseline: images removed from every question");
        return ([.. train.Rows.Select(WithoutImages)], [.. heldOut.Rows.Select(WithoutImages)]);
    }

    /// <summary>The row as the blind baseline sees it: no images, no placeholder.</summary>
    public static DatasetRow WithoutImages(DatasetRow row) => row with
    {
        Images = [],
        Question = row.Question.Replace(ImagePlaceholders.Token + "\n", "", StringComparison.Ordinal).Replace(ImagePlaceholders.Token, "", StringComparison.Ordinal),
    };

    BpeTokenizer TrainTokenizer(List<DatasetRow> rows, string dir)
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions(plan.VocabSize, QwenSpecials));
        foreach (var r in rows)
        {
            trainer.Feed(r.Question.Replace("<image>", "", StringComparison.Ordinal));
            if (r.Traces?.Cot is { } cot) trainer.Feed(cot);
        }
        foreach (var t in new[] { "\n\nWait", "\n\nWait, does it seem right?", "\n\nWait, let's double check", "\n\nWait, there might be a mistake" })
            trainer.Feed(t);
        var tok = trainer.Train();
        tok = new BpeTokenizer(tok.Model, tok.AddedTokens, tok.Pipeline)
        {
            Config = new TokenizerConfig(null, "<|im_end|>", "<|endoftext|>", null, QwenSpecials.Where(t => t is not "<|im_end|>" and not "<|endoftext|>").ToList(), null,
                new JsonObject { ["tokenizer_class"] = "Qwen2Tokenizer", ["model_max_length"] = 2048, ["clean_up_tokenization_spaces"] = false }),
        };
        tok.Save(dir);
        log.WriteLine($"   {tok.VocabSize} tokens");
        return tok;
    }

    // A from-scratch tower first learns to keep its tokens' content (VisionPretrainer explains why SFT alone does not).
    void PretrainVision(EmbeddedPolicy policy, List<SftExample> examples, CancellationToken ct)
    {
        var images = examples.SelectMany(e => e.Images).ToList();
        var options = new VisionPretrainOptions { Steps = plan.VisionPretrainSteps, Seed = (ulong)plan.Seed };
        int every = Math.Max(1, options.Steps / 4);
        var result = VisionPretrainer.Run(policy.Model, policy.PreprocessImages, images, options,
            (step, loss) => { if (step % every == 0 || step == options.Steps) log.WriteLine($"[vision {step,5}] reconstruction {loss:0.0000}"); }, ct);
        log.WriteLine($"   reconstruction error {result.First:0.000} → {result.Final:0.000} (normalised pixels², {images.Count} images)");
    }

    void Sft(EmbeddedPolicy policy, List<SftExample> examples, RowConversion convert, List<DatasetRow> heldOut, CancellationToken ct)
    {
        var evalExamples = convert.Sft(heldOut.Take(64), TraceFormat.Cot);
        log.WriteLine($"   {examples.Count} examples, mean {examples.Average(e => e.Length):0} tokens");
        var config = new SftConfig
        {
            Run = new RunOptions { OutputDir = Path.Combine(runDir, "sft"), TotalSteps = plan.SftSteps, Seed = (ulong)plan.Seed, Progress = true },
            Sft = new SftOptions { MaxTokensPerBatch = plan.SftTokensPerBatch, EvalEvery = Math.Max(10, plan.SftSteps / 4), EvalMaxExamples = 64 },
            Optim = new OptimizerOptions
            {
                LearningRate = plan.SftLearningRate, Schedule = LrScheduleKind.Cosine, WarmupSteps = Math.Max(1, plan.SftSteps / 20), MinLrRatio = 0.1f,
                WeightDecay = 0.01f, MaxGradNorm = 1f, VisionLrScale = plan.VisionLrScale, VisionWeightDecay = plan.VisionWeightDecay,
            },
            Checkpoint = new CheckpointOptions { EverySteps = plan.SftSteps, KeepLast = 1, ExportModel = false },
        };
        using var trainer = new SftTrainer(config, policy, new ListSftDataset(examples), new ListSftDataset(evalExamples), log);
        trainer.Train(ct);
    }

    Dictionary<string, List<(double Step, double Value)>> Grpo(EmbeddedPolicy policy, RowConversion convert, List<DatasetRow> train, int[] stops, CancellationToken ct)
    {
        var prompts = convert.Prompts(train);
        var config = new GrpoConfig
        {
            Run = new RunOptions { OutputDir = Path.Combine(runDir, "grpo"), TotalSteps = plan.GrpoSteps, Seed = (ulong)plan.Seed, Progress = true },
            Grpo = new GrpoOptions
            {
                RolloutBatchSize = plan.RolloutPrompts, GroupSize = plan.GroupSize, Temperature = 1f, MaxNewTokens = plan.GrpoMaxNewTokens,
                MiniBatchSize = plan.MiniBatch, LossNormLength = plan.GrpoMaxNewTokens,
            },
            Rethinking = new RethinkingOptions { MinContinuationTokens = 8, MaxContinuationTokens = plan.GrpoMaxNewTokens, MaxTotalTokens = 2 * plan.GrpoMaxNewTokens },
            Optim = new OptimizerOptions { LearningRate = plan.GrpoLearningRate, Beta1 = 0.9f, Beta2 = 0.95f, MaxGradNorm = 1f, VisionLrScale = plan.VisionLrScale },
            Checkpoint = new CheckpointOptions { EverySteps = plan.GrpoSteps, KeepLast = 1, ExportModel = false },
        };
        using var trainer = new GrpoTrainer(config, policy, new ListPromptDataset(prompts), VerifierReward.Accuracy(invalidReward: -0.1),
            new SamplingOptions { StopTokenIds = stops }, progress: log);
        trainer.Train(ct);
        return MetricsFile.Read(Path.Combine(runDir, "grpo", "metrics.jsonl"));
    }

    (IReadOnlyList<Prediction> Predictions, EvalSummary Summary) Evaluate(EmbeddedPolicy policy, List<EvalItem> items, int[] stops, string name, bool forced)
    {
        var judge = new VerifierJudge();
        var options = new EvalOptions { MaxNewTokens = plan.EvalMaxNewTokens, StopTokenIds = stops, ForcedRethinking = forced };
        var (predictions, summary) = new BenchmarkRunner(policy, judge).Run(items, options);
        EvalOutputWriter.Write(Path.Combine(runDir, name), $"Rethinker quickstart — {name}", items, predictions, summary, judge);
        log.WriteLine($"   accuracy {summary.Accuracy:0.000} ({string.Join(", ", summary.PerCategory.Select(c => $"{c.Category} {c.Accuracy:0.00}"))}); "
                      + $"rethinking {summary.RethinkingRatio:0.00}; mean length {summary.MeanResponseTokens:0}");
        return (predictions, summary);
    }
}
