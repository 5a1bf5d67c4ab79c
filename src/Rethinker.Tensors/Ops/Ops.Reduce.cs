// Reductions: Sum / Mean / Max along an axis (keepDim as torch), SumAll, MeanAll, MaskedMean, and Where.
// Max backward routes the gradient to the first maximal element (torch's max(dim) does the same). Max over the last
// axis and same-shape Where are vectorised; broadcasting Where and Max over inner axes walk element by element.
using System.Numerics.Tensors;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => SumMean(x, axis, keepDim, mean: false);
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false) => SumMean(x, axis, keepDim, mean: true);

    static int[] ReducedShape(int[] shape, int ax, bool keepDim)
    {
        if (keepDim) { var s = (int[])shape.Clone(); s[ax] = 1; return s; }
        var r = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++) if (i != ax) r[j++] = shape[i];
        return r;
    }

    static Tensor SumMean(Tensor x, int axis, bool keepDim, bool mean)
    {
        string name = mean ? "Mean" : "Sum";
        int ax = Shapes.Axis(axis, x.Rank, name);
        var (outer, n, inner) = Shapes.Split(x.Shape, ax);
        var y = Out(name, ReducedShape(x.Shape, ax, keepDim));
        float scale = mean ? 1f / Math.Max(1, n) : 1f;
        var X = x.Span; var Y = y.Span;
        if (inner == 1) // reducing the last axis: one vector sum per row
            for (int o = 0; o < outer; o++) Y[o] = TensorPrimitives.Sum(X.Slice(o * n, n)) * scale;
        else
        {
            Y.Clear();
            for (int o = 0; o < outer; o++)
            {
                var yo = Y.Slice(o * inner, inner);
                for (int j = 0; j < n; j++) TensorPrimitives.Add(yo, X.Slice((o * n + j) * inner, inner), yo);
                if (mean) TensorPrimitives.Multiply(yo, scale, yo);
            }
        }
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var gy = G(y); var dx = x.GradSpan();
                for (int o = 0; o < outer; o++)
                {
                    if (inner == 1) { var d = dx.Slice(o * n, n); TensorPrimitives.Add(d, gy[o] * scale, d); continue; }
                    for (int j = 0; j < n; j++)
                    {
                        var d = dx.Slice((o * n + j) * inner, inner);
                        TensorPrimitives.MultiplyAdd(gy.Slice(o * inner, inner), scale, d, d);
                    }
                }
            }, x);
        return Done(y);
    }

    public static Tensor Max(Tensor x, int axis, bool keepDim = false)
    {
        int ax = Shapes.Axis(axis, x.Rank, "Max");
        var (outer, n, inner) = Shapes.Split(x.Shape, ax);
        if (n == 0) throw new ArgumentException($"Max: axis {ax} of {Shapes.Str(x.Shape)} is empty");
        var y = Out("Max", ReducedShape(x.Shape, ax, keepDim));
        var arg = new int[outer * inner];
        var X = x.Span; var Y = y.Span;
        if (inner == 1)
        {
            // last axis: a vectorised max, then the first element equal to it (the first NaN when the max is NaN);
            // −0 and +0 compare equal, so the first of them wins as in the scalar scan
            for (int o = 0; o < outer; o++)
            {
                var row = X.Slice(o * n, n);
                float m = TensorPrimitives.Max(row);
                int best = FirstEqual(row, m);
                Y[o] = row[best]; arg[o] = best;
            }
        }
        else
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0; float bv = X[o * n * inner + i];
                for (int j = 1; j < n; j++)
                {
                    float v = X[(o * n + j) * inner + i];
                    if (v > bv || (float.IsNaN(v) && !float.IsNaN(bv))) { bv = v; best = j; }
                }
                Y[o * inner + i] = bv; arg[o * inner + i] = best;
            }
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var gy = G(y); var dx = x.GradSpan();
                for (int o = 0; o < outer; o++)
                    for (int i = 0; i < inner; i++)
                        dx[(o * n + arg[o * inner + i]) * inner + i] += gy[o * inner + i];
            }, x);
        return Done(y);
    }

    /// <summary>Index of the first element == m (of the first NaN when m is NaN), 16 or 8 lanes at a time.</summary>
    static int FirstEqual(ReadOnlySpan<float> row, float m)
    {
        bool nan = float.IsNaN(m);
        int j = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && !nan)
        {
            var mv = new System.Numerics.Vector<float>(m);
            int w = System.Numerics.Vector<float>.Count;
            for (; j + w <= row.Length; j += w)
                if (System.Numerics.Vector.EqualsAny(new System.Numerics.Vector<float>(row.Slice(j, w)), mv)) break;
        }
        for (; j < row.Length; j++)
            if (nan ? float.IsNaN(row[j]) : row[j] == m) return j;
        return 0;
    }

    public static Tensor SumAll(Tensor x) => Total(x, mean: false);
    public static Tensor MeanAll(Tensor x) => Total(x, mean: true);

    static Tensor Total(Tensor x, bool mean)
    {
        var y = Out(mean ? "MeanAll" : "SumAll", []);
        float scale = mean ? 1f / Math.Max(1, x.Length) : 1f;
        y.Span[0] = (float)(SumDouble(x.Span) * scale);
        if (Autograd.Needs(x))
            Node(y, () => { var d = x.GradSpan(); TensorPrimitives.Add(d, G(y)[0] * scale, d); }, x);
        return Done(y);
    }

    static double SumDouble(ReadOnlySpan<float> x)
    {
        // blocked float sums added in double: accurate for long rows, still vectorised
        double s = 0;
        for (int i = 0; i < x.Length; i += 4096) s += TensorPrimitives.Sum(x.Slice(i, Math.Min(4096, x.Length - i)));
        return s;
    }

    /// <summary>sum(x·mask) / max(sum(mask), 1) as a scalar; x and mask have the same shape.</summary>
    public static Tensor MaskedMean(Tensor x, Tensor mask)
    {
        Shapes.Same(x, mask, "MaskedMean");
        var y = Out("MaskedMean", []);
        var X = x.Span; var M = mask.Span;
        double num = 0, den = SumDouble(M);
        for (int i = 0; i < X.Length; i += 4096)
        {
            int len = Math.Min(4096, X.Length - i);
            num += TensorPrimitives.Dot(X.Slice(i, len), M.Slice(i, len));
        }
        double d = Math.Max(den, 1.0);
        y.Span[0] = (float)(num / d);
        if (Autograd.Needs(x, mask))
            Node(y, () =>
            {
                float g = G(y)[0];
                if (x.RequiresGrad) { var dx = x.GradSpan(); TensorPrimitives.MultiplyAdd(mask.Span, (float)(g / d), dx, dx); }
                if (mask.RequiresGrad)
                {
                    // d/dm_i = x_i/d − [den > 1]·num/d²
                    var dm = mask.GradSpan();
                    float c = den > 1.0 ? (float)(g * num / (d * d)) : 0f;
                    TensorPrimitives.MultiplyAdd(x.Span, (float)(g / d), dm, dm);
                    TensorPrimitives.Subtract(dm, c, dm);
                }
            }, x, mask);
        return Done(y);
    }

    /// <summary>condition != 0 ? a : b, with numpy broadcasting of all three.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition.Shape, a.Shape, "Where"), b.Shape, "Where");
        int[] sc = Shapes.BroadcastStrides(condition.Shape, shape), sa = Shapes.BroadcastStrides(a.Shape, shape),
              sb = Shapes.BroadcastStrides(b.Shape, shape);
        var y = Out("Where", shape);
        bool same = Shapes.Equal(condition.Shape, shape) && Shapes.Equal(a.Shape, shape) && Shapes.Equal(b.Shape, shape);
        if (same) WhereSame(condition.Span, a.Span, b.Span, y.Span);
        else WhereWalk(shape, sc, sa, sb, condition.Span, a.Span, b.Span, y.Span, default, default, backward: false);
        if (Autograd.Needs(a, b))
            Node(y, () =>
            {
                if (same) WhereSameBackward(condition.Span, y.Grad!.Span, a.RequiresGrad ? a.GradSpan() : default, b.RequiresGrad ? b.GradSpan() : default);
                else WhereWalk(y.Shape, sc, sa, sb, condition.Span, default, default, y.Grad!.Span,
                    a.RequiresGrad ? a.GradSpan() : default, b.RequiresGrad ? b.GradSpan() : default, backward: true);
            }, a, b);
        return Done(y);
    }

    /// <summary>Same-shape Where, vectorised: y = c ≠ 0 ? a : b.</summary>
    static void WhereSame(ReadOnlySpan<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        int i = 0, w = System.Numerics.Vector<float>.Count;
        if (System.Numerics.Vector.IsHardwareAccelerated)
            for (; i + w <= y.Length; i += w)
            {
                var pickB = System.Numerics.Vector.Equals(new System.Numerics.Vector<float>(c.Slice(i, w)), System.Numerics.Vector<float>.Zero);
                System.Numerics.Vector.ConditionalSelect(pickB, new System.Numerics.Vector<float>(b.Slice(i, w)), new System.Numerics.Vector<float>(a.Slice(i, w)))
                    .CopyTo(y.Slice(i, w));
            }
        for (; i < y.Length; i++) y[i] = c[i] != 0 ? a[i] : b[i];
    }

    /// <summary>da += c ≠ 0 ? gy : 0, db += c ≠ 0 ? 0 : gy (either may be empty), vectorised.</summary>
    static void WhereSameBackward(ReadOnlySpan<float> c, ReadOnlySpan<float> gy, Span<float> da, Span<float> db)
    {
        int i = 0, w = System.Numerics.Vector<float>.Count;
        if (System.Numerics.Vector.IsHardwareAccelerated)
            for (; i + w <= gy.Length; i += w)
            {
                var pickB = System.Numerics.Vector.Equals(new System.Numerics.Vector<float>(c.Slice(i, w)), System.Numerics.Vector<float>.Zero);
                var g = new System.Numerics.Vector<float>(gy.Slice(i, w));
                if (!da.IsEmpty) (new System.Numerics.Vector<float>(da.Slice(i, w)) + System.Numerics.Vector.ConditionalSelect(pickB, System.Numerics.Vector<float>.Zero, g)).CopyTo(da.Slice(i, w));
                if (!db.IsEmpty) (new System.Numerics.Vector<float>(db.Slice(i, w)) + System.Numerics.Vector.ConditionalSelect(pickB, g, System.Numerics.Vector<float>.Zero)).CopyTo(db.Slice(i, w));
            }
        for (; i < gy.Length; i++)
        {
            if (c[i] != 0) { if (!da.IsEmpty) da[i] += gy[i]; }
            else if (!db.IsEmpty) db[i] += gy[i];
        }
    }

    /// <summary>Forward: y[i] = c ? a : b. Backward: da/db += gy (y holds gy, read-only use).</summary>
    static void WhereWalk(int[] shape, int[] sc, int[] sa, int[] sb, ReadOnlySpan<float> C, ReadOnlySpan<float> A,
        ReadOnlySpan<float> B, Span<float> Y, Span<float> da, Span<float> db, bool backward)
    {
        int r = shape.Length, n = Shapes.Product(shape, "Where");
        Span<int> idx = stackalloc int[Math.Max(1, r)];
        idx.Clear();
        int oc = 0, oa = 0, ob = 0;
        for (int i = 0; i < n; i++)
        {
            bool c = C[oc] != 0;
            if (!backward) Y[i] = c ? A[oa] : B[ob];
            else if (c) { if (!da.IsEmpty) da[oa] += Y[i]; }
            else if (!db.IsEmpty) db[ob] += Y[i];
            for (int k = r - 1; k >= 0; k--)
            {
                idx[k]++; oc += sc[k]; oa += sa[k]; ob += sb[k];
                if (idx[k] < shape[k]) break;
                oc -= sc[k] * shape[k]; oa -= sa[k] * shape[k]; ob -= sb[k] * shape[k]; idx[k] = 0;
            }
        }
    }
}
