// Fused projections for the training path: LinearCat runs several nn.Linear layers that read the same input as ONE
// GEMM against their weights stacked row-wise (Qwen2's q/k/v, or gate/up), so the narrow k/v products (64 or 128
// columns) ride in a wide one and the input is read once; backward is one dX GEMM and one dW GEMM whose rows are then
// added into each weight's gradient. SwiGluCat applies silu(g)·u to the two halves of such a [.., 2n] output.
// Every output element is the same dot product as the separate Linear's (the GEMM sums k in the same blocks).
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels;
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors;

public static partial class Ops
{
    /// <summary>x [..., in] against weights Wᵢ [outᵢ, in] (biases bᵢ [outᵢ] or null) → [..., Σ outᵢ]: the Linear outputs
    /// side by side along the last axis, from one GEMM.</summary>
    public static Tensor LinearCat(Tensor x, IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor?> biases)
    {
        if (weights.Count == 0 || biases.Count != weights.Count)
            throw new ArgumentException($"LinearCat: needs one bias slot (or null) per weight, got {weights.Count} weights and {biases.Count} biases");
        int I = weights[0].Rank == 2 ? weights[0].Shape[1] : -1, O = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            var w = weights[i];
            if (w.Rank != 2 || w.Shape[1] != I)
                throw new ArgumentException($"LinearCat: weight {i} {Shapes.Str(w.Shape)} must be [out, {I}] like weight 0");
            if (biases[i] is { } b && (b.Rank != 1 || b.Length != w.Shape[0]))
                throw new ArgumentException($"LinearCat: bias {i} {Shapes.Str(b.Shape)} must be [{w.Shape[0]}] for weight {Shapes.Str(w.Shape)}");
            O += w.Shape[0];
        }
        if (x.Rank < 1 || x.Shape[^1] != I)
            throw new ArgumentException($"LinearCat: x {Shapes.Str(x.Shape)} last dim must equal the weights' in-features {I}");
        int R = I == 0 ? Shapes.Product(x.Shape.AsSpan(0, x.Rank - 1), "LinearCat") : x.Length / I;
        var shape = (int[])x.Shape.Clone();
        shape[^1] = O;
        var y = Out("LinearCat", shape);
        var wcat = Tensor.Empty([O, I]);   // stacked weights (≈ O·I floats, small next to the R·O·I product)
        var W = wcat.Span;
        bool anyBias = false;
        for (int i = 0, at = 0; i < weights.Count; at += weights[i].Length, i++)
        {
            weights[i].Span.CopyTo(W.Slice(at));
            anyBias |= biases[i] is not null;
        }
        var Y = y.Span;
        if (anyBias && R > 0)
        {
            var brow = Y[..O];   // the concatenated bias (zeros for layers without one), then copied down every row
            for (int i = 0, at = 0; i < weights.Count; at += weights[i].Shape[0], i++)
                if (biases[i] is { } b) b.Span.CopyTo(brow.Slice(at)); else brow.Slice(at, weights[i].Shape[0]).Clear();
            for (int r = 1; r < R; r++) brow.CopyTo(Y.Slice(r * O, O));
        }
        Gemm.Sgemm(false, true, R, O, I, 1f, x.Span, I, W, I, anyBias ? 1f : 0f, Y, O);
        bool needs = Autograd.IsEnabled && (x.RequiresGrad || weights.Any(w => w.RequiresGrad) || biases.Any(b => b is { RequiresGrad: true }));
        if (!needs) { wcat.Dispose(); return Done(y); }
        y.Saved = wcat;
        var ws = weights.ToArray(); var bs = biases.ToArray();
        Tensor[] parents = [x, .. ws, .. bs.Where(b => b is not null).Select(b => b!)];
        Node(y, () =>
        {
            var dY = G(y);
            if (x.RequiresGrad)
            {
                var dx = x.GradOut(out bool overwrite);
                Gemm.Sgemm(false, false, R, I, O, 1f, dY, O, wcat.Span, I, overwrite ? 0f : 1f, dx, I);
            }
            if (ws.Any(w => w.RequiresGrad))
            {
                using var dW = Tensor.Empty([O, I]);
                Gemm.Sgemm(true, false, O, I, R, 1f, dY, O, x.Span, I, 0f, dW.Span, I);
                for (int i = 0, at = 0; i < ws.Length; at += ws[i].Length, i++)
                {
                    if (!ws[i].RequiresGrad) continue;
                    var g = ws[i].GradOut(out bool overwrite);
                    var part = dW.Span.Slice(at, ws[i].Length);
                    if (overwrite) part.CopyTo(g); else TensorPrimitives.Add(g, part, g);
                }
            }
            for (int i = 0, at = 0; i < bs.Length; at += ws[i].Shape[0], i++)
            {
                if (bs[i] is not { RequiresGrad: true } b) continue;
                var db = b.GradSpan();
                int n = ws[i].Shape[0];
                for (int r = 0; r < R; r++) TensorPrimitives.Add(db, dY.Slice(r * O + at, n), db);
            }
        }, parents);
        return Done(y);
    }

    /// <summary>x [..., 2n] → [..., n] = silu(x[..., :n]) · x[..., n:] (SwiGLU on a gate/up LinearCat output).</summary>
    public static Tensor SwiGluCat(Tensor x)
    {
        int n2 = Shapes.Last(x, "SwiGluCat");
        if (n2 % 2 != 0) throw new ArgumentException($"SwiGluCat: last dim of {Shapes.Str(x.Shape)} must be even (gate and up halves)");
        int n = n2 / 2, rows = n2 == 0 ? 0 : x.Length / n2;
        var shape = (int[])x.Shape.Clone();
        shape[^1] = n;
        var y = Out("SwiGluCat", shape);
        RowParallel.For(rows, 3L * n, (_, s, e) =>
        {
            var X = x.Span; var Y = y.Span;
            for (int r = s; r < e; r++) SwiGluRows.Forward(X.Slice(r * n2, n), X.Slice(r * n2 + n, n), Y.Slice(r * n, n));
        });
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                // both halves of every row are written, so a fresh gradient needs no zero-fill
                x.GradOut(out bool write);
                RowParallel.For(rows, 5L * n, (_, s, e) =>
                {
                    var X = x.Span; var gy = G(y); var dx = x.GradSpan();
                    for (int r = s; r < e; r++)
                        SwiGluRows.Backward(X.Slice(r * n2, n), X.Slice(r * n2 + n, n), gy.Slice(r * n, n),
                            dx.Slice(r * n2, n), dx.Slice(r * n2 + n, n), accumulate: !write);
                });
            }, x);
        return Done(y);
    }
}
