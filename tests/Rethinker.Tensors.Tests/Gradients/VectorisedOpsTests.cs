// The vectorised paths of Max (last axis) and same-shape Where against plain scalar loops on every length 1..257
// (all vector tails), with ties, NaN and signed zeros, forward values and gradients.
using Rethinker.Tensors;

namespace Rethinker.Tensors.Tests.Gradients;

public class VectorisedOpsTests
{
    [Fact]
    public void MaxLastAxis_MatchesScalarScan_FirstMaxFirstNaN()
    {
        var rng = new Rng(50);
        for (int n = 1; n <= 257; n++)
            foreach (int variant in new[] { 0, 1, 2 })
            {
                var data = new float[2 * n];
                for (int i = 0; i < data.Length; i++) data[i] = MathF.Round(rng.NextNormal() * 2);   // many ties
                if (variant == 1) { data[rng.NextInt(n)] = float.NaN; data[n + rng.NextInt(n)] = float.NaN; }
                if (variant == 2) { for (int i = 0; i < data.Length; i++) data[i] = -MathF.Abs(data[i]); data[n - 1] = 0f; data[0] = -0f; }
                var x = Tensor.FromArray(data, 2, n);
                x.RequiresGrad = true;
                var y = Ops.Max(x, 1);
                for (int r = 0; r < 2; r++)
                {
                    int best = 0; float bv = data[r * n];
                    for (int j = 1; j < n; j++)
                    {
                        float v = data[r * n + j];
                        if (v > bv || (float.IsNaN(v) && !float.IsNaN(bv))) { bv = v; best = j; }
                    }
                    Assert.Equal(BitConverter.SingleToInt32Bits(bv), BitConverter.SingleToInt32Bits(y.Span[r]));
                    var loss = Ops.SumAll(Ops.Max(x, 1));
                    x.ZeroGrad();
                    loss.Backward();
                    Assert.Equal(1f, x.Grad!.Span[r * n + best]);
                    Assert.Equal(2f, TensorSum(x.Grad!.Span));
                }
            }
    }

    [Fact]
    public void WhereSameShape_MatchesScalarSelect_ValuesAndGradients()
    {
        var rng = new Rng(51);
        for (int n = 0; n <= 257; n++)
        {
            float[] c = new float[n], a = new float[n], b = new float[n], g = new float[n];
            for (int i = 0; i < n; i++)
            {
                c[i] = (i % 5) switch { 0 => 0f, 1 => -0f, 2 => float.NaN, _ => rng.NextNormal() };
                a[i] = rng.NextNormal(); b[i] = rng.NextNormal(); g[i] = rng.NextNormal();
            }
            var ta = Tensor.FromArray(a, n); ta.RequiresGrad = true;
            var tb = Tensor.FromArray(b, n); tb.RequiresGrad = true;
            var y = Ops.Where(Tensor.FromArray(c, n), ta, tb);
            for (int i = 0; i < n; i++) Assert.Equal(c[i] != 0 ? a[i] : b[i], y.Span[i]);
            if (n == 0) continue;
            Ops.SumAll(Ops.Mul(y, Tensor.FromArray(g, n))).Backward();
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(c[i] != 0 ? g[i] : 0f, ta.Grad!.Span[i]);
                Assert.Equal(c[i] != 0 ? 0f : g[i], tb.Grad!.Span[i]);
            }
        }
    }

    static float TensorSum(ReadOnlySpan<float> s) { float t = 0; foreach (var v in s) t += v; return t; }
}
