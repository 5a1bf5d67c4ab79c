// Indexing ops with scatter-add backward: Embedding (rows of a [V, C] table), IndexSelect and Gather along an
// axis (torch.index_select / torch.gather semantics). Index arrays are copied (the caller's span may not live
// until backward).
namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Embedding(Tensor weight, ReadOnlySpan<int> ids)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Embedding: weight must be [V, C], got {Shapes.Str(weight.Shape)}");
        int V = weight.Shape[0], C = weight.Shape[1];
        var idx = ids.ToArray();
        for (int i = 0; i < idx.Length; i++)
            if ((uint)idx[i] >= (uint)V)
                throw new ArgumentException($"Embedding: id {idx[i]} at position {i} out of range [0, {V}) for weight {Shapes.Str(weight.Shape)}");
        var y = Out("Embedding", [idx.Length, C]);
        var W = weight.Span; var Y = y.Span;
        for (int i = 0; i < idx.Length; i++) W.Slice(idx[i] * C, C).CopyTo(Y.Slice(i * C, C));
        if (Autograd.Needs(weight))
            Node(y, () =>
            {
                var gy = G(y); var dw = weight.GradSpan();
                for (int i = 0; i < idx.Length; i++)
                {
                    var d = dw.Slice(idx[i] * C, C);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, gy.Slice(i * C, C), d);
                }
            }, weight);
        return Done(y);
    }

    public static Tensor IndexSelect(Tensor x, int axis, ReadOnlySpan<int> index)
    {
        int ax = Shapes.Axis(axis, x.Rank, "IndexSelect");
        var (outer, n, inner) = Shapes.Split(x.Shape, ax);
        var idx = index.ToArray();
        for (int i = 0; i < idx.Length; i++)
            if ((uint)idx[i] >= (uint)n)
                throw new ArgumentException($"IndexSelect: index {idx[i]} at position {i} out of range [0, {n}) on axis {ax} of {Shapes.Str(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[ax] = idx.Length;
        var y = Out("IndexSelect", shape);
        var X = x.Span; var Y = y.Span;
        int m = idx.Length;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                X.Slice((o * n + idx[j]) * inner, inner).CopyTo(Y.Slice((o * m + j) * inner, inner));
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var gy = G(y); var dx = x.GradSpan();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < m; j++)
                    {
                        var d = dx.Slice((o * n + idx[j]) * inner, inner);
                        System.Numerics.Tensors.TensorPrimitives.Add(d, gy.Slice((o * m + j) * inner, inner), d);
                    }
            }, x);
        return Done(y);
    }

    /// <summary>out[o, j, i] = x[o, index[o, j, i], i]; index has x's shape with the axis size replaced (flat, row-major).</summary>
    public static Tensor Gather(Tensor x, int axis, ReadOnlySpan<int> index)
    {
        int ax = Shapes.Axis(axis, x.Rank, "Gather");
        var (outer, n, inner) = Shapes.Split(x.Shape, ax);
        long per = (long)outer * inner;
        if (per == 0 ? index.Length != 0 : index.Length % per != 0)
            throw new ArgumentException($"Gather: index length {index.Length} is not a multiple of {per} (x {Shapes.Str(x.Shape)} without axis {ax})");
        int m = per == 0 ? 0 : (int)(index.Length / per);
        var idx = index.ToArray();
        for (int i = 0; i < idx.Length; i++)
            if ((uint)idx[i] >= (uint)n)
                throw new ArgumentException($"Gather: index {idx[i]} at flat position {i} out of range [0, {n}) on axis {ax} of {Shapes.Str(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[ax] = m;
        var y = Out("Gather", shape);
        var X = x.Span; var Y = y.Span;
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                {
                    int p = (o * m + j) * inner + i;
                    Y[p] = X[(o * n + idx[p]) * inner + i];
                }
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var gy = G(y); var dx = x.GradSpan();
                for (int o = 0; o < outer; o++)
                    for (int j = 0; j < m; j++)
                        for (int i = 0; i < inner; i++)
                        {
                            int p = (o * m + j) * inner + i;
                            dx[(o * n + idx[p]) * inner + i] += gy[p];
                        }
            }, x);
        return Done(y);
    }
}
