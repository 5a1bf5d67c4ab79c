// Forward values against independent computations (gradient checks only prove backward matches forward):
// torch reference numbers for the activations, a naive triple loop for MatMul/Linear, hand-evaluated formulas
// for broadcasting, norms, rope, losses, indexing and shape ops, and a materialised-scores attention.
namespace Rethinker.Tensors.Tests.Gradients;

public class ForwardValueTests
{
    static void Near(double expected, float actual, double tol = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public void Activations_MatchTorchValues()
    {
        var x = Tensor.FromArray([-3f, -0.5f, 0f, 1f, 2.5f], 5);
        // torch's definitions (gelu: ½x(1+erf(x/√2)); approximate='tanh'; silu) evaluated in Python float64 with math.erf
        float[] gelu = [-0.00404969f, -0.15426877f, 0f, 0.84134475f, 2.48447584f];
        float[] geluTanh = [-0.00363739f, -0.15428599f, 0f, 0.84119199f, 2.48491573f];
        float[] silu = [-0.14227762f, -0.18877033f, 0f, 0.73105858f, 2.31035455f];
        for (int i = 0; i < 5; i++)
        {
            Near(gelu[i], Ops.Gelu(x).Span[i], 2e-6);
            Near(geluTanh[i], Ops.Gelu(x, true).Span[i], 2e-6);
            Near(silu[i], Ops.Silu(x).Span[i], 2e-6);
            Near(x.Span[i] / (1 + Math.Exp(-1.702 * x.Span[i])), Ops.QuickGelu(x).Span[i]);
            Near(Math.Tanh(x.Span[i]), Ops.Tanh(x).Span[i]);
            Near(Math.Clamp(x.Span[i], -1, 2), Ops.Clamp(x, -1, 2).Span[i]);
        }
    }

    [Fact]
    public void MatMul_BatchedAndTransposed_MatchesTripleLoop()
    {
        var rng = new Rng(1);
        var a = GradCheck.Rand(rng, -1, 1, 3, 4, 5); var b = GradCheck.Rand(rng, -1, 1, 3, 6, 5); // b stored [N, K]
        var c = Ops.MatMul(a, b, transB: true);
        Assert.Equal(new[] { 3, 4, 6 }, c.Shape);
        for (int z = 0; z < 3; z++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 6; j++)
                {
                    double s = 0;
                    for (int k = 0; k < 5; k++) s += a.Span[(z * 4 + i) * 5 + k] * b.Span[(z * 6 + j) * 5 + k];
                    Near(s, c.Span[(z * 4 + i) * 6 + j]);
                }
        var w = GradCheck.Rand(rng, -1, 1, 6, 5); var bias = GradCheck.Rand(rng, -1, 1, 6);
        var y = Ops.Linear(a, w, bias);
        for (int r = 0; r < 12; r++)
            for (int o = 0; o < 6; o++)
            {
                double s = bias.Span[o];
                for (int k = 0; k < 5; k++) s += a.Span[r * 5 + k] * w.Span[o * 5 + k];
                Near(s, y.Span[r * 6 + o]);
            }
    }

    [Fact]
    public void OpsOnRecycledPoolBuffers_IgnoreTheirOldContents()
    {
        // pooled outputs are uninitialised: fill same-sized buffers with NaN, return them, then run ops that rent them
        for (int i = 0; i < 4; i++) { var junk = Tensor.Full(float.NaN, 3, 4); junk.Dispose(); var j2 = Tensor.Full(float.NaN, 12); j2.Dispose(); }
        var a = Tensor.Ones(3, 2); var b = Tensor.Ones(2, 4);
        Assert.All(Ops.MatMul(a, b).ToArray(), v => Assert.Equal(2f, v));
        Assert.All(Ops.Linear(a, Tensor.Ones(4, 2)).ToArray(), v => Assert.Equal(2f, v));
        Assert.All(Ops.Sum(Tensor.Ones(5, 3, 4), 0).ToArray(), v => Assert.Equal(5f, v));
    }

    [Fact]
    public void Broadcasting_FollowsNumpyRules()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var col = Tensor.FromArray([10, 20], 2, 1);
        var row = Tensor.FromArray([1, 2, 3], 3);
        Assert.Equal(new float[] { 11, 12, 13, 24, 25, 26 }, Ops.Add(a, col).ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 3, 3, 3 }, Ops.Sub(a, row).ToArray());
        Assert.Equal(new float[] { 10, 20, 30, 20, 40, 60 }, Ops.Mul(col, row).ToArray());
        Assert.Equal(new float[] { 1, 1, 1, 4, 2.5f, 2 }, Ops.Div(a, row).ToArray());
        var c = Tensor.FromArray([1, 0], 2, 1);
        Assert.Equal(new float[] { 1, 2, 3, 1, 2, 3 }, Ops.Where(c, a, row).ToArray());
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, Ops.Mul(a, Tensor.Full(2f, 1, 1)).ToArray());
        Assert.Equal(new float[] { 9, 8, 7, 6, 5, 4 }, Ops.Sub(Tensor.Full(10f), a).ToArray());
        Assert.Equal(new[] { 2, 3 }, Ops.Sub(Tensor.Full(10f), a).Shape);
    }

    [Fact]
    public void SoftmaxNormsAndRope_MatchFormulas()
    {
        var x = Tensor.FromArray([1, 2, 3, 1000, 1001, 1002], 2, 3); // the second row overflows without max-subtraction
        var sm = Ops.Softmax(x); var lsm = Ops.LogSoftmax(x);
        double z = Math.Exp(-2) + Math.Exp(-1) + 1;
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 3; i++)
            {
                Near(Math.Exp(i - 2) / z, sm.Span[r * 3 + i]);
                Near(i - 2 - Math.Log(z), lsm.Span[r * 3 + i]);
            }
        var v = Tensor.FromArray([3, 4], 1, 2); var w = Tensor.FromArray([1, 2], 2);
        var rms = Ops.RmsNorm(v, w, 0);
        Near(3 / Math.Sqrt(12.5), rms.Span[0]); Near(8 / Math.Sqrt(12.5), rms.Span[1]);
        var ln = Ops.LayerNorm(v, w, Tensor.FromArray([0.5f, 0.5f], 2), 0);
        Near(-0.5, ln.Span[0]); Near(2.5, ln.Span[1]);
        // rope on one head [a, b, c, d] with halves (a, b), (c, d): y = x·cos + [−c, −d, a, b]·sin
        var q = Tensor.FromArray([1, 2, 3, 4], 1, 1, 4);
        var cos = Tensor.FromArray([0.5f, 0.25f, 0.5f, 0.25f], 1, 4); var sin = Tensor.FromArray([0.1f, 0.2f, 0.1f, 0.2f], 1, 4);
        Assert.Equal(new[] { 1 * 0.5f - 3 * 0.1f, 2 * 0.25f - 4 * 0.2f, 3 * 0.5f + 1 * 0.1f, 4 * 0.25f + 2 * 0.2f },
            Ops.Rope(q, cos, sin).ToArray());
    }

    [Fact]
    public void Losses_MatchLogSoftmaxGather()
    {
        var logits = Tensor.FromArray([1, 2, 3, 0, 0, 0, 5, -5, 0], 3, 3);
        var lp = Ops.TokenLogProbs(logits, [2, 1, 0]);
        double l0 = 3 - Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), l1 = -Math.Log(3), l2 = 5 - Math.Log(Math.Exp(5) + Math.Exp(-5) + 1);
        Near(l0, lp.Span[0]); Near(l1, lp.Span[1]); Near(l2, lp.Span[2]);
        Near(-(l0 + l2) / 2, Ops.CrossEntropy(logits, [2, -100, 0]).Item());
        Assert.Equal(0f, Ops.CrossEntropy(logits, [-100, -100, -100]).Item());
    }

    [Fact]
    public void IndexingShapeAndReductionOps_MatchHandValues()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(new float[] { 3, 1, 6, 4 }, Ops.IndexSelect(x, 1, [2, 0]).ToArray());
        Assert.Equal(new float[] { 2, 1, 6, 6 }, Ops.Gather(x, 1, [1, 0, 2, 2]).ToArray());
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, Ops.Transpose(x, 0, 1).ToArray());
        var y = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        var p = Ops.Permute(y, 2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.Shape);
        Assert.Equal(y.Span[1 * 12 + 2 * 4 + 3], p.Span[3 * 6 + 1 * 3 + 2]);
        Assert.Equal(new float[] { 2, 3, 5, 6 }, Ops.Slice(x, 1, 1, 2).ToArray());
        var parts = Ops.Split(x, 1, 2, 1);
        Assert.Equal(new float[] { 3, 6 }, parts[1].ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6 }, Ops.Concat([x, x], 0).ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 1, 4, 5, 6, 4 }, Ops.Concat([x, Ops.Slice(x, 1, 0, 1)], 1).ToArray());
        Assert.Equal(new float[] { 5, 7, 9 }, Ops.Sum(x, 0).ToArray());
        Assert.Equal(new[] { 2, 1 }, Ops.Mean(x, 1, keepDim: true).Shape);
        Assert.Equal(new float[] { 2, 5 }, Ops.Mean(x, 1).ToArray());
        Assert.Equal(new float[] { 3, 6 }, Ops.Max(x, -1).ToArray());
        Assert.Equal(21f, Ops.SumAll(x).Item());
        Assert.Equal(3.5f, Ops.MeanAll(x).Item());
        Near((1 + 3) / 2.0, Ops.MaskedMean(x, Tensor.FromArray([1, 0, 1, 0, 0, 0], 2, 3)).Item());
        Assert.Equal(new float[] { 0, 2 }, Ops.Embedding(Tensor.FromArray([0, 1, 2, 3], 2, 2), [0, 1]).ToArray()[..1].Concat(new[] { 2f }).ToArray());
    }

    [Fact]
    public void Attention_MatchesMaterialisedScores_CausalBottomRightAndGqa()
    {
        var rng = new Rng(4);
        int Hq = 4, Hkv = 2, D = 8;
        int[] cuQ = [0, 2, 5], cuK = [0, 3, 8];
        var q = GradCheck.Rand(rng, -1, 1, 5, Hq, D); var k = GradCheck.Rand(rng, -1, 1, 8, Hkv, D); var v = GradCheck.Rand(rng, -1, 1, 8, Hkv, D);
        var o = Ops.Attention(q, k, v, cuQ, cuK, causal: true);
        for (int s = 0; s < 2; s++)
        {
            int lq = cuQ[s + 1] - cuQ[s], lk = cuK[s + 1] - cuK[s];
            for (int i = 0; i < lq; i++)
                for (int h = 0; h < Hq; h++)
                {
                    int kh = h / (Hq / Hkv), nk = i + lk - lq + 1;
                    var sc = new double[nk];
                    for (int j = 0; j < nk; j++)
                    {
                        double d = 0;
                        for (int e = 0; e < D; e++) d += q.Span[((cuQ[s] + i) * Hq + h) * D + e] * k.Span[((cuK[s] + j) * Hkv + kh) * D + e];
                        sc[j] = d / Math.Sqrt(D);
                    }
                    double mx = sc.Max(), zz = sc.Sum(t => Math.Exp(t - mx));
                    for (int e = 0; e < D; e++)
                    {
                        double acc = 0;
                        for (int j = 0; j < nk; j++) acc += Math.Exp(sc[j] - mx) / zz * v.Span[((cuK[s] + j) * Hkv + kh) * D + e];
                        Near(acc, o.Span[((cuQ[s] + i) * Hq + h) * D + e], 1e-4);
                    }
                }
        }
    }
}
