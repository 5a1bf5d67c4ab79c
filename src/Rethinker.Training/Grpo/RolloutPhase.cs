// Rollout and Score phases of a GRPO step: each prompt of the batch gets a group id BEFORE replication,
// one request with N = G samples (the generator shares the prefill and image encoding), then every
// response is scored against its prompt's gold answer.
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Prompts;
using Rethinker.Training.Rethinking;
using Rethinker.Training.Scoring;

namespace Rethinker.Training.Grpo;

public sealed record RolloutBatch(List<RolloutSample> Samples, Dictionary<string, TrainingPrompt> PromptsByGroup, long GeneratedTokens);

public static class RolloutPhase
{
    public static RolloutBatch Run(IGenerator generator, IReadOnlyList<TrainingPrompt> prompts, int step, GrpoOptions o,
        SamplingOptions baseSampling, IReadOnlyList<string> markers, Rng rng, CancellationToken ct = default)
    {
        var byGroup = new Dictionary<string, TrainingPrompt>();
        var requests = new GenerationRequest[prompts.Count];
        for (int b = 0; b < prompts.Count; b++)
        {
            string groupId = $"s{step}/p{b}";
            byGroup[groupId] = prompts[b];
            requests[b] = new GenerationRequest
            {
                Id = groupId, PromptTokenIds = prompts[b].PromptTokenIds, Images = prompts[b].Images, N = o.GroupSize,
                Seed = ForcedRethinking.NextSeed(rng),
            };
        }
        var sampling = baseSampling with { Temperature = o.Temperature, TopP = o.TopP, TopK = o.TopK, MaxNewTokens = o.MaxNewTokens };
        var completions = generator.Generate(requests, sampling, ct);
        if (completions.Count != prompts.Count * o.GroupSize)
            throw new InvalidOperationException($"rollout: the generator returned {completions.Count} completions for {prompts.Count} prompts × {o.GroupSize}");

        var samples = new List<RolloutSample>(completions.Count);
        long tokens = 0;
        for (int i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            var req = requests[i / o.GroupSize];
            tokens += c.TokenIds.Length;
            var mask = new float[c.TokenIds.Length];
            Array.Fill(mask, 1f);
            samples.Add(new RolloutSample
            {
                GroupId = req.Id, PromptId = byGroup[req.Id].Id, SampleIndex = i % o.GroupSize,
                PromptTokenIds = req.PromptTokenIds, Images = req.Images, ResponseTokenIds = c.TokenIds, PolicyMask = mask,
                Text = c.Text, Finish = c.Finish, RolloutLogProbs = c.RawLogProbs, Step = step,
                NativeMarkers = RethinkMarkers.Count(c.Text, markers),
            });
        }
        return new RolloutBatch(samples, byGroup, tokens);
    }

    /// <summary>Score phase: reward, correctness and components of every sample.</summary>
    public static void Score(IReadOnlyList<RolloutSample> samples, IReadOnlyDictionary<string, TrainingPrompt> byGroup, IRewardFunction reward)
    {
        foreach (var s in samples)
        {
            var r = reward.Score(byGroup[s.GroupId], s.Text, s.Finish);
            if (!float.IsFinite(r.Total)) throw new InvalidOperationException($"reward function returned {r.Total} for prompt {s.PromptId}: rewards must be finite");
            s.Reward = r.Total;
            s.Correct = r.Correct;
            s.OriginalCorrect = r.Correct;
            s.RewardComponents = r.Components;
        }
    }
}
