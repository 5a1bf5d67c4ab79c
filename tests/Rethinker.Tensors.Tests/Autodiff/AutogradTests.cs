// Tape behaviour: NoGrad records nothing, parameter gradients accumulate across backward calls, intermediates are
// released after Backward (and say so when read), retainGraph keeps them, Backward demands a scalar.
namespace Rethinker.Tensors.Tests.Autodiff;

public class AutogradTests
{
    [Fact]
    public void NoGrad_RecordsNothing_AndNests()
    {
        var w = Tensor.Parameter([2f], 1);
        using (Autograd.NoGrad())
        {
            using (Autograd.NoGrad()) Assert.False(Autograd.IsEnabled);
            Assert.False(Autograd.IsEnabled);
            var y = Ops.Mul(w, w);
            Assert.False(y.RequiresGrad);
        }
        Assert.True(Autograd.IsEnabled);
        Assert.True(Ops.Mul(w, w).RequiresGrad);
    }

    [Fact]
    public void ParameterGrads_AccumulateAcrossBackwardCalls_UntilZeroGrad()
    {
        var w = Tensor.Parameter([3f], 1);
        Ops.SumAll(Ops.Square(w)).Backward();
        Ops.SumAll(Ops.Square(w)).Backward();
        Assert.Equal(12f, w.Grad!.Span[0]);
        w.ZeroGrad();
        Assert.Equal(0f, w.Grad!.Span[0]);
    }

    [Fact]
    public void SharedSubexpression_GetsTheSumOfBothPaths()
    {
        var x = Tensor.Parameter([1.5f, -2f], 2);
        var e = Ops.Exp(x);                          // used twice
        Ops.SumAll(Ops.Add(Ops.Mul(e, e), e)).Backward();
        for (int i = 0; i < 2; i++)
        {
            double ex = Math.Exp(x.Span[i]);
            Assert.Equal(2 * ex * ex + ex, x.Grad!.Span[i], 3);
        }
    }

    [Fact]
    public void Backward_ReleasesIntermediates_WithAClearError_UnlessRetained()
    {
        var w = Tensor.Parameter([1f, 2f], 2);
        var h = Ops.Exp(w);
        var loss = Ops.SumAll(h);
        loss.Backward();
        Assert.Equal(Math.E + Math.Exp(2), loss.Item(), 4);  // the root stays readable
        var ex = Assert.Throws<ObjectDisposedException>(() => h.Span[0]);
        Assert.Contains("Detach()", ex.Message);
        Assert.Contains("Exp", ex.Message);

        var h2 = Ops.Exp(w);
        var l2 = Ops.SumAll(h2);
        l2.Backward(retainGraph: true);
        Assert.Equal(MathF.E, h2.Span[0], 5);
        l2.Backward(); // a second pass over the retained graph adds again
        Assert.Equal(Math.E * 3, w.Grad!.Span[0], 4);
    }

    [Fact]
    public void Backward_OnNonScalar_Throws()
    {
        var w = Tensor.Parameter([1f, 2f], 2);
        var ex = Assert.Throws<InvalidOperationException>(() => Ops.Exp(w).Backward());
        Assert.Contains("[2]", ex.Message);
    }

    [Fact]
    public void Detach_CopiesValues_AndCutsTheTape()
    {
        var w = Tensor.Parameter([1f], 1);
        var d = Ops.Exp(w).Detach();
        Assert.False(d.RequiresGrad);
        Assert.Equal(MathF.E, d.Item(), 5);
    }
}
