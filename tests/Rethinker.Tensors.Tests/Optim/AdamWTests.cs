// AdamW against hand-computed steps (torch.optim.AdamW semantics), exact state round-trip, frozen/no-grad skipping.
using Rethinker.Tensors.Optim;

namespace Rethinker.Tensors.Tests.Optim;

public class AdamWTests
{
    [Fact]
    public void FirstStep_MatchesHandComputedValues()
    {
        // step 1: p ← p(1 − lr·wd); m̂ = g, v̂ = g², so p ← p − lr·g/(|g| + ε) = p − lr·sign(g)
        var p = Tensor.Parameter([1f, -2f], 2);
        p.GradSpanForTest()[0] = 0.5f; p.GradSpanForTest()[1] = -0.1f;
        var opt = new AdamW([("p", p)], new AdamWOptions(0.9f, 0.999f, 1e-8f, 0.01f));
        opt.Step(0.1f);
        Assert.Equal(1f * (1 - 0.001f) - 0.1f, p.Span[0], 5);
        Assert.Equal(-2f * (1 - 0.001f) + 0.1f, p.Span[1], 5);
    }

    [Fact]
    public void ThreeSteps_MatchDoublePrecisionFormula()
    {
        float[] grads = [0.5f, -0.1f, 0.3f, 2f, -1e-3f, 0f];
        var p = Tensor.Parameter([0.7f, -1.3f], 2);
        var opt = new AdamW([("p", p)], new AdamWOptions(0.9f, 0.95f, 1e-6f, 0.1f));
        double[] pe = [0.7, -1.3], m = new double[2], v = new double[2];
        float[] lrs = [0.05f, 0.02f, 0.01f];
        for (int t = 1; t <= 3; t++)
        {
            for (int i = 0; i < 2; i++)
            {
                double g = grads[(t - 1) * 2 + i], lr = lrs[t - 1];
                p.GradSpanForTest()[i] = (float)g;
                pe[i] *= 1 - lr * 0.1;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.95 * v[i] + 0.05 * g * g;
                double mh = m[i] / (1 - Math.Pow(0.9, t)), vh = v[i] / (1 - Math.Pow(0.95, t));
                pe[i] -= lr * mh / (Math.Sqrt(vh) + 1e-6);
            }
            opt.Step(lrs[t - 1]);
            for (int i = 0; i < 2; i++) Assert.Equal(pe[i], p.Span[i], 5);
        }
        Assert.Equal(3, opt.StepCount);
    }

    [Fact]
    public void NoDecay_SkipsWeightDecayForMatchingNames_AndFrozenParametersAreUntouched()
    {
        var a = Tensor.Parameter([1f], 1); var b = Tensor.Parameter([1f], 1); var frozen = Tensor.Parameter([5f], 1);
        a.GradSpanForTest()[0] = 0; b.GradSpanForTest()[0] = 0; frozen.GradSpanForTest()[0] = 1;
        frozen.RequiresGrad = false;
        var opt = new AdamW([("w", a), ("norm.weight", b), ("f", frozen)], new AdamWOptions(WeightDecay: 0.5f, NoDecay: n => n.Contains("norm")));
        opt.Step(0.1f);
        Assert.Equal(0.95f, a.Span[0], 6);
        Assert.Equal(1f, b.Span[0]);
        Assert.Equal(5f, frozen.Span[0]);
    }

    [Fact]
    public void LrScale_ActsAsThatParameterGroupsLearningRate_ForStepAndDecay()
    {
        // A parameter with scale s under lr moves exactly as it would under lr·s; scale 0 leaves it untouched.
        float[] g = [0.5f, -0.2f, 1e-3f];
        Tensor Make() { var t = Tensor.Parameter([0.3f, -0.7f, 2f], 3); g.CopyTo(t.GradSpanForTest()); return t; }
        var scaled = Make(); var plain = Make(); var reference = Make(); var still = Make();
        var opt = new AdamW([("visual.w", scaled), ("model.w", plain), ("visual.z", still)],
            new AdamWOptions(WeightDecay: 0.1f, LrScale: n => n == "visual.z" ? 0f : n.StartsWith("visual.") ? 4f : 1f));
        var refOpt = new AdamW([("w", reference)], new AdamWOptions(WeightDecay: 0.1f));
        for (int step = 0; step < 3; step++)
        {
            opt.Step(0.01f);
            refOpt.Step(0.04f);
            g.CopyTo(scaled.GradSpanForTest()); g.CopyTo(plain.GradSpanForTest()); g.CopyTo(reference.GradSpanForTest()); g.CopyTo(still.GradSpanForTest());
        }
        for (int i = 0; i < 3; i++) Assert.Equal(reference.Span[i], scaled.Span[i], 6);
        Assert.NotEqual(reference.Span[0], plain.Span[0]);
        Assert.Equal([0.3f, -0.7f, 2f], still.Span.ToArray());
    }

    [Fact]
    public void WeightDecayOf_GivesAParameterGroupItsOwnDecay_AndNoDecayStillWins()
    {
        // zero gradients: only the decoupled decay moves the parameters, p ← p·(1 − lr·wd)
        var vision = Tensor.Parameter([1f], 1); var text = Tensor.Parameter([1f], 1); var norm = Tensor.Parameter([1f], 1);
        foreach (var t in new[] { vision, text, norm }) t.GradSpanForTest()[0] = 0;
        var opt = new AdamW([("visual.w", vision), ("model.w", text), ("visual.norm.weight", norm)],
            new AdamWOptions(WeightDecay: 0.1f, NoDecay: n => n.Contains("norm"), WeightDecayOf: n => n.StartsWith("visual.") ? 2f : 0.1f));
        opt.Step(0.1f);
        Assert.Equal(0.8f, vision.Span[0], 6);
        Assert.Equal(0.99f, text.Span[0], 6);
        Assert.Equal(1f, norm.Span[0]);
    }

    [Fact]
    public void LrScale_RejectsNegativeOrNonFiniteScales()
    {
        var p = Tensor.Parameter([1f], 1);
        var e = Assert.Throws<ArgumentException>(() => new AdamW([("visual.w", p)], new AdamWOptions(LrScale: _ => -1f)));
        Assert.Contains("visual.w", e.Message);
    }

    [Fact]
    public void SaveLoad_RoundTripsExactly_SoResumedRunsMatchBitForBit()
    {
        var rng = new Rng(3);
        (AdamW, Tensor) Make()
        {
            var p = Tensor.Parameter([0.1f, 0.2f, -0.3f], 3);
            return (new AdamW([("x.weight", p)], new AdamWOptions(0.9f, 0.95f)), p);
        }
        var (o1, p1) = Make();
        for (int s = 0; s < 3; s++) { for (int i = 0; i < 3; i++) p1.GradSpanForTest()[i] = rng.NextNormal(); o1.Step(0.01f); }
        var ms = new MemoryStream();
        o1.Save(ms);
        var (o2, p2) = Make();
        p1.Span.CopyTo(p2.Span);
        ms.Position = 0;
        o2.Load(ms);
        Assert.Equal(o1.StepCount, o2.StepCount);
        for (int s = 0; s < 2; s++)
        {
            for (int i = 0; i < 3; i++) { float g = rng.NextNormal(); p1.GradSpanForTest()[i] = g; p2.GradSpanForTest()[i] = g; }
            o1.Step(0.01f); o2.Step(0.01f);
        }
        Assert.Equal(p1.ToArray(), p2.ToArray());
        var st = o1.ExportState();
        var (o3, _) = Make();
        o3.ImportState(st);
        Assert.Equal(st.M["x.weight"], o3.ExportState().M["x.weight"]);
    }

    [Fact]
    public void Load_RejectsStateOfAnotherModel()
    {
        var (a, b) = (Tensor.Parameter([1f], 1), Tensor.Parameter([1f, 2f], 2));
        var ms = new MemoryStream();
        new AdamW([("a", a)]).Save(ms);
        ms.Position = 0;
        var ex = Assert.Throws<ArgumentException>(() => new AdamW([("b", b)]).Load(ms));
        Assert.Contains("'b'", ex.Message);
    }

    [Fact]
    public void ClipGlobalNorm_ReturnsPreClipNorm_AndScalesToMaxNorm()
    {
        var a = Tensor.Parameter([0f, 0f], 2); var b = Tensor.Parameter([0f], 1);
        a.GradSpanForTest()[0] = 3; a.GradSpanForTest()[1] = 0; b.GradSpanForTest()[0] = 4;
        float norm = GradClip.ClipGlobalNorm([a, b], 1f);
        Assert.Equal(5f, norm, 5);
        Assert.Equal(0.6f, a.Grad!.Span[0], 5);
        Assert.Equal(0.8f, b.Grad!.Span[0], 5);
        Assert.Equal(1f, GradClip.ClipGlobalNorm([a, b], 2f), 5); // under the limit: untouched
        Assert.Equal(0.6f, a.Grad!.Span[0], 5);
    }
}

public class AdamWVectorTests
{
    [Fact]
    public void VectorAndScalarPaths_GiveTheSameUpdate_AllLengths()
    {
        var rng = new Rng(8);
        foreach (var width in new[] { Rethinker.Tensors.Kernels.Rows.SimdWidth.V512, Rethinker.Tensors.Kernels.Rows.SimdWidth.V256 })
            for (int n = 0; n <= 67; n++)
            {
                float[] p = new float[n], g = new float[n], m = new float[n], v = new float[n];
                for (int i = 0; i < n; i++) { p[i] = rng.NextNormal(); g[i] = rng.NextNormal(); m[i] = 0.1f * rng.NextNormal(); v[i] = rng.NextUniform(); }
                float[] p2 = (float[])p.Clone(), m2 = (float[])m.Clone(), v2 = (float[])v.Clone();
                Rethinker.Tensors.Kernels.Rows.Simd.ForceOnThisThread(Rethinker.Tensors.Kernels.Rows.SimdWidth.Scalar);
                AdamW.UpdateRow(p, g, m, v, 0.9f, 0.95f, 0.999f, 0.01f, 0.3f, 1e-8f);
                Rethinker.Tensors.Kernels.Rows.Simd.ForceOnThisThread(width);
                AdamW.UpdateRow(p2, g, m2, v2, 0.9f, 0.95f, 0.999f, 0.01f, 0.3f, 1e-8f);
                Rethinker.Tensors.Kernels.Rows.Simd.ForceOnThisThread(null);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(m[i], m2[i], 6);
                    Assert.Equal(v[i], v2[i], 6);
                    Assert.True(Math.Abs(p[i] - p2[i]) <= 1e-6f * Math.Max(1, Math.Abs(p[i])), $"n={n} i={i}: {p[i]} vs {p2[i]}");
                }
            }
    }

    [Fact]
    public void ParallelChunkedStepWithZeroGrad_EqualsTheSerialUpdateBitForBit()
    {
        // 150 001 floats: three 64K chunks and a ragged one, split over the worker pool
        const int n = 150_001;
        var rng = new Rng(9);
        var init = new float[n]; var grad = new float[n];
        for (int i = 0; i < n; i++) { init[i] = rng.NextNormal(); grad[i] = rng.NextNormal() * 0.1f; }
        var p = Tensor.Parameter((float[])init.Clone(), n);
        grad.CopyTo(p.GradSpanForTest());
        var frozen = Tensor.Parameter([1f, 2f], 2);
        frozen.GradSpanForTest()[0] = 5f;
        frozen.RequiresGrad = false;
        var opt = new AdamW([("p", p), ("frozen", frozen)], new AdamWOptions(0.9f, 0.95f, 1e-8f, 0.1f));
        Rethinker.Tensors.Kernels.Rows.RowParallel.ForceOnThisThread(true);
        try { opt.Step(0.01f, zeroGrad: true); }
        finally { Rethinker.Tensors.Kernels.Rows.RowParallel.ForceOnThisThread(false); }

        var expected = (float[])init.Clone();
        float stepSize = (float)(0.01f / (1 - Math.Pow(0.9f, 1))), sqrtBc2 = (float)Math.Sqrt(1 - Math.Pow(0.95f, 1));
        AdamW.UpdateRow(expected, grad, new float[n], new float[n], 0.9f, 0.95f, 1f - 0.01f * 0.1f, stepSize, sqrtBc2, 1e-8f);
        Assert.True(expected.AsSpan().SequenceEqual(p.Span), "parallel chunks differ from the serial update");
        Assert.True(p.Grad!.Span.IndexOfAnyExcept(0f) < 0, "gradient not zeroed");
        Assert.Equal([1f, 2f], frozen.ToArray());          // frozen: not updated …
        Assert.Equal(0f, frozen.Grad!.Span[0]);            // … but its gradient is zeroed like ZeroGrad does
    }
}
