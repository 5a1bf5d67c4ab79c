using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;

namespace Rethinker.Training.Tests.Grpo;

public class PolicyLossTests
{
    static readonly PolicyLossOptions Clip = new(0.2f, 0.28f, 20f, 0f, 0f);

    static (float Loss, float[] Grad, PolicyLossStats Stats) Run(float[] logp, PolicyLossInputs x, PolicyLossOptions o)
    {
        var p = Tensor.Parameter((float[])logp.Clone(), logp.Length);
        var (loss, stats) = PolicyLoss.Compute(p, x, o);
        float value = loss.Item();
        loss.Backward();
        return (value, p.Grad!.ToArray(), stats);
    }

    [Fact]
    public void ClippedLoss_MatchesHandComputedValuesAndGradient()
    {
        // token 0: ρ = e^0.1 = 1.10517 inside [0.8, 1.28], A = +1 → ℓ = −1.10517, dℓ/dlogp = −ρA = −1.10517
        // token 1: ρ = e^0.5 = 1.64872 > 1.28,  A = +1 → clipped: ℓ = −1.28, gradient 0
        // token 2: ρ = e^0.5 = 1.64872 > 1.28,  A = −1 → min(−1.64872, −1.28) = unclipped: ℓ = +1.64872, grad = +1.64872
        // token 3: ρ = e^−0.5 = 0.60653 < 0.8, A = −1 → clipped: ℓ = +0.8, gradient 0
        // token-mean weights 1/4 each.
        float[] old = [-1f, -1f, -1f, -1f];
        float[] logp = [-0.9f, -0.5f, -0.5f, -1.5f];
        var x = new PolicyLossInputs([1, 1, -1, -1], old, [0.25f, 0.25f, 0.25f, 0.25f], null, null);
        var (loss, grad, st) = Run(logp, x, Clip);
        double r0 = Math.Exp(0.1), r2 = Math.Exp(0.5);
        Assert.Equal((-r0 - 1.28 + r2 + 0.8) / 4, loss, 5);
        Assert.Equal(-r0 / 4, grad[0], 5);
        Assert.Equal(0f, grad[1]);
        Assert.Equal(r2 / 4, grad[2], 5);
        Assert.Equal(0f, grad[3]);
        Assert.Equal(0.25, st.ClipLow, 6);   // token 3
        Assert.Equal(0.25, st.ClipHigh, 6);  // token 1
    }

    [Fact]
    public void SeparateEpsilonLowAndHigh_AreBothHonoured()
    {
        // ρ = e^0.22 = 1.246 is above 1 + 0.2 but below 1 + 0.28: clip-higher leaves it unclipped.
        var x = new PolicyLossInputs([1], [0], [1], null, null);
        var (_, g, _) = Run([0.22f], x, Clip);
        Assert.Equal(-Math.Exp(0.22), g[0], 5);
        var (_, g2, _) = Run([0.22f], x, Clip with { ClipHigh = 0.2f });
        Assert.Equal(0f, g2[0]);
    }

    [Fact]
    public void LogRatioClamp_KeepsStaleSamplesFinite()
    {
        // log ρ = 100 would overflow exp; clamped at 20 and, A < 0, the unclipped branch is taken: ℓ = e^20.
        var x = new PolicyLossInputs([-1], [-101], [1], null, null);
        var (loss, g, _) = Run([-1f], x, Clip);
        Assert.Equal(Math.Exp(20), loss, Math.Exp(20) * 1e-5);
        Assert.Equal(0f, g[0]); // clamp is flat beyond ±20
    }

    [Fact]
    public void K3Kl_MatchesHandValueAndGradient()
    {
        // d = ref − θ = −0.5 → k3 = e^−0.5 + 0.5 − 1 = 0.10653; dk3/dθ = −(e^d − 1) = 0.39347. A = 0 isolates the KL.
        var x = new PolicyLossInputs([0], [-1], [1], [-1.5f], null);
        var (loss, g, st) = Run([-1f], x, Clip with { KlBeta = 0.1f });
        double k3 = Math.Exp(-0.5) + 0.5 - 1;
        Assert.Equal(k3, st.Kl, 5);
        Assert.Equal(0.1 * k3, loss, 5);
        Assert.Equal(0.1 * (1 - Math.Exp(-0.5)), g[0], 5);
    }

    [Fact]
    public void AuxNll_AddsCoefTimesMeanNegativeLogProbOnSelectedTokens()
    {
        var x = new PolicyLossInputs([0, 0, 0], [-1, -2, -3], [0, 0, 0], null, [0.5f, 0.5f, 0f]);
        var (loss, g, st) = Run([-1f, -2f, -3f], x, Clip with { NllCoef = 0.05f });
        Assert.Equal(1.5, st.Nll, 6);
        Assert.Equal(0.05 * 1.5, loss, 6);
        Assert.Equal([-0.025f, -0.025f, 0f], g, new FloatTol(1e-6f));
    }

    [Fact]
    public void Aggregation_TokenMean_SeqMeanTokenMean_SeqMeanTokenSumNorm()
    {
        float[][] masks = [[1, 1, 1], [1, 0]];   // 3 policy tokens, then 1 (the second's last is a masked trigger)
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f, 0f], LossWeights.Build(masks, LossAggregation.TokenMean, 0), new FloatTol(1e-7f));
        Assert.Equal([1f / 6, 1f / 6, 1f / 6, 0.5f, 0f], LossWeights.Build(masks, LossAggregation.SeqMeanTokenMean, 0), new FloatTol(1e-7f));
        Assert.Equal([0.05f, 0.05f, 0.05f, 0.05f, 0f], LossWeights.Build(masks, LossAggregation.SeqMeanTokenSumNorm, 10), new FloatTol(1e-7f));
        Assert.All(LossWeights.Build([[0f, 0f]], LossAggregation.TokenMean, 0), w => Assert.Equal(0f, w));

        // With ρ = 1 everywhere the PG loss is −Σ w·A: per-sequence A = [1, −2].
        var A = new float[] { 1, 1, 1, -2, -2 };
        float Loss(LossAggregation mode) => Run(new float[5], new PolicyLossInputs(A, new float[5], LossWeights.Build(masks, mode, 10), null, null), Clip).Loss;
        Assert.Equal(-(3 * 1 - 2) / 4f, Loss(LossAggregation.TokenMean), 5);            // token mean: (1+1+1−2)/4
        Assert.Equal(-(1 + -2) / 2f, Loss(LossAggregation.SeqMeanTokenMean), 5);        // mean of seq means: (1 + (−2))/2
        Assert.Equal(-((3 * 1) / 10f + (-2) / 10f) / 2, Loss(LossAggregation.SeqMeanTokenSumNorm), 5);
    }

    [Fact]
    public void NllWeights_TokenMeanOverSelectedSequences()
    {
        Assert.Equal([0f, 0f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f], LossWeights.Nll([2, 3, 2], [false, true, true]), new FloatTol(1e-7f));
        Assert.All(LossWeights.Nll([2], [false]), w => Assert.Equal(0f, w));
    }
}
