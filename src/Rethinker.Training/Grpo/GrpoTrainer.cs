// The GRPO trainer (DESIGN.md §5): each step runs Rollout → Score → Rethink → Advantage → Select (SSR)
// → Loss/Update → Log, each a small type of this folder. Rethink precedes Advantage because forced
// rethinking replaces responses within their group before advantages are computed (VL-Rethinker §3.3).
// Checkpoints hold parameters, optimizer, RNG, data position and the replay buffer; resume is exact.
using System.Diagnostics;
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Checkpoints;
using Rethinker.Training.Config;
using Rethinker.Training.Metrics;
using Rethinker.Training.Optimization;
using Rethinker.Training.Prompts;
using Rethinker.Training.Replay;
using Rethinker.Training.Rethinking;
using Rethinker.Training.Scoring;

namespace Rethinker.Training.Grpo;

public sealed class GrpoTrainer : IDisposable
{
    readonly GrpoConfig config;
    readonly ITrainablePolicy policy;
    readonly ITrainablePolicy? reference;
    readonly IPromptDataset prompts;
    readonly IRewardFunction reward;
    readonly SamplingOptions baseSampling;
    readonly TextWriter? progress;
    readonly OptimizerSetup optimizer;
    readonly SelectiveSampleReplay replay;
    readonly ForcedRethinking rethinking;
    readonly PolicyUpdater updater;
    readonly CheckpointStore checkpoints;
    DataCursor cursor;
    Rng rng;
    MetricsWriter? metrics;
    bool resumed;

    public int Step { get; private set; }
    public string OutputDir => config.Run.OutputDir;
    public SelectiveSampleReplay Replay => replay;
    public CheckpointStore Checkpoints => checkpoints;

    /// <param name="baseSampling">Stop tokens / strings of the policy's chat template (EOS); temperature and budget come from the config.</param>
    /// <param name="referenceFactory">Loads the frozen KL reference; called only when grpo.kl_beta &gt; 0.</param>
    public GrpoTrainer(GrpoConfig config, ITrainablePolicy policy, IPromptDataset prompts, IRewardFunction reward,
        SamplingOptions? baseSampling = null, Func<ITrainablePolicy>? referenceFactory = null, TextWriter? progress = null)
    {
        config.Validate();
        if (config.Grpo.EntropyCoef > 0)
            throw new ConfigException("grpo.entropy_coef > 0 needs per-token entropies, which ITrainablePolicy does not expose; set it to 0 (entropy is still logged as an estimate).");
        this.config = config; this.policy = policy; this.prompts = prompts; this.reward = reward; this.progress = progress;
        this.baseSampling = baseSampling ?? new SamplingOptions();
        if (config.Grpo.KlBeta > 0)
            reference = (referenceFactory ?? throw new ConfigException("grpo.kl_beta > 0 needs a reference model (model.reference_path or the initial policy)"))();
        optimizer = new OptimizerSetup(policy.NamedParameters(), config.Optim, config.Run.TotalSteps);
        replay = new SelectiveSampleReplay(config.Replay, config.Grpo);
        rethinking = new ForcedRethinking(config.Rethinking, policy, reward);
        updater = new PolicyUpdater(policy, optimizer, config);
        checkpoints = new CheckpointStore(Path.Combine(config.Run.OutputDir, "checkpoints"), config.Checkpoint.KeepLast);
        cursor = new DataCursor(prompts.Count, config.Run.Seed, config.Data.Shuffle);
        rng = new Rng(config.Run.Seed);
    }

    /// <summary>Trains until run.total_steps, writing metrics every step and checkpoints every checkpoint.every_steps and at the end.</summary>
    public void Train(CancellationToken ct = default)
    {
        while (Step < config.Run.TotalSteps)
        {
            ct.ThrowIfCancellationRequested();
            RunStep(ct);
        }
    }

    /// <summary>One GRPO step; returns its metrics (also appended to metrics.jsonl).</summary>
    public Dictionary<string, double> RunStep(CancellationToken ct = default)
    {
        if (metrics is null)
        {
            metrics = new MetricsWriter(Path.Combine(OutputDir, "metrics.jsonl"), resumed ? Step : -1);
            File.WriteAllText(Path.Combine(OutputDir, "config.yaml"), ConfigWriter.ToYaml(config)); // the resolved run config, for reproduction
        }
        int step = Step + 1;
        var o = config.Grpo;
        var sw = Stopwatch.StartNew();

        var indices = cursor.Next(o.RolloutBatchSize, out int episodesStarted);
        for (int e = 0; e < episodesStarted; e++) replay.OnEpisodeStart();
        var batchPrompts = indices.Select(i => prompts[i]).ToArray();
        var rollout = RolloutPhase.Run(policy, batchPrompts, step, o, baseSampling, config.Rethinking.Markers, rng, ct);
        double tRollout = Lap(sw);

        RolloutPhase.Score(rollout.Samples, rollout.PromptsByGroup, reward);
        double rolloutAccuracy = rollout.Samples.Average(s => s.Correct ? 1.0 : 0.0);
        double tReward = Lap(sw);

        var rethink = rethinking.Apply(rollout.Samples, rollout.PromptsByGroup, baseSampling, rng, ct);
        long rethinkTokens = rethink.ContinuationTokens;
        double tRethink = Lap(sw);

        Advantages.Assign(rollout.Samples, o.Advantage, o.AdvantageEpsilon);
        var groups = GroupStats.Of(rollout.Samples, o.ZeroAdvantageTolerance);

        // π_old (and π_ref) are fixed now, before any update, for every sample that may be trained or stored.
        var candidates = config.Replay.Mode == ReplayMode.Grpo ? rollout.Samples
            : rollout.Samples.Where(s => GroupStats.IsEffective(s, o.ZeroAdvantageTolerance)).ToList();
        long lpTokens = LogProbPhase.FillOldLogProbs(policy, candidates, o);
        if (reference is not null) lpTokens += LogProbPhase.FillRefLogProbs(reference, candidates, o);
        double tLogProbs = Lap(sw);

        var selection = replay.Select(rollout.Samples, step, rng);
        float lr = optimizer.Schedule.At(step - 1);
        var update = updater.Update(selection.Train, lr, rng);
        double tUpdate = Lap(sw);

        Step = step;
        double tCheckpoint = 0;
        if ((config.Checkpoint.EverySteps > 0 && step % config.Checkpoint.EverySteps == 0) || step == config.Run.TotalSteps)
        {
            SaveCheckpoint();
            tCheckpoint = Lap(sw);
        }
        var m = StepMetrics.Build(step, cursor.Epoch, rollout.Samples, rolloutAccuracy, groups, selection, rethink, update, lr,
            new PhaseTimes(tRollout, tReward, tRethink, tLogProbs, tUpdate, tCheckpoint), rollout.GeneratedTokens + rethinkTokens, lpTokens);
        metrics.Write(m);
        if (config.Run.DumpSamples) SampleDump.Write(Path.Combine(OutputDir, "samples"), step, rollout.Samples, selection.Train.ToHashSet());
        if (config.Run.Progress) progress?.WriteLine(ProgressLine(m));
        return m;
    }

    public string SaveCheckpoint() => checkpoints.Save(Step, dir =>
    {
        PolicyCheckpoint.Write(dir, policy, optimizer.AdamW);
        SampleSerializer.Write(Path.Combine(dir, "replay.bin"), replay.Buffer.Entries.ToList());
        new TrainerState { Kind = "grpo", Step = Step, Epoch = cursor.Epoch, Offset = cursor.Offset, Rng = rng.GetState() }.Write(dir);
        if (config.Checkpoint.ExportModel) ModelExport.Write(policy, Path.Combine(dir, "model"), config.Model.Path);
    });

    /// <summary>Loads the newest complete checkpoint of the output directory; false when there is none.</summary>
    public bool ResumeFromLatest()
    {
        if (checkpoints.Latest() is not { } dir) return false;
        var state = PolicyCheckpoint.Read(dir, "grpo", "a GRPO", policy, optimizer.AdamW);
        replay.Buffer.Clear();
        replay.Buffer.Add(SampleSerializer.Read(Path.Combine(dir, "replay.bin")));
        cursor = new DataCursor(prompts.Count, config.Run.Seed, config.Data.Shuffle, state.Epoch, state.Offset);
        rng.SetState(state.Rng);
        Step = state.Step;
        resumed = true;
        metrics?.Dispose();
        metrics = null;
        return true;
    }

    static string ProgressLine(Dictionary<string, double> m) =>
        $"[grpo {m["step"],5}] reward {m["reward/mean"],6:F3}  acc {m["accuracy/mean"]:F3}  effective {m["replay/effective_ratio"]:F2}" +
        $"  all-correct {m["groups/all_correct_ratio"]:F2} all-wrong {m["groups/all_wrong_ratio"]:F2}  rethought {m["rethink/kept_ratio"]:F2}" +
        $"  loss {m["loss/total"],8:F4}  |g| {m["grad_norm"]:F3}  {m["time/step"]:F1}s";

    static double Lap(Stopwatch sw) { double s = sw.Elapsed.TotalSeconds; sw.Restart(); return s; }

    public void Dispose() => metrics?.Dispose();
}
