// Loss → Update phases of a GRPO step: several passes over the step's training set, shuffled into
// mini-batches (one AdamW update each), each split into micro-batches whose gradients accumulate; every
// update is against the old log-probs fixed at rollout time (replayed samples: their stored ones).
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Optimization;

namespace Rethinker.Training.Grpo;

public sealed record UpdateStats(int Updates, long Tokens, double Loss, double PolicyLoss, double Kl, double Nll,
    double ClipLow, double ClipHigh, double ApproxKlOld, double GradNorm, int NllSamples);

public sealed class PolicyUpdater(ITrainablePolicy policy, OptimizerSetup optimizer, GrpoConfig config)
{
    public UpdateStats Update(IReadOnlyList<RolloutSample> train, float lr, Rng rng)
    {
        var o = config.Grpo;
        if (train.Count == 0) return new UpdateStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var lossOptions = new PolicyLossOptions(o.ClipEpsilonLow, o.ClipEpsilonHigh, o.LogRatioClamp, o.KlBeta, config.Rethinking.AuxNllCoef);
        double loss = 0, pg = 0, kl = 0, nll = 0, clipLow = 0, clipHigh = 0, approx = 0, gradNorm = 0;
        int updates = 0, nllSamples = 0;
        long tokens = 0;
        for (int pass = 0; pass < o.UpdatesPerBatch; pass++)
        {
            var order = Enumerable.Range(0, train.Count).ToArray();
            for (int i = order.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            for (int start = 0; start < order.Length; start += o.MiniBatchSize)
            {
                var mini = order.Skip(start).Take(o.MiniBatchSize).Select(i => train[i]).ToArray();
                var pgW = LossWeights.Build(mini.Select(s => s.PolicyMask).ToArray(), o.LossAggregation, o.EffectiveNormLength);
                var nllSel = mini.Select(s => s.Advantage > 0 && s.HasRethinking).ToArray();
                nllSamples += nllSel.Count(b => b);
                var nllW = lossOptions.NllCoef > 0 ? LossWeights.Nll(mini.Select(s => s.Length).ToArray(), nllSel) : null;
                var st = RunMiniBatch(mini, pgW, nllW, lossOptions);
                gradNorm += optimizer.Step(lr);
                updates++;
                tokens += st.Tokens;
                pg += st.PolicyLoss; kl += st.Kl; nll += st.Nll; clipLow += st.ClipLow; clipHigh += st.ClipHigh; approx += st.ApproxKlOld;
                loss += st.PolicyLoss + o.KlBeta * st.Kl + lossOptions.NllCoef * st.Nll;
            }
        }
        double n = updates;
        return new UpdateStats(updates, tokens, loss / n, pg / n, kl / n, nll / n, clipLow / n, clipHigh / n, approx / n, gradNorm / n, nllSamples);
    }

    PolicyLossStats RunMiniBatch(RolloutSample[] mini, float[] pgW, float[]? nllW, PolicyLossOptions lossOptions)
    {
        double pg = 0, kl = 0, nll = 0, low = 0, high = 0, approx = 0;
        int tokens = 0, at = 0;
        foreach (var (start, count) in MicroBatches.Split(mini, config.Grpo.MicroBatchSize, config.Grpo.MicroBatchTokens))
        {
            var part = mini.AsSpan(start, count).ToArray();
            int N = part.Sum(s => s.Length);
            var inputs = new PolicyLossInputs(
                Concat(part, s => Broadcast(s.Advantage, s.Length)),
                Concat(part, s => Checked(s.OldLogProbs, s, "old")),
                pgW.AsSpan(at, N).ToArray(),
                lossOptions.KlBeta > 0 ? Concat(part, s => Checked(s.RefLogProbs, s, "reference")) : null,
                nllW?.AsSpan(at, N).ToArray());
            at += N;
            var logProbs = policy.ResponseLogProbs(part.Select(s => s.ToSequence()).ToArray()); // [N] on the tape
            var (loss, st) = PolicyLoss.Compute(logProbs, inputs, lossOptions);
            if (loss.RequiresGrad) loss.Backward();
            loss.Dispose();
            pg += st.PolicyLoss; kl += st.Kl; nll += st.Nll; low += st.ClipLow; high += st.ClipHigh; approx += st.ApproxKlOld;
            tokens += N;
        }
        return new PolicyLossStats(pg, kl, nll, low, high, approx, tokens);
    }

    static float[] Broadcast(float v, int n) { var a = new float[n]; Array.Fill(a, v); return a; }

    static float[] Checked(float[] values, RolloutSample s, string what) => values.Length == s.Length ? values
        : throw new InvalidOperationException($"sample {s.GroupId}/{s.SampleIndex} has {values.Length} {what} log-probs for {s.Length} tokens");

    static float[] Concat(RolloutSample[] part, Func<RolloutSample, float[]> f) => part.SelectMany(f).ToArray();
}
