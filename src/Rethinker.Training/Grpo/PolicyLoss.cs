// The GRPO objective on a packed mini-batch (DESIGN.md §5): per token ρ = exp(clamp(logπθ − logπold, ±c)),
// ℓ = −min(ρA, clip(ρ, 1−ε_low, 1+ε_high)A), reduced by aggregation weights; plus β·k3 KL to a frozen
// reference, k3 = e^(ref−θ) − (ref−θ) − 1; plus the auxiliary NLL −logπθ on positive-advantage rethinking
// samples. Inputs are not disposed here: the tape reads them during Backward. Entropy bonus left out (no entropy in ITrainablePolicy).
using Rethinker.Tensors;

namespace Rethinker.Training.Grpo;

/// <summary>Token-aligned inputs of one (micro-)batch, all [N] with N = Σ response lengths.</summary>
public sealed record PolicyLossInputs(float[] Advantages, float[] OldLogProbs, float[] PgWeights, float[]? RefLogProbs, float[]? NllWeights)
{
    public int Tokens => Advantages.Length;
}

public sealed record PolicyLossOptions(float ClipLow, float ClipHigh, float LogRatioClamp, float KlBeta, float NllCoef);

/// <summary>Scalars for the metrics: weighted sums over this batch's tokens, so micro-batch parts add up.</summary>
public sealed record PolicyLossStats(double PolicyLoss, double Kl, double Nll, double ClipLow, double ClipHigh, double ApproxKlOld, int Tokens);

public static class PolicyLoss
{
    /// <summary>logProbs [N] on the tape → scalar loss on the tape, and the batch's statistics.</summary>
    public static (Tensor Loss, PolicyLossStats Stats) Compute(Tensor logProbs, PolicyLossInputs x, PolicyLossOptions o)
    {
        int N = x.Tokens;
        if (logProbs.Length != N) throw new ArgumentException($"PolicyLoss: policy gave {logProbs.Length} log-probs for {N} response tokens");
        var A = Tensor.FromArray(x.Advantages, N);
        var old = Tensor.FromArray(x.OldLogProbs, N);
        var W = Tensor.FromArray(x.PgWeights, N);

        var logRatio = Ops.Clamp(Ops.Sub(logProbs, old), -o.LogRatioClamp, o.LogRatioClamp);  // [N]
        var ratio = Ops.Exp(logRatio);                                                           // [N]
        var surr1 = Ops.Mul(ratio, A);
        var surr2 = Ops.Mul(Ops.Clamp(ratio, 1 - o.ClipLow, 1 + o.ClipHigh), A);
        // min(surr1, surr2) picks a branch per token; the chosen branch carries the gradient (torch.min semantics).
        var take1 = new float[N];
        ReadOnlySpan<float> s1 = surr1.Span, s2 = surr2.Span, r = ratio.Span, lr = logRatio.Span;
        double clipLow = 0, clipHigh = 0, approxKl = 0;
        for (int t = 0; t < N; t++)
        {
            take1[t] = s1[t] <= s2[t] ? 1f : 0f;
            float w = x.PgWeights[t];
            if (x.Advantages[t] < 0 && r[t] < 1 - o.ClipLow) clipLow += w;
            if (x.Advantages[t] > 0 && r[t] > 1 + o.ClipHigh) clipHigh += w;
            approxKl += w * (Math.Exp(-lr[t]) + lr[t] - 1); // k3 of θ against old, same weights
        }
        var cond = Tensor.FromArray(take1, N);
        var pg = Ops.Neg(Ops.Where(cond, surr1, surr2));
        var loss = Ops.SumAll(Ops.Mul(pg, W));
        double pgValue = loss.Item(), klValue = 0, nllValue = 0;

        if (o.KlBeta > 0 && x.RefLogProbs is { } refLp)
        {
            var reference = Tensor.FromArray(refLp, N);
            var d = Ops.Sub(reference, logProbs);                        // ref − θ
            var k3 = Ops.AddScalar(Ops.Sub(Ops.Exp(d), d), -1f);
            var kl = Ops.SumAll(Ops.Mul(k3, W));
            klValue = kl.Item();
            loss = Ops.Add(loss, Ops.Scale(kl, o.KlBeta));
        }
        if (o.NllCoef > 0 && x.NllWeights is { } nw && nw.Any(v => v > 0))
        {
            var U = Tensor.FromArray(nw, N);
            var nll = Ops.Neg(Ops.SumAll(Ops.Mul(logProbs, U)));
            nllValue = nll.Item();
            loss = Ops.Add(loss, Ops.Scale(nll, o.NllCoef));
        }
        return (loss, new PolicyLossStats(pgValue, klValue, nllValue, clipLow, clipHigh, approxKl, N));
    }
}
