// Every fast row kernel (Kernels/Rows) against its plain scalar reference twin (Kernels/Reference) on all lengths
// 0..257, for each SIMD width the machine runs (Vector512, Vector256, scalar), so vector bodies and tails are covered.
using Rethinker.Tensors.Kernels.Reference;
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors.Tests.Rows;

public class RowKernelTests
{
    public static TheoryData<SimdWidth> Widths()
    {
        var d = new TheoryData<SimdWidth> { SimdWidth.Scalar };
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) d.Add(SimdWidth.V256);
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) d.Add(SimdWidth.V512);
        return d;
    }

    static float[] Rand(Rng rng, int n, float lo, float hi)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.NextUniform();
        return a;
    }

    static void Close(float[] expected, float[] actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!(Math.Abs(e - a) <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}: element {i} of {expected.Length}: reference {e:G9}, fast {a:G9}");
        }
    }

    static void ForAllLengths(SimdWidth width, Action<int, Rng> body)
    {
        Simd.ForceOnThisThread(width);
        try
        {
            var rng = new Rng(99);
            for (int n = 0; n <= 257; n++) body(n, rng);
        }
        finally { Simd.ForceOnThisThread(null); }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Activations_MatchReference_AllLengths(SimdWidth width) => ForAllLengths(width, (n, rng) =>
    {
        foreach (var act in Enum.GetValues<Act>())
        {
            var x = Rand(rng, n, -6, 6); var dy = Rand(rng, n, -1, 1); var dx0 = Rand(rng, n, -1, 1);
            float[] yr = new float[n], yf = new float[n];
            ActivationsReference.Forward(act, x, yr);
            Activations.Forward(act, x, yf);
            Close(yr, yf, 1e-5, 1e-6, $"{act} forward n={n} {width}");
            float[] dr = (float[])dx0.Clone(), df = (float[])dx0.Clone();
            ActivationsReference.Backward(act, x, dy, dr);
            Activations.Backward(act, x, dy, df);
            Close(dr, df, 1e-5, 2e-6, $"{act} backward n={n} {width}");
        }
    });

    [Theory, MemberData(nameof(Widths))]
    public void SwiGlu_MatchesReference_AllLengths(SimdWidth width) => ForAllLengths(width, (n, rng) =>
    {
        var g = Rand(rng, n, -6, 6); var u = Rand(rng, n, -2, 2); var dy = Rand(rng, n, -1, 1);
        float[] yr = new float[n], yf = new float[n];
        ActivationsReference.SwiGlu(g, u, yr);
        SwiGluRows.Forward(g, u, yf);
        Close(yr, yf, 1e-5, 1e-6, $"SwiGlu n={n}");
        var dg0 = Rand(rng, n, -1, 1); var du0 = Rand(rng, n, -1, 1);
        float[] dgr = (float[])dg0.Clone(), dur = (float[])du0.Clone(), dgf = (float[])dg0.Clone(), duf = (float[])du0.Clone();
        ActivationsReference.SwiGluBackward(g, u, dy, dgr, dur);
        SwiGluRows.Backward(g, u, dy, dgf, duf);
        Close(dgr, dgf, 1e-5, 2e-6, $"SwiGlu dg n={n}");
        Close(dur, duf, 1e-5, 2e-6, $"SwiGlu du n={n}");
    });

    [Theory, MemberData(nameof(Widths))]
    public void ElementwiseBackward_MatchesReference_AllLengths(SimdWidth width) => ForAllLengths(width, (n, rng) =>
    {
        var x = Rand(rng, n, 0.3f, 3); var dy = Rand(rng, n, -1, 1); var dx0 = Rand(rng, n, -1, 1);
        foreach (var kind in Enum.GetValues<AccKind>())
        {
            float[] r = (float[])dx0.Clone(), f = (float[])dx0.Clone();
            ElementwiseReference.Accumulate(kind, dy, x, 0.7f, r);
            ElementwiseRows.Accumulate(kind, dy, x, 0.7f, f);
            Close(r, f, 1e-5, 1e-6, $"{kind} n={n}");
        }
        float[] cr = (float[])dx0.Clone(), cf = (float[])dx0.Clone();
        ElementwiseReference.ClampBackward(x, dy, 0.8f, 2.1f, cr);
        ElementwiseRows.ClampBackward(x, dy, 0.8f, 2.1f, cf);
        Close(cr, cf, 0, 0, $"ClampBackward n={n}");
    });

    [Theory, MemberData(nameof(Widths))]
    public void Softmax_LogSoftmax_LogProb_MatchReference_AllLengths(SimdWidth width) => ForAllLengths(width, (n, rng) =>
    {
        var x = Rand(rng, n, -20, 20); var dy = Rand(rng, n, -1, 1); var dx0 = Rand(rng, n, -1, 1);
        float[] yr = new float[n], yf = new float[n], lr = new float[n], lf = new float[n];
        SoftmaxReference.Softmax(x, yr); SoftmaxRows.Softmax(x, yf);
        Close(yr, yf, 1e-5, 1e-7, $"Softmax n={n}");
        SoftmaxReference.LogSoftmax(x, lr); SoftmaxRows.LogSoftmax(x, lf);
        Close(lr, lf, 1e-5, 1e-5, $"LogSoftmax n={n}");
        float[] br = (float[])dx0.Clone(), bf = (float[])dx0.Clone();
        SoftmaxReference.SoftmaxBackward(yr, dy, br); SoftmaxRows.SoftmaxBackward(yr, dy, bf);
        Close(br, bf, 1e-5, 1e-6, $"SoftmaxBackward n={n}");
        br = (float[])dx0.Clone(); bf = (float[])dx0.Clone();
        SoftmaxReference.LogSoftmaxBackward(lr, dy, br); SoftmaxRows.LogSoftmaxBackward(lr, dy, bf);
        Close(br, bf, 1e-5, 1e-5, $"LogSoftmaxBackward n={n}");
        if (n == 0) { Assert.Equal(float.NegativeInfinity, SoftmaxRows.LogSumExp(x)); return; }
        double lse = SoftmaxReference.LogSumExp(x);
        Assert.True(Math.Abs(SoftmaxRows.LogSumExp(x) - lse) <= 1e-5 * Math.Max(1, Math.Abs(lse)), $"LogSumExp n={n}");
        int t = rng.NextInt(n);
        br = (float[])dx0.Clone(); bf = (float[])dx0.Clone();
        SoftmaxReference.LogProbBackward(x, (float)lse, t, -0.37f, br); SoftmaxRows.LogProbBackward(x, (float)lse, t, -0.37f, bf);
        Close(br, bf, 1e-5, 1e-6, $"LogProbBackward n={n}");
    });

    [Theory, MemberData(nameof(Widths))]
    public void RmsNormAndLayerNorm_MatchReference_AllLengths(SimdWidth width) => ForAllLengths(width, (n, rng) =>
    {
        var x = Rand(rng, n, -3, 3); var w = Rand(rng, n, 0.5f, 1.5f); var b = Rand(rng, n, -1, 1); var dy = Rand(rng, n, -1, 1);
        var dx0 = Rand(rng, n, -1, 1); var dw0 = Rand(rng, n, -1, 1); var db0 = Rand(rng, n, -1, 1);
        float[] yr = new float[n], yf = new float[n];
        float rr = NormReference.RmsNorm(x, w, 1e-6f, yr), rf = NormRows.RmsNorm(x, w, 1e-6f, yf);
        Close(yr, yf, 1e-5, 1e-6, $"RmsNorm n={n}");
        Assert.True(Math.Abs(rr - rf) <= 1e-5 * rr, $"RmsNorm r n={n}");
        float[] dxr = (float[])dx0.Clone(), dxf = (float[])dx0.Clone(), dwr = (float[])dw0.Clone(), dwf = (float[])dw0.Clone();
        NormReference.RmsNormBackward(x, w, rr, dy, dxr, dwr); NormRows.RmsNormBackward(x, w, rr, dy, dxf, dwf);
        Close(dxr, dxf, 1e-4, 2e-6, $"RmsNormBackward dx n={n}");
        Close(dwr, dwf, 1e-5, 1e-6, $"RmsNormBackward dw n={n}");

        var (mr, r2) = NormReference.LayerNorm(x, w, b, 1e-5f, yr);
        var (mf, r3) = NormRows.LayerNorm(x, w, b, 1e-5f, yf);
        Close(yr, yf, 1e-5, 2e-6, $"LayerNorm n={n}");
        Assert.True(Math.Abs(mr - mf) <= 1e-5 && Math.Abs(r2 - r3) <= 1e-5 * r2, $"LayerNorm stats n={n}");
        dxr = (float[])dx0.Clone(); dxf = (float[])dx0.Clone(); dwr = (float[])dw0.Clone(); dwf = (float[])dw0.Clone();
        float[] dbr = (float[])db0.Clone(), dbf = (float[])db0.Clone();
        NormReference.LayerNormBackward(x, w, mr, r2, dy, dxr, dwr, dbr); NormRows.LayerNormBackward(x, w, mr, r2, dy, dxf, dwf, dbf);
        Close(dxr, dxf, 1e-4, 5e-6, $"LayerNormBackward dx n={n}");
        Close(dwr, dwf, 1e-5, 1e-6, $"LayerNormBackward dw n={n}");
        Close(dbr, dbf, 0, 0, $"LayerNormBackward db n={n}");
    });

    [Theory, MemberData(nameof(Widths))]
    public void Rope_MatchesReference_AllEvenLengths(SimdWidth width) => ForAllLengths(width, (n, rng) =>
    {
        int D = 2 * n; // even head dims 0..514
        var x = Rand(rng, D, -2, 2); var c = Rand(rng, D, -1, 1); var s = Rand(rng, D, -1, 1); var dy = Rand(rng, D, -1, 1);
        float[] yr = new float[D], yf = new float[D];
        RopeReference.Forward(x, c, s, yr); RopeRows.Forward(x, c, s, yf);
        Close(yr, yf, 1e-6, 1e-6, $"Rope D={D}");
        var dx0 = Rand(rng, D, -1, 1);
        float[] dr = (float[])dx0.Clone(), df = (float[])dx0.Clone();
        RopeReference.Backward(dy, c, s, dr); RopeRows.Backward(dy, c, s, df);
        Close(dr, df, 1e-6, 1e-6, $"RopeBackward D={D}");
    });
}

public class FastExpTests
{
    [Fact]
    public void FastExp_MatchesDoubleExp_AndHandlesEdgeValues()
    {
        var xs = new List<float> { float.NegativeInfinity, -1000f, -87.4f, -87.3f, -50f, -1e-8f, 0f, 1e-8f, 1f, 50f, 88.7f, 88.8f, float.PositiveInfinity, float.NaN };
        var rng = new Rng(5);
        for (int i = 0; i < 4000; i++) xs.Add(-87f + 175f * rng.NextUniform());
        while (xs.Count % 16 != 0) xs.Add(0f);
        var a = xs.ToArray();
        for (int i = 0; i < a.Length; i += 16)
        {
            var v512 = FastExp.Exp(System.Runtime.Intrinsics.Vector512.Create(a.AsSpan(i, 16)));
            var v256 = FastExp.Exp(System.Runtime.Intrinsics.Vector256.Create(a.AsSpan(i, 8)));
            for (int j = 0; j < 16; j++)
            {
                double e = Math.Exp(a[i + j]);
                float got = v512[j];
                if (j < 8) Assert.Equal(got, v256[j]);
                if (float.IsNaN(a[i + j])) { Assert.True(float.IsNaN(got)); continue; }
                if (a[i + j] < -87.33654f) { Assert.Equal(0f, got); continue; }
                if (a[i + j] > 88.72283f) { Assert.Equal(float.PositiveInfinity, got); continue; }
                Assert.True(Math.Abs(got - e) <= 3e-7 * e, $"exp({a[i + j]:R}) = {e:R}, got {got:R}");
            }
        }
    }
}

public class FastExpNonPositiveTests
{
    [Fact]
    public void ExpNonPositive_IsBitIdenticalToExp_OnEveryKindOfNonPositiveInput()
    {
        // edge values, then random bit patterns over all negative floats (so every exponent, the denormal-result range
        // below the clamp and −∞ are hit), then a dense sweep of the range softmax actually sees
        var xs = new List<float> { 0f, -0f, -float.Epsilon, -1e-30f, -87.33654f, -87.3365f, -87.33655f, -87.4f, -88f, -103f, -1e30f,
            float.NegativeInfinity, float.NaN, -float.NaN };
        var rng = new Rng(11);
        for (int i = 0; i < 200_000; i++)
            xs.Add(BitConverter.UInt32BitsToSingle(0x80000000u | (uint)(rng.NextUniform() * 0x7F800000u)));
        for (int i = 0; i < 200_000; i++) xs.Add(-90f * i / 200_000f);
        while (xs.Count % 16 != 0) xs.Add(-1f);
        var a = xs.ToArray();
        for (int i = 0; i < a.Length; i += 16)
        {
            var x512 = System.Runtime.Intrinsics.Vector512.Create(a.AsSpan(i, 16));
            var (want, got) = (FastExp.Exp(x512), FastExp.ExpNonPositive(x512));
            var x256 = System.Runtime.Intrinsics.Vector256.Create(a.AsSpan(i, 8));
            var (want256, got256) = (FastExp.Exp(x256), FastExp.ExpNonPositive(x256));
            for (int j = 0; j < 16; j++)
            {
                Assert.True(BitConverter.SingleToUInt32Bits(want[j]) == BitConverter.SingleToUInt32Bits(got[j]) || float.IsNaN(want[j]) && float.IsNaN(got[j]),
                    $"exp({a[i + j]:R}): Exp {want[j]:R}, ExpNonPositive {got[j]:R}");
                if (j < 8)
                    Assert.True(BitConverter.SingleToUInt32Bits(want256[j]) == BitConverter.SingleToUInt32Bits(got256[j]) || float.IsNaN(want256[j]) && float.IsNaN(got256[j]),
                        $"Vector256 exp({a[i + j]:R}): Exp {want256[j]:R}, ExpNonPositive {got256[j]:R}");
            }
        }
    }
}

public class LongRowTests
{
    [Theory]
    [InlineData(4097)]
    [InlineData(8192)]
    [InlineData(151936)]
    public void LogSumExp_OnePassBlockedPath_MatchesReference(int n)
    {
        var rng = new Rng((ulong)n);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = 8 * rng.NextNormal();
        x[n - 1] = 60f;                                  // the max sits in the last block: the running sum must rescale
        for (int i = 0; i < 4096; i++) x[i] = float.NegativeInfinity; // a fully masked first block
        double lse = SoftmaxReference.LogSumExp(x);
        var (m, logSum) = SoftmaxRows.MaxAndLogSum(x);
        Assert.Equal(60f, m);
        Assert.True(Math.Abs(m + logSum - lse) <= 1e-5 * Math.Abs(lse), $"{m + logSum} vs {lse}");
        x[7] = float.NaN;
        Assert.True(float.IsNaN(SoftmaxRows.LogSumExp(x)));
    }
}
