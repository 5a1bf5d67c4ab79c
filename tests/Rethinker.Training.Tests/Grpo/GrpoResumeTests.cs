using Rethinker.Models.Policy;
using Rethinker.Training.Checkpoints;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Metrics;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;
using Rethinker.Training.Tests.Fakes;

namespace Rethinker.Training.Tests.Grpo;

public class GrpoResumeTests
{
    const int V = 6;
    static readonly SamplingOptions Stop = new() { StopTokenIds = [0] };

    static readonly IRewardFunction EndsWithC = new DelegateReward((p, text, _) =>
    {
        bool ok = text.Length > 0 && text[^1] == 'C';
        return RewardOutcome.Of(ok ? 1f : 0f, ok);
    });

    static IPromptDataset Prompts() => new ListPromptDataset(Enumerable.Range(0, 6)
        .Select(i => new TrainingPrompt { Id = $"q{i}", PromptTokenIds = [1 + i % 3], Answer = "C" }).ToArray());

    // Multi-token responses, forced rethinking with letter triggers, SSR with a buffer that persists, 2 epochs over 6 prompts.
    static GrpoConfig Config(string dir) => new()
    {
        Run = new RunOptions { OutputDir = dir, Seed = 5, TotalSteps = 6, Progress = false },
        Grpo = new GrpoOptions { RolloutBatchSize = 2, GroupSize = 6, MaxNewTokens = 4, MiniBatchSize = 5, MicroBatchSize = 2, UpdatesPerBatch = 2 },
        Replay = new ReplayOptions { Mode = ReplayMode.Ssr, TrainBatchSize = 10, Capacity = 20, ExpireAfterSteps = 3 },
        Rethinking = new RethinkingOptions
        {
            Probability = 0.8f, EasyGroupAccuracy = 0.9f, VerificationTriggers = ["B"], QuestioningTriggers = ["DB"], CorrectionTriggers = ["E"],
            MinContinuationTokens = 1, MaxContinuationTokens = 4, MaxTotalTokens = 12, Markers = ["BB"], MaxMarkers = 1,
        },
        Optim = new OptimizerOptions { LearningRate = 0.05f, Schedule = Rethinker.Training.Config.LrScheduleKind.Cosine, WarmupSteps = 2 },
        Checkpoint = new CheckpointOptions { EverySteps = 2, KeepLast = 2, ExportModel = true },
    };

    static string TempDir() => Path.Combine(Path.GetTempPath(), $"rt-resume-{Guid.NewGuid():N}");

    static List<Dictionary<string, double>> Metrics(string dir) => File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"))
        .Select(MetricsWriter.Parse)
        .Select(m => m.Where(kv => !kv.Key.StartsWith("time/", StringComparison.Ordinal) && !kv.Key.StartsWith("tokens_per_second/", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value))
        .ToList();

    [Fact]
    public void StoppedAfterStepKAndResumed_GivesTheSameRunAsUninterrupted()
    {
        string a = TempDir(), b = TempDir();
        var policyA = new ToyBigramPolicy(V);
        using (var t = new GrpoTrainer(Config(a), policyA, Prompts(), EndsWithC, Stop)) t.Train();

        // Run B: dies after step 5 (checkpoint at 4; step 5's metrics line was written), then resumes from step 4.
        using (var t = new GrpoTrainer(Config(b), new ToyBigramPolicy(V), Prompts(), EndsWithC, Stop))
            for (int i = 0; i < 5; i++) t.RunStep();
        var policyB = new ToyBigramPolicy(V);
        List<RolloutSample> bufferB;
        using (var t = new GrpoTrainer(Config(b), policyB, Prompts(), EndsWithC, Stop))
        {
            Assert.True(t.ResumeFromLatest());
            Assert.Equal(4, t.Step);
            t.Train();
            bufferB = t.Replay.Buffer.Entries.ToList();
        }

        var ma = Metrics(a); var mb = Metrics(b);
        Assert.Equal(6, ma.Count);
        Assert.Equal(6, mb.Count);
        for (int s = 0; s < 6; s++)
            foreach (var (k, v) in ma[s])
                Assert.True(Math.Abs(v - mb[s][k]) <= 1e-6 * Math.Max(1, Math.Abs(v)), $"step {s + 1} {k}: {v} vs {mb[s][k]}");
        Assert.Equal(policyA.W.ToArray(), policyB.W.ToArray());

        // The replay buffer at the end is the same list of samples.
        var bufferA = SampleSerializer.Read(Path.Combine(a, "checkpoints", CheckpointStore.DirName(6), "replay.bin"));
        Assert.Equal(bufferA.Select(x => (x.GroupId, x.SampleIndex, x.Advantage)), bufferB.Select(x => (x.GroupId, x.SampleIndex, x.Advantage)));
        Assert.Equal(bufferA.SelectMany(x => x.OldLogProbs), bufferB.SelectMany(x => x.OldLogProbs));
        // The run exercised what it claims to: rethinking kept some, the buffer replayed some.
        Assert.True(ma.Sum(m => m["rethink/kept_ratio"]) > 0, "no rethought sample was kept in 6 steps");
        Assert.True(ma.Sum(m => m["replay/replayed"]) > 0, "nothing was replayed in 6 steps");
        Assert.True(File.Exists(Path.Combine(a, "checkpoints", CheckpointStore.DirName(6), "model", "bigram.json")));
    }

    [Fact]
    public void FailedCheckpointWrite_LeavesPreviousCheckpointLoadable()
    {
        string dir = TempDir();
        using (var t = new GrpoTrainer(Config(dir), new ToyBigramPolicy(V), Prompts(), EndsWithC, Stop))
        {
            t.RunStep(); t.RunStep(); // checkpoint at 2
            t.RunStep();
            // A writer that dies between writing and renaming: leave its half-written directory behind, as SIGKILL would.
            t.Checkpoints.BeforeRename = tmp =>
            {
                string orphan = Path.Combine(Path.GetDirectoryName(tmp)!, ".tmp-step-00000004-killed");
                Directory.CreateDirectory(orphan);
                File.Copy(Path.Combine(tmp, "parameters.bin"), Path.Combine(orphan, "parameters.bin"));
                throw new IOException("injected fault between write and rename");
            };
            Assert.Throws<IOException>(() => t.RunStep());
        }
        var store = new CheckpointStore(Path.Combine(dir, "checkpoints"));
        Assert.EndsWith(CheckpointStore.DirName(2), store.Latest());
        using var resumed = new GrpoTrainer(Config(dir), new ToyBigramPolicy(V), Prompts(), EndsWithC, Stop);
        Assert.True(resumed.ResumeFromLatest());
        Assert.Equal(2, resumed.Step);
        resumed.RunStep(); resumed.RunStep(); // and it goes on, writing step 4 over the debris
        Assert.EndsWith(CheckpointStore.DirName(4), store.Latest());
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "checkpoints"), ".tmp-*"));
    }
}
