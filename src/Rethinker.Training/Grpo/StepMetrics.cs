// The Log phase of a GRPO step: one ordered metrics record with TRL-style slash keys (DESIGN.md §5
// Metrics): rewards per component, accuracy, vanishing-advantage ratios, SSR counts, rethinking rates,
// losses, clip fractions, KL, entropy, grad norm, LR, tokens/s and time per phase.
using Rethinker.Models.Policy;
using Rethinker.Training.Replay;
using Rethinker.Training.Rethinking;

namespace Rethinker.Training.Grpo;

public sealed record PhaseTimes(double Rollout, double Reward, double Rethink, double LogProbs, double Update, double Checkpoint);

public static class StepMetrics
{
    public static Dictionary<string, double> Build(int step, int epoch, IReadOnlyList<RolloutSample> fresh, double rolloutAccuracy,
        GroupStats groups, ReplaySelection selection, RethinkStats rethink, UpdateStats update, float lr, PhaseTimes t,
        long rolloutTokens, long logProbTokens)
    {
        var m = new Dictionary<string, double> { ["step"] = step, ["epoch"] = epoch };
        var rewards = fresh.Select(s => (double)s.Reward).ToArray();
        double mean = rewards.Average();
        m["reward/mean"] = mean;
        m["reward/std"] = Math.Sqrt(rewards.Sum(r => (r - mean) * (r - mean)) / Math.Max(1, rewards.Length - 1));
        foreach (var name in fresh.SelectMany(s => s.RewardComponents.Keys).Distinct().Order(StringComparer.Ordinal))
            m[$"reward/{name}/mean"] = fresh.Average(s => s.RewardComponents.GetValueOrDefault(name));
        m["accuracy/mean"] = fresh.Average(s => s.Correct ? 1.0 : 0.0);
        m["accuracy/rollout"] = rolloutAccuracy;
        var lengths = fresh.Select(s => s.Length).ToArray();
        m["completions/mean_length"] = lengths.Average();
        m["completions/min_length"] = lengths.Min();
        m["completions/max_length"] = lengths.Max();
        m["completions/clipped_ratio"] = fresh.Average(s => s.Finish == FinishReason.Length ? 1.0 : 0.0);

        m["groups/all_correct_ratio"] = groups.AllCorrectRatio;
        m["groups/all_wrong_ratio"] = groups.AllWrongRatio;
        m["groups/mixed_ratio"] = groups.MixedRatio;
        m["groups/effective_ratio"] = groups.EffectiveGroupRatio;
        m["replay/effective_ratio"] = groups.EffectiveSampleRatio;
        m["replay/fresh_effective"] = selection.FreshEffective;
        m["replay/fresh_selected"] = selection.FreshSelected;
        m["replay/replayed"] = selection.ReplaySelected;
        m["replay/train_size"] = selection.Train.Count;
        m["replay/buffer_size"] = selection.BufferSize;
        m["replay/expired"] = selection.Expired;
        m["replay/evicted"] = selection.Evicted;
        m["replay/no_effective_sample"] = selection.IsEmpty ? 1 : 0;

        double n = Math.Max(1, rethink.Responses);
        m["rethink/native_ratio"] = rethink.NativeRethinking / n;
        m["rethink/eligible_ratio"] = rethink.Eligible / n;
        m["rethink/forced_ratio"] = rethink.Forced / n;
        m["rethink/truncated_ratio"] = rethink.Truncated / n;
        m["rethink/kept_ratio"] = rethink.Kept / n;
        m["rethink/improved_ratio"] = rethink.Improved / n;
        m["rethink/kept_of_forced"] = rethink.Forced == 0 ? 0 : rethink.Kept / (double)rethink.Forced;
        m["rethink/skipped_easy_wrong"] = rethink.SkippedEasyWrong;
        foreach (var (kind, count) in rethink.Triggers) m[$"rethink/trigger/{Metrics.Naming.Snake(kind.ToString())}"] = count;
        foreach (var (why, count) in rethink.Rejected) m[$"rethink/rejected/{Metrics.Naming.Snake(why.ToString())}"] = count;

        m["loss/total"] = update.Loss;
        m["loss/policy"] = update.PolicyLoss;
        m["loss/kl"] = update.Kl;
        m["loss/aux_nll"] = update.Nll;
        m["loss/aux_nll_samples"] = update.NllSamples;
        m["clip_ratio/low_mean"] = update.ClipLow;
        m["clip_ratio/high_mean"] = update.ClipHigh;
        m["clip_ratio/region_mean"] = update.ClipLow + update.ClipHigh;
        m["kl"] = update.Kl;
        m["policy/approx_kl_old"] = update.ApproxKlOld;
        // Monte-Carlo entropy estimate: −mean log π_old of the fresh sampled tokens (ITrainablePolicy exposes no full distribution).
        var freshLp = fresh.Where(s => s.OldLogProbs.Length == s.Length).SelectMany(s => s.OldLogProbs).ToArray();
        m["entropy"] = freshLp.Length == 0 ? double.NaN : -freshLp.Average(x => (double)x);
        m["grad_norm"] = update.GradNorm;
        m["learning_rate"] = lr;
        m["updates"] = update.Updates;

        m["tokens/rollout"] = rolloutTokens;
        m["tokens/update"] = update.Tokens;
        m["tokens_per_second/rollout"] = rolloutTokens / Math.Max(1e-9, t.Rollout + t.Rethink);
        m["tokens_per_second/logprobs"] = logProbTokens / Math.Max(1e-9, t.LogProbs);
        m["tokens_per_second/update"] = update.Tokens / Math.Max(1e-9, t.Update);
        m["time/rollout"] = t.Rollout;
        m["time/reward"] = t.Reward;
        m["time/rethink"] = t.Rethink;
        m["time/logprobs"] = t.LogProbs;
        m["time/update"] = t.Update;
        m["time/checkpoint"] = t.Checkpoint;
        m["time/step"] = t.Rollout + t.Reward + t.Rethink + t.LogProbs + t.Update + t.Checkpoint;
        return m;
    }
}
