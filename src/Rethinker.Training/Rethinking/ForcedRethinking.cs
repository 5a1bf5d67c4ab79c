// Forced rethinking (VL-Rethinker §3.3, DESIGN.md §5): picks eligible responses, cuts y1 before its
// conclusion, appends a trigger, continues with the same images at temperature 0.9, keeps only correct,
// bounded continuations (≤ 2 per prompt) and replaces the original in its group BEFORE advantages.
// The trigger tokens are masked out of the policy-gradient term unless mask_trigger_tokens is false.
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Prompts;
using Rethinker.Training.Scoring;

namespace Rethinker.Training.Rethinking;

public sealed class ForcedRethinking(RethinkingOptions options, IGenerator generator, IRewardFunction reward)
{
    sealed record Candidate(RolloutSample Sample, TrainingPrompt Prompt, int[] Y1Tokens, int[] TriggerTokens, TriggerKind Kind);

    /// <summary>
    /// Rethinks a scored rollout batch in place: samples [B·G] in group order, prompts by GroupId.
    /// <paramref name="baseSampling"/> supplies the stop tokens/strings; temperature and budget come from the options.
    /// </summary>
    public RethinkStats Apply(IReadOnlyList<RolloutSample> samples, IReadOnlyDictionary<string, TrainingPrompt> promptsByGroup,
        SamplingOptions baseSampling, Rng rng, CancellationToken ct = default)
    {
        var stats = new RethinkStats { Responses = samples.Count };
        foreach (var s in samples) if (s.NativeMarkers > 0) stats.NativeRethinking++;
        if (!options.Enabled) return stats;

        var candidates = new List<Candidate>();
        foreach (var group in samples.GroupBy(s => s.GroupId))
        {
            var members = group.ToArray();
            double accuracy = members.Count(s => s.Correct) / (double)members.Length;
            bool easy = accuracy > options.EasyGroupAccuracy;
            foreach (var s in members)
            {
                if (TryMakeCandidate(s, promptsByGroup[s.GroupId], easy, rng, stats) is { } c) candidates.Add(c);
            }
        }
        if (candidates.Count == 0) return stats;

        var requests = candidates.Select(c => new GenerationRequest
        {
            Id = $"{c.Sample.GroupId}/{c.Sample.SampleIndex}/rethink",
            PromptTokenIds = c.Sample.PromptTokenIds,
            Images = c.Sample.Images,
            PrefixTokenIds = [.. c.Y1Tokens, .. c.TriggerTokens],
            N = 1,
            Seed = NextSeed(rng),
        }).ToArray();
        var sampling = baseSampling with { Temperature = options.Temperature, MaxNewTokens = options.MaxContinuationTokens };
        var completions = generator.Generate(requests, sampling, ct);
        if (completions.Count != requests.Length)
            throw new InvalidOperationException($"forced rethinking: the generator returned {completions.Count} completions for {requests.Length} requests");

        var keptPerGroup = new Dictionary<string, int>();
        for (int i = 0; i < candidates.Count; i++) Judge(candidates[i], completions[i], keptPerGroup, stats);
        return stats;
    }

    Candidate? TryMakeCandidate(RolloutSample s, TrainingPrompt prompt, bool easyGroup, Rng rng, RethinkStats stats)
    {
        if (s.Finish != FinishReason.StopToken) return null;
        if (easyGroup && !s.Correct) { stats.SkippedEasyWrong++; return null; }
        // y1 without its stop token: the continuation follows the text, not the end of turn.
        int[] y1 = s.ResponseTokenIds.Length > 0 ? s.ResponseTokenIds[..^1] : [];
        var (kind, trigger) = TriggerChooser.Choose(options, s.Correct, rng);
        int[] triggerTokens = generator.Encode(trigger);
        if (y1.Length + triggerTokens.Length + options.MinContinuationTokens > options.MaxTotalTokens) return null;
        stats.Eligible++;
        // Draws happen in a fixed order per eligible response, so a resumed run repeats them.
        bool take = rng.NextUniform() < options.Probability;
        bool cut = rng.NextUniform() < options.TruncateProbability;
        if (!take) return null;
        if (cut)
        {
            string y1Text = generator.Decode(y1, skipSpecialTokens: false);
            if (ConclusionCut.Find(y1Text) is int at)
            {
                int k = ConclusionCut.AlignToTokens(y1, at, t => generator.Decode(t, skipSpecialTokens: false));
                if (k > 0) { y1 = y1[..k]; stats.Truncated++; }
            }
        }
        stats.Forced++;
        stats.Triggers[kind]++;
        return new Candidate(s, prompt, y1, triggerTokens, kind);
    }

    void Judge(Candidate c, Completion cont, Dictionary<string, int> keptPerGroup, RethinkStats stats)
    {
        int[] full = [.. c.Y1Tokens, .. c.TriggerTokens, .. cont.TokenIds];
        string text = generator.Decode(full);
        var outcome = reward.Score(c.Prompt, text, cont.Finish);
        int n = cont.TokenIds.Length;
        RethinkRejection? reject =
            options.RequireFinished && cont.Finish == FinishReason.Length ? RethinkRejection.NotFinished
            : n < options.MinContinuationTokens ? RethinkRejection.TooShort
            : n > options.MaxContinuationTokens || full.Length > options.MaxTotalTokens ? RethinkRejection.TooLong
            : RethinkMarkers.Count(cont.Text, options.Markers) > options.MaxMarkers ? RethinkRejection.TooManyMarkers
            : !outcome.Correct ? RethinkRejection.Wrong
            : keptPerGroup.GetValueOrDefault(c.Sample.GroupId) >= options.MaxPerPrompt ? RethinkRejection.PromptLimit
            : null;
        if (reject is { } r) { stats.Rejected[r]++; return; }

        keptPerGroup[c.Sample.GroupId] = keptPerGroup.GetValueOrDefault(c.Sample.GroupId) + 1;
        stats.Kept++;
        stats.ContinuationTokens += n;
        if (!c.Sample.Correct) stats.Improved++;
        Replace(c, full, text, cont.Finish, outcome);
    }

    void Replace(Candidate c, int[] full, string text, FinishReason finish, RewardOutcome outcome)
    {
        var s = c.Sample;
        var mask = new float[full.Length];
        Array.Fill(mask, 1f);
        if (options.MaskTriggerTokens) Array.Clear(mask, c.Y1Tokens.Length, c.TriggerTokens.Length);
        s.OriginalCorrect = s.Correct;
        s.ResponseTokenIds = full;
        s.PolicyMask = mask;
        s.Text = text;
        s.Finish = finish;
        s.RolloutLogProbs = []; // the prefix was fed, not sampled at rollout: old log-probs are recomputed
        s.Rethought = true;
        s.TriggerStart = c.Y1Tokens.Length;
        s.TriggerLength = c.TriggerTokens.Length;
        s.Reward = outcome.Total;
        s.Correct = outcome.Correct;
        s.RewardComponents = outcome.Components;
    }

    internal static ulong NextSeed(Rng rng) => ((ulong)(uint)rng.NextInt(int.MaxValue) << 31) ^ (uint)rng.NextInt(int.MaxValue);
}
