// Bad shapes and arguments throw ArgumentException naming the op and both shapes; the NaN/Inf finder names the
// op, tensor and index of the first bad value, and in debug mode stops at the op that produced it.
namespace Rethinker.Tensors.Tests.Autodiff;

public class ErrorTests
{
    static void ThrowsNaming(Action a, params string[] parts)
    {
        var ex = Assert.Throws<ArgumentException>(a);
        foreach (var p in parts) Assert.Contains(p, ex.Message);
    }

    [Fact]
    public void ShapeMismatches_NameTheOpAndBothShapes()
    {
        var a = Tensor.Zeros(2, 3); var b = Tensor.Zeros(4, 5);
        ThrowsNaming(() => Ops.Add(a, b), "Add", "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.Mul(a, Tensor.Zeros(2)), "Mul", "[2, 3]", "[2]");
        ThrowsNaming(() => Ops.MatMul(a, b), "MatMul", "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.Linear(a, b), "Linear", "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.SwiGlu(a, b), "SwiGlu", "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.RmsNorm(a, Tensor.Ones(4), 1e-6f), "RmsNorm", "[4]", "[2, 3]");
        ThrowsNaming(() => Ops.Concat([a, b], 0), "Concat", "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.Reshape(a, 4, 2), "Reshape", "[2, 3]", "[4, 2]");
        ThrowsNaming(() => Ops.MaskedMean(a, b), "MaskedMean", "[2, 3]", "[4, 5]");
        ThrowsNaming(() => Ops.Rope(Tensor.Zeros(2, 1, 4), Tensor.Zeros(3, 4), Tensor.Zeros(3, 4)), "Rope", "[3, 4]", "[2, 1, 4]");
        ThrowsNaming(() => Ops.Attention(Tensor.Zeros(3, 4, 8), Tensor.Zeros(3, 3, 8), Tensor.Zeros(3, 3, 8), [0, 3], [0, 3], true),
            "Attention", "[3, 4, 8]", "[3, 3, 8]");
    }

    [Fact]
    public void BadIndices_NameTheOpAndTheValue()
    {
        var w = Tensor.Zeros(5, 2);
        ThrowsNaming(() => Ops.Embedding(w, [1, 5]), "Embedding", "id 5", "[5, 2]");
        ThrowsNaming(() => Ops.CrossEntropy(w, [0, 1, 0, 1, 9]), "CrossEntropy", "target 9");
        ThrowsNaming(() => Ops.TokenLogProbs(w, [0, 1]), "TokenLogProbs", "2 targets", "[5, 2]");
        ThrowsNaming(() => Ops.Attention(Tensor.Zeros(3, 1, 8), Tensor.Zeros(3, 1, 8), Tensor.Zeros(3, 1, 8), [0, 2], [0, 3], true),
            "cuSeqlensQ");
    }

    [Fact]
    public void FindNonFinite_ReportsTheFirstBadElement()
    {
        var t = Tensor.FromArray([1f, 2f, float.NaN, float.PositiveInfinity, 0f, 0f], 2, 3);
        t.Name = "acts";
        Assert.Equal(2, TensorDebug.FindNonFinite(t.Span));
        var msg = TensorDebug.Describe(t)!;
        Assert.Contains("'acts'", msg);
        Assert.Contains("index 2 = [0, 2]", msg);
        Assert.Null(TensorDebug.Describe(Tensor.Ones(10000)));
        var big = Tensor.Zeros(9000);
        big.Span[8999] = float.NegativeInfinity;
        Assert.Equal(8999, TensorDebug.FindNonFinite(big.Span));
    }

    [Fact]
    public void DebugMode_StopsAtTheOpThatProducedTheNaN()
    {
        TensorDebug.CheckEnabled = true;
        try
        {
            var x = Tensor.FromArray([1f, -1f], 2);
            var ok = Ops.Exp(x);
            var ex = Assert.Throws<NonFiniteException>(() => Ops.Log(Ops.Neg(ok)));
            Assert.Contains("Log", ex.Message);
            Assert.Contains("index 0", ex.Message);
        }
        finally { TensorDebug.CheckEnabled = false; }
    }
}
