// Shape ops: Concat, Split, Slice (copies along an axis), Reshape (a free view of the same storage),
// Transpose and Permute (explicit copies; the engine has no strided views, GEMM takes transpose flags instead).
using System.Numerics.Tensors;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis)
    {
        if (xs.Count == 0) throw new ArgumentException("Concat: needs at least one tensor");
        var first = xs[0];
        int ax = Shapes.Axis(axis, first.Rank, "Concat");
        var shape = (int[])first.Shape.Clone();
        int total = 0;
        foreach (var t in xs)
        {
            bool ok = t.Rank == first.Rank;
            for (int d = 0; ok && d < t.Rank; d++) ok = d == ax || t.Shape[d] == first.Shape[d];
            if (!ok) throw new ArgumentException($"Concat: shapes {Shapes.Str(first.Shape)} and {Shapes.Str(t.Shape)} differ off axis {ax}");
            total += t.Shape[ax];
        }
        shape[ax] = total;
        var y = Out("Concat", shape);
        var (outer, _, inner) = Shapes.Split(shape, ax);
        var parts = xs.ToArray();
        var Y = y.Span;
        int off = 0;
        foreach (var t in parts)
        {
            int w = t.Shape[ax] * inner;
            var X = t.Span;
            for (int o = 0; o < outer; o++) X.Slice(o * w, w).CopyTo(Y.Slice(o * total * inner + off, w));
            off += w;
        }
        bool needs = false;
        if (Autograd.IsEnabled) foreach (var t in parts) needs |= t.RequiresGrad;
        if (needs)
            Node(y, () =>
            {
                var gy = G(y);
                int o2 = 0;
                foreach (var t in parts)
                {
                    int w = t.Shape[ax] * inner;
                    if (t.RequiresGrad)
                    {
                        var dx = t.GradSpan();
                        for (int o = 0; o < outer; o++)
                        {
                            var d = dx.Slice(o * w, w);
                            TensorPrimitives.Add(d, gy.Slice(o * total * inner + o2, w), d);
                        }
                    }
                    o2 += w;
                }
            }, parts);
        return Done(y);
    }

    public static Tensor[] Split(Tensor x, int axis, params int[] sizes)
    {
        int ax = Shapes.Axis(axis, x.Rank, "Split");
        long sum = 0;
        foreach (int s in sizes) { if (s < 0) throw new ArgumentException($"Split: negative size {s}"); sum += s; }
        if (sum != x.Shape[ax])
            throw new ArgumentException($"Split: sizes [{string.Join(", ", sizes)}] sum to {sum}, not axis {ax} of {Shapes.Str(x.Shape)}");
        var res = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { res[i] = Slice(x, ax, start, sizes[i], "Split"); start += sizes[i]; }
        return res;
    }

    public static Tensor Slice(Tensor x, int axis, int start, int length) => Slice(x, axis, start, length, "Slice");

    static Tensor Slice(Tensor x, int axis, int start, int length, string name)
    {
        int ax = Shapes.Axis(axis, x.Rank, name);
        var (outer, n, inner) = Shapes.Split(x.Shape, ax);
        if (start < 0 || length < 0 || start + length > n)
            throw new ArgumentException($"{name}: [{start}, {start}+{length}) out of range on axis {ax} of {Shapes.Str(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[ax] = length;
        var y = Out(name, shape);
        int w = length * inner;
        var X = x.Span; var Y = y.Span;
        for (int o = 0; o < outer; o++) X.Slice((o * n + start) * inner, w).CopyTo(Y.Slice(o * w, w));
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var gy = G(y); var dx = x.GradSpan();
                for (int o = 0; o < outer; o++)
                {
                    var d = dx.Slice((o * n + start) * inner, w);
                    TensorPrimitives.Add(d, gy.Slice(o * w, w), d);
                }
            }, x);
        return Done(y);
    }

    /// <summary>Same data, new shape (one -1 is inferred). Shares storage: writing one writes the other.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: more than one -1 in {Shapes.Str(shape)}");
                infer = i;
            }
            else if (s[i] < 0) throw new ArgumentException($"Reshape: bad dimension {s[i]} in {Shapes.Str(shape)}");
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || x.Length % known != 0)
                throw new ArgumentException($"Reshape: cannot infer -1 reshaping {Shapes.Str(x.Shape)} to {Shapes.Str(shape)}");
            s[infer] = (int)(x.Length / known);
        }
        else if (known != x.Length)
            throw new ArgumentException($"Reshape: {Shapes.Str(x.Shape)} ({x.Length} elements) cannot become {Shapes.Str(shape)} ({known})");
        var y = x.ViewAs(s);
        y.Op = "Reshape";
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                if (x.TryAliasGrad(y.Grad!)) return;   // same elements, same order: share the buffer
                var d = x.GradSpan();
                TensorPrimitives.Add(d, G(y), d);
            }, x);
        return y;
    }

    public static Tensor Transpose(Tensor x, int axis0, int axis1)
    {
        int a0 = Shapes.Axis(axis0, x.Rank, "Transpose"), a1 = Shapes.Axis(axis1, x.Rank, "Transpose");
        var perm = new int[x.Rank];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        (perm[a0], perm[a1]) = (perm[a1], perm[a0]);
        return Permute(x, perm, "Transpose");
    }

    public static Tensor Permute(Tensor x, params int[] axes) => Permute(x, axes, "Permute");

    static Tensor Permute(Tensor x, int[] axes, string name)
    {
        int r = x.Rank;
        if (axes.Length != r) throw new ArgumentException($"{name}: {axes.Length} axes for a tensor of shape {Shapes.Str(x.Shape)}");
        var perm = new int[r];
        var seen = new bool[r];
        for (int i = 0; i < r; i++)
        {
            int a = Shapes.Axis(axes[i], r, name);
            if (seen[a]) throw new ArgumentException($"{name}: axis {a} repeated in [{string.Join(", ", axes)}]");
            seen[a] = true; perm[i] = a;
        }
        var shape = new int[r];
        for (int i = 0; i < r; i++) shape[i] = x.Shape[perm[i]];
        var y = Out(name, shape);
        PermuteCopy(x.Span, x.Shape, perm, y.Span, accumulate: false);
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var inv = new int[r];
                for (int i = 0; i < r; i++) inv[perm[i]] = i;
                PermuteCopy(G(y), y.Shape, inv, x.GradSpan(), accumulate: true);
            }, x);
        return Done(y);
    }

    /// <summary>dst (shape = src shape permuted by perm) [+]= src; walks dst in order with an odometer over src strides.</summary>
    static void PermuteCopy(ReadOnlySpan<float> src, int[] srcShape, int[] perm, Span<float> dst, bool accumulate)
    {
        int r = srcShape.Length;
        if (dst.Length == 0) return;
        if (r == 0) { dst[0] = accumulate ? dst[0] + src[0] : src[0]; return; }
        Span<int> srcStride = stackalloc int[r];
        int s = 1;
        for (int i = r - 1; i >= 0; i--) { srcStride[i] = s; s *= srcShape[i]; }
        Span<int> dShape = stackalloc int[r], dStride = stackalloc int[r], idx = stackalloc int[r];
        for (int i = 0; i < r; i++) { dShape[i] = srcShape[perm[i]]; dStride[i] = srcStride[perm[i]]; }
        idx.Clear();
        int inner = dShape[r - 1], innerStride = dStride[r - 1];
        int rows = dst.Length / inner;
        int off = 0;
        for (int row = 0; row < rows; row++)
        {
            var d = dst.Slice(row * inner, inner);
            if (innerStride == 1)
            {
                if (accumulate) TensorPrimitives.Add(d, src.Slice(off, inner), d);
                else src.Slice(off, inner).CopyTo(d);
            }
            else if (accumulate) for (int j = 0; j < inner; j++) d[j] += src[off + j * innerStride];
            else for (int j = 0; j < inner; j++) d[j] = src[off + j * innerStride];
            for (int k = r - 2; k >= 0; k--)
            {
                idx[k]++; off += dStride[k];
                if (idx[k] < dShape[k]) break;
                off -= dStride[k] * dShape[k]; idx[k] = 0;
            }
        }
    }
}
