// Gradient check of every op against float64 central finite differences (GradCheck), on random shapes that
// include size 1, odd sizes and sizes that are not multiples of the vector width (8/16 floats).
using Rethinker.Tensors;
using static Rethinker.Tensors.Tests.GradCheck;

namespace Rethinker.Tensors.Tests.Gradients;

public class GradientTests
{
    static readonly int[][] Shapes1 = [[1], [7], [17], [3, 5], [2, 1, 9], [4, 33]];

    public static TheoryData<string> Unary => new()
    {
        "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Neg", "Sigmoid", "Tanh", "Silu", "QuickGelu", "Gelu", "GeluTanh",
        "Scale", "AddScalar", "Clamp", "Softmax", "LogSoftmax",
    };

    static Func<Tensor, Tensor> UnaryOp(string op) => op switch
    {
        "Exp" => Ops.Exp, "Log" => Ops.Log, "Sqrt" => Ops.Sqrt,
        "Rsqrt" => Ops.Rsqrt, "Square" => Ops.Square, "Neg" => Ops.Neg,
        "Sigmoid" => Ops.Sigmoid, "Tanh" => Ops.Tanh, "Silu" => Ops.Silu,
        "QuickGelu" => Ops.QuickGelu, "Gelu" => x => Ops.Gelu(x),
        "GeluTanh" => x => Ops.Gelu(x, true), "Scale" => x => Ops.Scale(x, -1.7f),
        "AddScalar" => x => Ops.AddScalar(x, 0.3f), "Clamp" => x => Ops.Clamp(x, -0.5f, 0.6f),
        "Softmax" => Ops.Softmax, "LogSoftmax" => Ops.LogSoftmax,
        _ => throw new ArgumentException(op),
    };

    [Theory, MemberData(nameof(Unary))]
    public void UnaryOp_GradientMatchesFiniteDifferences(string op)
    {
        var rng = new Rng(11);
        bool positive = op is "Log" or "Sqrt" or "Rsqrt";
        foreach (var shape in Shapes1)
        {
            var x = positive ? Rand(rng, 0.5f, 2f, shape) : Rand(rng, -2f, 2f, shape);
            if (op == "Clamp") KeepAwayFrom(x, [-0.5f, 0.6f], 0.05f);
            Check($"{op} {string.Join("x", shape)}", xs => UnaryOp(op)(xs[0]), [x]);
        }
    }

    static void KeepAwayFrom(Tensor x, float[] kinks, float gap)
    {
        var s = x.Span;
        foreach (float k in kinks)
            for (int i = 0; i < s.Length; i++)
                if (Math.Abs(s[i] - k) < gap) s[i] = k + (s[i] >= k ? gap : -gap);
    }

    public static TheoryData<string> Binary => new() { "Add", "Sub", "Mul", "Div" };

    [Theory, MemberData(nameof(Binary))]
    public void BinaryOp_WithBroadcasting_GradientMatchesFiniteDifferences(string op)
    {
        var rng = new Rng(12);
        int[][][] pairs =
        [
            [[5], [5]], [[3, 17], [3, 17]], [[3, 17], [17]], [[3, 1], [1, 5]], [[2, 3, 4], [3, 1]],
            [[1], [4, 3]], [[2, 1, 5], [2, 3, 1]], [[], [3]],
        ];
        foreach (var p in pairs)
        {
            var a = Rand(rng, -2f, 2f, p[0]);
            var b = op == "Div" ? Rand(rng, 0.5f, 2f, p[1]) : Rand(rng, -2f, 2f, p[1]);
            Func<Tensor[], Tensor> f = op switch
            {
                "Add" => xs => Ops.Add(xs[0], xs[1]),
                "Sub" => xs => Ops.Sub(xs[0], xs[1]),
                "Mul" => xs => Ops.Mul(xs[0], xs[1]),
                _ => xs => Ops.Div(xs[0], xs[1]),
            };
            Check($"{op} [{string.Join(",", p[0])}]∘[{string.Join(",", p[1])}]", f, [a, b]);
        }
    }

    [Fact]
    public void SwiGlu_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(13);
        foreach (var shape in Shapes1)
            Check("SwiGlu", xs => Ops.SwiGlu(xs[0], xs[1]), [Rand(rng, -3, 3, shape), Rand(rng, -2, 2, shape)]);
    }

    [Fact]
    public void MatMul_AllTransposeFlagsAndBatching_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(14);
        (int[] a, int[] b)[] cases = [([3, 5], [5, 4]), ([1, 7], [7, 1]), ([2, 3, 5], [2, 5, 2]), ([2, 3, 5], [5, 6]), ([4, 5], [2, 5, 3])];
        foreach (var (sa, sb) in cases)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var a = Rand(rng, -1, 1, ta ? Swap(sa) : sa);
                    var b = Rand(rng, -1, 1, tb ? Swap(sb) : sb);
                    Check($"MatMul {ta}{tb} [{string.Join(",", sa)}]x[{string.Join(",", sb)}]",
                        xs => Ops.MatMul(xs[0], xs[1], ta, tb), [a, b]);
                }
    }

    static int[] Swap(int[] s) { var r = (int[])s.Clone(); (r[^1], r[^2]) = (r[^2], r[^1]); return r; }

    [Fact]
    public void Linear_WithAndWithoutBias_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(15);
        foreach (var (x, o) in new[] { (new[] { 3, 5 }, 4), (new[] { 2, 3, 7 }, 1), (new[] { 1 }, 3), (new[] { 1, 17 }, 9) })
        {
            int I = x[^1];
            Check("Linear+b", xs => Ops.Linear(xs[0], xs[1], xs[2]), [Rand(rng, -1, 1, x), Rand(rng, -1, 1, o, I), Rand(rng, -1, 1, o)]);
            Check("Linear", xs => Ops.Linear(xs[0], xs[1]), [Rand(rng, -1, 1, x), Rand(rng, -1, 1, o, I)]);
        }
    }

    [Fact]
    public void RmsNormAndLayerNorm_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(16);
        foreach (var shape in new[] { new[] { 1, 1 }, new[] { 3, 7 }, new[] { 2, 17 }, new[] { 2, 2, 33 } })
        {
            int C = shape[^1];
            Check("RmsNorm", xs => Ops.RmsNorm(xs[0], xs[1], 1e-6f), [Rand(rng, -2, 2, shape), Rand(rng, 0.5f, 1.5f, C)]);
            if (C > 1)
            {
                Check("LayerNorm", xs => Ops.LayerNorm(xs[0], xs[1], xs[2], 1e-5f),
                    [Rand(rng, -2, 2, shape), Rand(rng, 0.5f, 1.5f, C), Rand(rng, -1, 1, C)]);
                Check("LayerNorm nobias", xs => Ops.LayerNorm(xs[0], xs[1], null, 1e-5f),
                    [Rand(rng, -2, 2, shape), Rand(rng, 0.5f, 1.5f, C)]);
            }
        }
    }

    [Fact]
    public void Rope_GradientMatchesFiniteDifferences_IncludingTables()
    {
        var rng = new Rng(17);
        foreach (var (T, H, D) in new[] { (1, 1, 2), (3, 2, 8), (2, 3, 18) })
            Check($"Rope {T},{H},{D}", xs => Ops.Rope(xs[0], xs[1], xs[2]),
                [Rand(rng, -1, 1, T, H, D), Rand(rng, -1, 1, T, D), Rand(rng, -1, 1, T, D)]);
    }

    [Fact]
    public void IndexingOps_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(18);
        Check("Embedding", xs => Ops.Embedding(xs[0], [2, 0, 2, 4]), [Rand(rng, -1, 1, 5, 3)]);
        Check("IndexSelect0", xs => Ops.IndexSelect(xs[0], 0, [1, 1, 0]), [Rand(rng, -1, 1, 3, 4)]);
        Check("IndexSelect1", xs => Ops.IndexSelect(xs[0], -1, [3, 0]), [Rand(rng, -1, 1, 2, 3, 4)]);
        Check("Gather1", xs => Ops.Gather(xs[0], 1, [0, 2, 2, 1, 1, 1]), [Rand(rng, -1, 1, 2, 3)]);
        Check("Gather0", xs => Ops.Gather(xs[0], 0, [1, 0, 1, 1, 0, 0]), [Rand(rng, -1, 1, 2, 3)]);
    }

    [Fact]
    public void ShapeOps_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(19);
        Check("Concat", xs => Ops.Concat(xs, 1), [Rand(rng, -1, 1, 2, 3), Rand(rng, -1, 1, 2, 1), Rand(rng, -1, 1, 2, 5)]);
        Check("Split", xs => Ops.Split(xs[0], 0, 1, 3)[1], [Rand(rng, -1, 1, 4, 3)]);
        Check("Slice", xs => Ops.Slice(xs[0], 1, 1, 2), [Rand(rng, -1, 1, 2, 4, 3)]);
        Check("Reshape", xs => Ops.Mul(Ops.Reshape(xs[0], 3, -1), xs[1]), [Rand(rng, -1, 1, 2, 6), Rand(rng, -1, 1, 3, 4)]);
        Check("Transpose", xs => Ops.Transpose(xs[0], 0, 2), [Rand(rng, -1, 1, 2, 3, 5)]);
        Check("Permute", xs => Ops.Permute(xs[0], 1, 2, 0), [Rand(rng, -1, 1, 2, 3, 5)]);
    }

    [Fact]
    public void Reductions_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(20);
        foreach (int ax in new[] { 0, 1, -1 })
            foreach (bool keep in new[] { false, true })
            {
                Check("Sum", xs => Ops.Sum(xs[0], ax, keep), [Rand(rng, -1, 1, 3, 1, 5)]);
                Check("Mean", xs => Ops.Mean(xs[0], ax, keep), [Rand(rng, -1, 1, 3, 4, 5)]);
                var m = Distinct(rng, 3, 4, 5);
                Check("Max", xs => Ops.Max(xs[0], ax, keep), [m]);
            }
        Check("SumAll", xs => Ops.SumAll(xs[0]), [Rand(rng, -1, 1, 3, 7)]);
        Check("MeanAll", xs => Ops.MeanAll(xs[0]), [Rand(rng, -1, 1, 3, 7)]);
        Check("MaskedMean", xs => Ops.MaskedMean(xs[0], xs[1]), [Rand(rng, -1, 1, 3, 7), Rand(rng, 0.2f, 1, 3, 7)]);
        var c = Tensor.FromArray([1, 0, 0, 1, 1, 0], 2, 3);
        Check("Where", xs => Ops.Where(c, xs[0], xs[1]), [Rand(rng, -1, 1, 2, 3), Rand(rng, -1, 1, 3)]);
    }

    /// <summary>Values spaced ≥ 0.1 apart, so a finite-difference step never changes the argmax.</summary>
    static Tensor Distinct(Rng rng, params int[] shape)
    {
        var t = Rand(rng, 0, 1, shape);
        var s = t.Span;
        var perm = Enumerable.Range(0, s.Length).OrderBy(_ => rng.NextUniform()).ToArray();
        for (int i = 0; i < s.Length; i++) s[i] = 0.1f * perm[i] - 2f;
        return t;
    }

    [Fact]
    public void Losses_GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(21);
        Check("TokenLogProbs", xs => Ops.TokenLogProbs(xs[0], [3, 0, 16]), [Rand(rng, -3, 3, 3, 17)]);
        Check("TokenLogProbs1", xs => Ops.TokenLogProbs(xs[0], [0]), [Rand(rng, -3, 3, 1, 1)]);
        Check("CrossEntropy", xs => Ops.CrossEntropy(xs[0], [3, -100, 16, 0]), [Rand(rng, -3, 3, 4, 17)]);
        Check("CrossEntropyIgnore7", xs => Ops.CrossEntropy(xs[0], [7, 1], ignoreIndex: 7), [Rand(rng, -3, 3, 2, 9)]);
    }

    public static TheoryData<bool, int, int, int> AttentionCases => new()
    {
        { true, 2, 1, 4 }, { false, 2, 2, 4 }, { true, 4, 2, 3 }, { false, 4, 1, 1 },
    };

    [Theory, MemberData(nameof(AttentionCases))]
    public void Attention_PackedGqa_GradientMatchesFiniteDifferences(bool causal, int Hq, int Hkv, int D)
    {
        var rng = new Rng(22);
        int[] cuQ = [0, 1, 4, 6], cuK = [0, 2, 5, 8]; // unequal lengths, lenK ≥ lenQ (bottom-right causal)
        Check($"Attention causal={causal} Hq={Hq} Hkv={Hkv}", xs => Ops.Attention(xs[0], xs[1], xs[2], cuQ, cuK, causal),
            [Rand(rng, -1, 1, 6, Hq, D), Rand(rng, -1, 1, 8, Hkv, D), Rand(rng, -1, 1, 8, Hkv, D)]);
    }
}

/// <summary>The same gradient checks with every row loop forced into parallel chunks (per-chunk weight-grad buffers).</summary>
public class ParallelRowGradientTests
{
    [Fact]
    public void RowOps_SplitIntoChunks_GradientMatchesFiniteDifferences()
    {
        Rethinker.Tensors.Kernels.Rows.RowParallel.ForceOnThisThread(true);
        try
        {
            var rng = new Rng(30);
            Check("Softmax‖", xs => Ops.Softmax(xs[0]), [Rand(rng, -2, 2, 5, 9)]);
            Check("LogSoftmax‖", xs => Ops.LogSoftmax(xs[0]), [Rand(rng, -2, 2, 5, 9)]);
            Check("RmsNorm‖", xs => Ops.RmsNorm(xs[0], xs[1], 1e-6f), [Rand(rng, -2, 2, 7, 5), Rand(rng, 0.5f, 1.5f, 5)]);
            Check("LayerNorm‖", xs => Ops.LayerNorm(xs[0], xs[1], xs[2], 1e-5f), [Rand(rng, -2, 2, 7, 5), Rand(rng, 0.5f, 1.5f, 5), Rand(rng, -1, 1, 5)]);
            Check("TokenLogProbs‖", xs => Ops.TokenLogProbs(xs[0], [1, 0, 4, 4, 2]), [Rand(rng, -3, 3, 5, 6)]);
            Check("CrossEntropy‖", xs => Ops.CrossEntropy(xs[0], [1, -100, 4, 4, 2]), [Rand(rng, -3, 3, 5, 6)]);
            Check("Rope‖", xs => Ops.Rope(xs[0], xs[1], xs[2]), [Rand(rng, -1, 1, 3, 2, 6), Rand(rng, -1, 1, 3, 6), Rand(rng, -1, 1, 3, 6)]);
            // elementwise ops split in 4096-float blocks: 9000 elements → 3 blocks; check a sample of elements only
            var g = Rand(rng, -3, 3, 9000); var u = Rand(rng, -2, 2, 9000);
            var y = Ops.SwiGlu(g, u);
            var s = Ops.Silu(g);
            for (int i = 0; i < 9000; i += 997)
            {
                float sig = 1f / (1f + MathF.Exp(-g.Span[i]));
                Assert.Equal(g.Span[i] * sig * u.Span[i], y.Span[i], 5);
                Assert.Equal(g.Span[i] * sig, s.Span[i], 5);
            }
            Ops.SumAll(Ops.Add(y, s)).Backward();
            for (int i = 0; i < 9000; i += 997)
            {
                float sig = 1f / (1f + MathF.Exp(-g.Span[i])), d = sig * (1 + g.Span[i] * (1 - sig));
                Assert.Equal(d * u.Span[i] + d, g.Grad!.Span[i], 4);
                Assert.Equal(g.Span[i] * sig, u.Grad!.Span[i], 5);
            }
        }
        finally { Rethinker.Tensors.Kernels.Rows.RowParallel.ForceOnThisThread(false); }
    }
}
