// Supervised fine-tuning (DESIGN.md §5 SFT): next-token NLL on assistant tokens only, examples packed into
// micro-batches under a token budget, gradients accumulated over sft.gradient_accumulation micro-batches
// with the loss a token mean over all of them, held-out loss, atomic checkpoints and exact resume.
using System.Diagnostics;
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Checkpoints;
using Rethinker.Training.Config;
using Rethinker.Training.Metrics;
using Rethinker.Training.Optimization;
using Rethinker.Training.Prompts;

namespace Rethinker.Training.Sft;

public sealed class SftTrainer : IDisposable
{
    const int PackWindow = 64;
    readonly SftConfig config;
    readonly ITrainablePolicy policy;
    readonly ISftDataset train;
    readonly ISftDataset? eval;
    readonly TextWriter? progress;
    readonly OptimizerSetup optimizer;
    readonly CheckpointStore checkpoints;
    DataCursor cursor;
    MetricsWriter? metrics;
    bool resumed;
    int skippedTooLong;

    public int Step { get; private set; }
    public CheckpointStore Checkpoints => checkpoints;

    public SftTrainer(SftConfig config, ITrainablePolicy policy, ISftDataset train, ISftDataset? eval = null, TextWriter? progress = null)
    {
        config.Validate();
        this.config = config; this.policy = policy; this.train = train; this.eval = eval; this.progress = progress;
        optimizer = new OptimizerSetup(policy.NamedParameters(), config.Optim, config.Run.TotalSteps);
        checkpoints = new CheckpointStore(Path.Combine(config.Run.OutputDir, "checkpoints"), config.Checkpoint.KeepLast);
        cursor = new DataCursor(train.Count, config.Run.Seed, config.Data.Shuffle);
    }

    public void Train(CancellationToken ct = default)
    {
        while (Step < config.Run.TotalSteps)
        {
            ct.ThrowIfCancellationRequested();
            RunStep();
        }
    }

    /// <summary>One optimizer update over gradient_accumulation packed micro-batches.</summary>
    public Dictionary<string, double> RunStep()
    {
        if (metrics is null)
        {
            metrics = new MetricsWriter(Path.Combine(config.Run.OutputDir, "metrics.jsonl"), resumed ? Step : -1);
            File.WriteAllText(Path.Combine(config.Run.OutputDir, "config.yaml"), ConfigWriter.ToYaml(config)); // the resolved run config, for reproduction
        }
        var sw = Stopwatch.StartNew();
        int step = Step + 1;
        var micro = NextMicroBatches(config.Sft.GradientAccumulation);
        var all = micro.SelectMany(b => b).ToList();
        double totalTargets = all.Sum(x => x.Mask.Sum());
        double lossSum = 0;
        long tokens = 0;
        foreach (var batch in micro)
        {
            var (loss, nllSum, n) = Nll(batch, totalTargets);
            loss.Backward();
            loss.Dispose();
            lossSum += nllSum;
            tokens += n;
        }
        float lr = optimizer.Schedule.At(step - 1);
        float gradNorm = optimizer.Step(lr);
        Step = step;
        double tTrain = sw.Elapsed.TotalSeconds;

        var m = new Dictionary<string, double>
        {
            ["step"] = step, ["epoch"] = cursor.Epoch,
            ["loss"] = totalTargets > 0 ? lossSum / totalTargets : 0,
            ["grad_norm"] = gradNorm, ["learning_rate"] = lr,
            ["tokens/target"] = totalTargets, ["tokens/total"] = tokens, ["examples"] = all.Count, ["examples/skipped_too_long"] = skippedTooLong,
            ["tokens_per_second/train"] = tokens / Math.Max(1e-9, tTrain), ["time/train"] = tTrain,
        };
        bool last = step == config.Run.TotalSteps;
        if (eval is not null && (last || (config.Sft.EvalEvery > 0 && step % config.Sft.EvalEvery == 0)))
        {
            var t0 = Stopwatch.StartNew();
            m["eval/loss"] = EvalLoss();
            m["time/eval"] = t0.Elapsed.TotalSeconds;
        }
        if (last || (config.Checkpoint.EverySteps > 0 && step % config.Checkpoint.EverySteps == 0)) SaveCheckpoint();
        metrics.Write(m);
        if (config.Run.Progress)
            progress?.WriteLine($"[sft {step,5}] loss {m["loss"]:F4}{(m.TryGetValue("eval/loss", out var el) ? $"  eval {el:F4}" : "")}  lr {lr:E2}  |g| {gradNorm:F3}  {tTrain:F1}s");
        return m;
    }

    /// <summary>Held-out token-mean NLL over assistant tokens (no grad).</summary>
    public double EvalLoss()
    {
        if (eval is null) return double.NaN;
        using var noGrad = Autograd.NoGrad();
        int n = config.Sft.EvalMaxExamples > 0 ? Math.Min(eval.Count, config.Sft.EvalMaxExamples) : eval.Count;
        var items = Enumerable.Range(0, n).Select(i => eval[i].ToPolicySequence()).Where(x => x is not null).Select(x => (x!.Value.Sequence, Mask: x.Value.LossMask)).ToList();
        var batches = Packer.Pack(Enumerable.Range(0, items.Count).ToArray(), i => Len(items[i].Sequence), config.Sft.MaxTokensPerBatch, PackWindow, out _);
        double sum = 0, count = 0;
        foreach (var b in batches)
        {
            var (loss, nllSum, _) = Nll(b.Select(i => items[i]).ToList(), 1);
            loss.Dispose();
            sum += nllSum;
            count += b.Sum(i => items[i].Mask.Sum());
        }
        return count > 0 ? sum / count : double.NaN;
    }

    /// <summary>Loss = Σ −log p · mask / totalTargets for one micro-batch; also its NLL sum and token count.</summary>
    (Tensor Loss, double NllSum, long Tokens) Nll(List<(PolicySequence Sequence, float[] Mask)> batch, double totalTargets)
    {
        var lp = policy.ResponseLogProbs(batch.Select(b => b.Sequence).ToArray());  // [Σ T_resp]
        var mask = batch.SelectMany(b => b.Mask).ToArray();
        var w = mask.Select(v => (float)(v / Math.Max(1, totalTargets))).ToArray();
        var W = Tensor.FromArray(w, w.Length);
        var loss = Ops.Neg(Ops.SumAll(Ops.Mul(lp, W)));
        double nllSum = 0;
        var s = lp.Span;
        for (int t = 0; t < mask.Length; t++) nllSum -= s[t] * mask[t];
        return (loss, nllSum, batch.Sum(b => (long)Len(b.Sequence)));
    }

    /// <summary>Draws examples in data order and packs them until <paramref name="count"/> micro-batches are full.</summary>
    List<List<(PolicySequence Sequence, float[] Mask)>> NextMicroBatches(int count)
    {
        var result = new List<List<(PolicySequence, float[])>>();
        var pending = new List<(PolicySequence Sequence, float[] Mask)>();
        int budget = config.Sft.MaxTokensPerBatch, used = 0;
        while (result.Count < count)
        {
            var idx = cursor.Next(1, out _)[0];
            var ex = train[idx];
            if (ex.Length > config.Sft.EffectiveMaxSequenceLength || ex.ToPolicySequence() is not var (seq, lossMask)) { skippedTooLong++; continue; }
            var item = (Sequence: seq, Mask: lossMask);
            int len = Len(seq);
            if (used + len > budget && pending.Count > 0) { result.Add(pending); pending = []; used = 0; if (result.Count == count) { cursor.Rewind(1); break; } }
            pending.Add(item);
            used += len;
        }
        return result;
    }

    static int Len(PolicySequence s) => s.PromptTokenIds.Length + s.ResponseTokenIds.Length;

    public string SaveCheckpoint() => checkpoints.Save(Step, dir =>
    {
        PolicyCheckpoint.Write(dir, policy, optimizer.AdamW);
        new TrainerState { Kind = "sft", Step = Step, Epoch = cursor.Epoch, Offset = cursor.Offset, Rng = [(ulong)skippedTooLong] }.Write(dir);
        if (config.Checkpoint.ExportModel) ModelExport.Write(policy, Path.Combine(dir, "model"), config.Model.Path);
    });

    public bool ResumeFromLatest()
    {
        if (checkpoints.Latest() is not { } dir) return false;
        var state = PolicyCheckpoint.Read(dir, "sft", "an SFT", policy, optimizer.AdamW);
        cursor = new DataCursor(train.Count, config.Run.Seed, config.Data.Shuffle, state.Epoch, state.Offset);
        skippedTooLong = state.Rng.Length > 0 ? (int)state.Rng[0] : 0;
        Step = state.Step;
        resumed = true;
        metrics?.Dispose();
        metrics = null;
        return true;
    }

    public void Dispose() => metrics?.Dispose();
}
