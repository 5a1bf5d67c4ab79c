// Fixes π_old (and π_ref with a KL term) for fresh samples before any update of the step: one no-grad
// forward per micro-batch, or the generator's temperature-1 log-probs when old_log_probs = rollout.
// Replayed samples are never touched: they keep the log-probs of the policy that produced them.
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Config;

namespace Rethinker.Training.Grpo;

public static class LogProbPhase
{
    public static long FillOldLogProbs(ITrainablePolicy policy, IReadOnlyList<RolloutSample> samples, GrpoOptions o)
    {
        var need = new List<RolloutSample>();
        foreach (var s in samples)
        {
            if (s.OldLogProbs.Length == s.Length) continue;
            if (o.OldLogProbs == OldLogProbSource.Rollout && s.RolloutLogProbs.Length == s.Length) { s.OldLogProbs = s.RolloutLogProbs; continue; }
            need.Add(s);
        }
        return Forward(policy, need, o, (s, lp) => s.OldLogProbs = lp);
    }

    public static long FillRefLogProbs(ITrainablePolicy reference, IReadOnlyList<RolloutSample> samples, GrpoOptions o) =>
        Forward(reference, samples.Where(s => s.RefLogProbs.Length != s.Length).ToList(), o, (s, lp) => s.RefLogProbs = lp);

    static long Forward(ITrainablePolicy policy, List<RolloutSample> samples, GrpoOptions o, Action<RolloutSample, float[]> store)
    {
        long tokens = 0;
        using var _ = Autograd.NoGrad();
        foreach (var (start, count) in MicroBatches.Split(samples, o.MicroBatchSize > 0 ? o.MicroBatchSize : o.MiniBatchSize, o.MicroBatchTokens))
        {
            var part = samples.GetRange(start, count);
            using var lp = policy.ResponseLogProbs(part.Select(s => s.ToSequence()).ToArray());
            var all = lp.Span;
            int expected = part.Sum(s => s.Length);
            if (all.Length != expected) throw new InvalidOperationException($"policy returned {all.Length} log-probs for {expected} response tokens");
            int at = 0;
            foreach (var s in part) { store(s, all.Slice(at, s.Length).ToArray()); at += s.Length; }
            tokens += expected;
        }
        return tokens;
    }
}
