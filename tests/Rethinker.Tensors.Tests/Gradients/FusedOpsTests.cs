// LinearCat and SwiGluCat against their unfused compositions (Linear per weight + Concat; SwiGlu of the two Slices):
// forward values and every input's gradient for a random upstream gradient, over row counts and widths that cover
// empty inputs and vector tails (1..257 columns), plus float64 finite differences for the fused backward itself.
using Rethinker.Tensors;
using static Rethinker.Tensors.Tests.GradCheck;

namespace Rethinker.Tensors.Tests.Gradients;

public class FusedOpsTests
{
    static (float[] Y, float[][] Grads) Run(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] upstream)
    {
        foreach (var t in inputs) t.ZeroGrad();
        var y = f(inputs);
        var yv = y.ToArray();
        Ops.SumAll(Ops.Mul(y, Tensor.FromArray(upstream, y.Shape))).Backward();
        return (yv, inputs.Select(t => t.Grad is null ? new float[t.Length] : t.Grad.ToArray()).ToArray());
    }

    static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]} vs unfused {expected[i]}");
    }

    [Theory]
    [InlineData(0, 8, new[] { 4, 2 }, true)]
    [InlineData(1, 1, new[] { 1 }, false)]
    [InlineData(7, 33, new[] { 16, 5, 5 }, true)]
    [InlineData(70, 64, new[] { 64, 16, 16 }, true)]
    [InlineData(19, 17, new[] { 257, 129 }, false)]
    public void LinearCat_EqualsLinearsThenConcat(int rows, int inF, int[] outs, bool withBias)
    {
        var rng = new Rng((ulong)(rows * 31 + inF));
        var x = Rand(rng, -1, 1, rows, inF);
        var ws = outs.Select(o => Rand(rng, -1, 1, o, inF)).ToArray();
        // biases on every other layer (a null bias slot in the middle as well)
        var bs = outs.Select((o, i) => withBias && i % 2 == 0 ? Rand(rng, -1, 1, o) : null).ToArray();
        var inputs = new[] { x }.Concat(ws).Concat(bs.Where(b => b is not null).Select(b => b!)).ToArray();
        var up = new float[rows * outs.Sum()];
        for (int i = 0; i < up.Length; i++) up[i] = rng.NextNormal();
        var fused = Run(_ => Ops.LinearCat(x, ws, bs), inputs, up);
        var plain = Run(_ => Ops.Concat(ws.Select((w, i) => Ops.Linear(x, w, bs[i])).ToArray(), 1), inputs, up);
        AssertClose(plain.Y, fused.Y, "y");
        for (int k = 0; k < inputs.Length; k++) AssertClose(plain.Grads[k], fused.Grads[k], $"grad of input {k}");
    }

    [Fact]
    public void LinearCat_GradientMatchesFiniteDifferences_AndAccumulatesIntoExistingGrads()
    {
        var rng = new Rng(60);
        Check("LinearCat", xs => Ops.LinearCat(Ops.Tanh(xs[0]), [xs[1], xs[2]], [xs[3], null]).Let(y => Ops.Add(y, Ops.LinearCat(Ops.Tanh(xs[0]), [xs[2], xs[1]], [null, xs[3]]))),
            [Rand(rng, -1, 1, 5, 6), Rand(rng, -1, 1, 3, 6), Rand(rng, -1, 1, 3, 6), Rand(rng, -1, 1, 3)]);
    }

    [Fact]
    public void SwiGluCat_EqualsSwiGluOfTheTwoHalves_AllWidths()
    {
        var rng = new Rng(61);
        for (int n = 0; n <= 257; n += n < 20 ? 1 : 17)
        {
            var x = Rand(rng, -3, 3, 3, 2 * n);
            var up = new float[3 * n];
            for (int i = 0; i < up.Length; i++) up[i] = rng.NextNormal();
            var fused = Run(xs => Ops.SwiGluCat(xs[0]), [x], up);
            var plain = Run(xs => Ops.SwiGlu(Ops.Slice(xs[0], 1, 0, n), Ops.Slice(xs[0], 1, n, n)), [x], up);
            AssertClose(plain.Y, fused.Y, $"n={n} y");
            AssertClose(plain.Grads[0], fused.Grads[0], $"n={n} grad");
        }
        Check("SwiGluCat", xs => { var h = Ops.Tanh(xs[0]); return Ops.Add(Ops.SwiGluCat(h), Ops.Slice(h, 1, 1, 4)); }, [Rand(rng, -2, 2, 3, 8)]);
    }

    [Fact]
    public void LinearCat_BadShapes_ThrowNamingTheOp()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.Contains("LinearCat", Assert.Throws<ArgumentException>(() => Ops.LinearCat(x, [Tensor.Zeros(4, 3), Tensor.Zeros(4, 2)], [null, null])).Message);
        Assert.Contains("bias 0", Assert.Throws<ArgumentException>(() => Ops.LinearCat(x, [Tensor.Zeros(4, 3)], [Tensor.Zeros(3)])).Message);
        Assert.Contains("SwiGluCat", Assert.Throws<ArgumentException>(() => Ops.SwiGluCat(Tensor.Zeros(2, 5))).Message);
    }
}
