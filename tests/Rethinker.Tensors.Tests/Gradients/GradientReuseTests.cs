// Backward writes a fresh input gradient (Tensor.GradOut) and accumulates into one that exists, and Reshape shares
// its output's gradient buffer: these checks push intermediates through two consumers each (the first consumer's
// backward writes, the second adds) and one op used twice on the same tensor, against float64 finite differences.
using Rethinker.Tensors;
using static Rethinker.Tensors.Tests.GradCheck;

namespace Rethinker.Tensors.Tests.Gradients;

public class GradientReuseTests
{
    [Fact]
    public void Linear_IntermediateFeedingTwoLayers_WritesThenAccumulates()
    {
        var rng = new Rng(40);
        Check("Linear×2", xs =>
        {
            var h = Ops.Tanh(xs[0]);
            return Ops.Add(Ops.Linear(h, xs[1], xs[2]), Ops.Linear(h, xs[3]));
        }, [Rand(rng, -1, 1, 5, 7), Rand(rng, -1, 1, 3, 7), Rand(rng, -1, 1, 3), Rand(rng, -1, 1, 3, 7)]);
    }

    [Fact]
    public void ReshapeAlias_ThenAnotherConsumerAddsIntoTheSharedBuffer()
    {
        var rng = new Rng(41);
        Check("Reshape alias", xs =>
        {
            var h = Ops.Tanh(xs[0]);                               // [4, 6]
            var r = Ops.Reshape(Ops.Exp(Ops.Reshape(h, 2, 12)), 4, 6);
            return Ops.Add(Ops.Mul(r, h), Ops.Linear(h, xs[1]).Let(l => Ops.Reshape(l, 4, 6)));
        }, [Rand(rng, -1, 1, 4, 6), Rand(rng, -1, 1, 6, 6)]);
    }

    [Fact]
    public void SameShapeBinaryOps_OnOneTensorTwice()
    {
        var rng = new Rng(42);
        Check("x·x − x + x", xs =>
        {
            var h = Ops.Sigmoid(xs[0]);
            return Ops.Add(Ops.Sub(Ops.Mul(h, h), h), Ops.Sub(h, Ops.Scale(h, 3f)));
        }, [Rand(rng, -2, 2, 3, 17)]);
    }

    [Fact]
    public void RmsNormSwiGluRope_IntermediatesWithTwoConsumers()
    {
        var rng = new Rng(43);
        var cos = Rand(rng, -1, 1, 3, 6); var sin = Rand(rng, -1, 1, 3, 6);
        cos.RequiresGrad = false; sin.RequiresGrad = false;
        Check("RmsNorm×2", xs =>
        {
            var h = Ops.Tanh(xs[0]);
            return Ops.Add(Ops.RmsNorm(h, xs[1], 1e-6f), Ops.RmsNorm(h, xs[1], 1e-6f));
        }, [Rand(rng, -2, 2, 7, 19), Rand(rng, 0.5f, 1.5f, 19)]);
        Check("SwiGlu(h, h) + SwiGlu(h, exp h)", xs =>
        {
            var h = Ops.Tanh(xs[0]);
            return Ops.Add(Ops.SwiGlu(h, h), Ops.SwiGlu(Ops.Exp(h), h));
        }, [Rand(rng, -2, 2, 5, 21)]);
        Check("Rope×2", xs =>
        {
            var h = Ops.Tanh(xs[0]);
            return Ops.Add(Ops.Rope(h, cos, sin), Ops.Mul(Ops.Rope(h, cos, sin), h));
        }, [Rand(rng, -1, 1, 3, 2, 6)]);
    }

    [Theory]
    [InlineData(true)] [InlineData(false)]
    public void Attention_QueryKeyValueOneTensor_AndReusedOutput(bool causal)
    {
        var rng = new Rng(44);
        int[] cu = [0, 3, 7];
        Check($"Attention(h, h, h) causal={causal}", xs =>
        {
            var h = Ops.Tanh(xs[0]);   // [7, 2, 4]
            var o = Ops.Attention(h, h, Ops.Exp(h), cu, cu, causal);
            return Ops.Add(o, Ops.Attention(o, h, h, cu, cu, causal));
        }, [Rand(rng, -1, 1, 7, 2, 4)]);
    }

    [Fact]
    public void TokenLogProbs_WithZeroRowGradients_AndTwoConsumers()
    {
        var rng = new Rng(45);
        var mask = Tensor.FromArray([1f, 0f, 1f, 0f, 1f], 5);
        Check("TokenLogProbs masked", xs =>
        {
            var h = Ops.Scale(Ops.Tanh(xs[0]), 3f);
            return Ops.Mul(Ops.TokenLogProbs(h, [1, 0, 4, 4, 2]), mask);   // rows 1 and 3 get zero gradient
        }, [Rand(rng, -1, 1, 5, 6)]);
        Check("TokenLogProbs×2 + CrossEntropy", xs =>
        {
            var h = Ops.Scale(Ops.Tanh(xs[0]), 3f);
            var a = Ops.TokenLogProbs(h, [1, 0, 4, 4, 2]);
            return Ops.Add(Ops.Add(a, Ops.TokenLogProbs(h, [0, 0, 1, 5, 3])), Ops.CrossEntropy(h, [2, -100, 4, 1, -100]));
        }, [Rand(rng, -1, 1, 5, 6)]);
    }

    [Fact]
    public void MatMul_SharedOperandsAcrossTheBatch_WriteOnceThenAccumulate()
    {
        var rng = new Rng(46);
        Check("MatMul batched A × shared B, twice", xs =>
        {
            var a = Ops.Tanh(xs[0]);   // [2, 3, 4]
            var b = Ops.Tanh(xs[1]);   // [4, 5]
            return Ops.Add(Ops.MatMul(a, b), Ops.MatMul(a, b));
        }, [Rand(rng, -1, 1, 2, 3, 4), Rand(rng, -1, 1, 4, 5)]);
        Check("MatMul shared A × batched Bᵀ", xs =>
        {
            var a = Ops.Tanh(xs[0]);   // [3, 4] shared
            var b = Ops.Tanh(xs[1]);   // [2, 5, 4]
            return Ops.MatMul(a, b, transB: true);
        }, [Rand(rng, -1, 1, 3, 4), Rand(rng, -1, 1, 2, 5, 4)]);
    }
}

internal static class TensorLet
{
    public static Tensor Let(this Tensor t, Func<Tensor, Tensor> f) => f(t);
}
