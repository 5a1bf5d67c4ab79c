// Gradient-check harness: compares Backward() with central finite differences of L = Σ wᵢ·yᵢ (random fixed w),
// the sum and the differences taken in float64. The forward runs in float32, so the 4-point stencil
// (−L(x+2h) + 8L(x+h) − 8L(x−h) + L(x−2h)) / 12h keeps truncation error O(h⁴) with a step large enough that float32
// rounding stays ~1e-5 relative; the tolerance is scaled to the gradient magnitude.
using Rethinker.Tensors;

namespace Rethinker.Tensors.Tests;

internal static class GradCheck
{
    public static Tensor Rand(Rng rng, float lo, float hi, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = lo + (hi - lo) * rng.NextUniform();
        t.RequiresGrad = true;
        return t;
    }

    public static Tensor Randn(Rng rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = rng.NextNormal();
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Checks d(Σ w·f(inputs))/d input for every input with RequiresGrad.</summary>
    public static void Check(string name, Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 1, double h = 1e-2, double rtol = 2e-3)
    {
        float[] w;
        using (Autograd.NoGrad())
        {
            var y0 = f(inputs);
            var rng = new Rng(seed);
            w = new float[y0.Length];
            for (int i = 0; i < w.Length; i++) w[i] = rng.NextNormal();
        }
        foreach (var x in inputs) x.ReleaseGradForTest();
        var y = f(inputs);
        Assert.True(y.RequiresGrad, $"{name}: output does not require grad");
        var W = Tensor.FromArray(w, y.Shape);
        var loss = Ops.SumAll(Ops.Mul(y, W));
        loss.Backward();
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad is null ? new float[x.Length] : x.Grad.ToArray();
            var numeric = new double[x.Length];
            var xs = x.Data;
            double scale = 0;
            for (int i = 0; i < x.Length; i++)
            {
                float orig = xs[i];
                double L(double d) { xs[i] = (float)(orig + d); double v = Eval(f, inputs, w); xs[i] = orig; return v; }
                double hh = h * Math.Max(1.0, Math.Abs(orig));
                numeric[i] = (-L(2 * hh) + 8 * L(hh) - 8 * L(-hh) + L(-2 * hh)) / (12 * hh);
                scale = Math.Max(scale, Math.Abs(numeric[i]));
            }
            double tol = rtol * Math.Max(1.0, scale);
            for (int i = 0; i < x.Length; i++)
                if (!(Math.Abs(analytic[i] - numeric[i]) <= tol))
                    Assert.Fail($"{name}: input {k} {Shapes(x.Shape)} element {i}: analytic {analytic[i]:G6} vs numeric {numeric[i]:G6} (tol {tol:G3})");
        }
    }

    static double Eval(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] w)
    {
        using (Autograd.NoGrad())
        {
            var y = f(inputs);
            var s = y.Span;
            double acc = 0;
            for (int i = 0; i < s.Length; i++) acc += (double)w[i] * s[i];
            y.Dispose();
            return acc;
        }
    }

    static string Shapes(int[] s) => "[" + string.Join(", ", s) + "]";

    static void ReleaseGradForTest(this Tensor t) => t.ZeroGrad();
}
