// Add / Sub / Mul / Div with numpy broadcasting. The output is walked row by row over its last axis; each
// operand's last-axis stride is 1 (full) or 0 (broadcast), so rows run on TensorPrimitives. Backward reduces
// the gradient over broadcast axes by accumulating into the same (stride-0) positions.
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors;

public static partial class Ops
{
    enum BinOp { Add, Sub, Mul, Div }

    public static Tensor Add(Tensor a, Tensor b) => Binary(a, b, BinOp.Add, "Add");
    public static Tensor Sub(Tensor a, Tensor b) => Binary(a, b, BinOp.Sub, "Sub");
    public static Tensor Mul(Tensor a, Tensor b) => Binary(a, b, BinOp.Mul, "Mul");
    public static Tensor Div(Tensor a, Tensor b) => Binary(a, b, BinOp.Div, "Div");

    /// <summary>Walks the rows of a broadcast output: row offsets into y, a and b.</summary>
    ref struct RowWalker
    {
        readonly int[] _shape, _sa, _sb;
        readonly Span<int> _idx;
        public int Oa, Ob;

        public RowWalker(int[] shape, int[] sa, int[] sb, Span<int> idx)
        {
            _shape = shape; _sa = sa; _sb = sb; _idx = idx; _idx.Clear();
            Oa = 0; Ob = 0;
        }

        public void Next()
        {
            for (int k = _shape.Length - 2; k >= 0; k--)
            {
                _idx[k]++; Oa += _sa[k]; Ob += _sb[k];
                if (_idx[k] < _shape[k]) return;
                Oa -= _sa[k] * _shape[k]; Ob -= _sb[k] * _shape[k]; _idx[k] = 0;
            }
        }
    }

    static Tensor Binary(Tensor a, Tensor b, BinOp op, string name)
    {
        int[] shape = Shapes.Equal(a.Shape, b.Shape) ? (int[])a.Shape.Clone() : Shapes.Broadcast(a.Shape, b.Shape, name);
        if (shape.Length == 0) shape = [];
        var y = Out(name, shape);
        // Walk shape: the same shapes, or one operand a single element, run as one flat row (no per-row calls).
        int[] walk = shape, sa, sb;
        bool flat = shape.Length > 0 && (Shapes.Equal(a.Shape, b.Shape) || (a.Length == 1 && b.Length == y.Length) || (b.Length == 1 && a.Length == y.Length));
        if (flat) { walk = [y.Length]; sa = [a.Length == 1 && y.Length != 1 ? 0 : 1]; sb = [b.Length == 1 && y.Length != 1 ? 0 : 1]; }
        else { sa = Shapes.BroadcastStrides(a.Shape, shape); sb = Shapes.BroadcastStrides(b.Shape, shape); }
        int n = walk.Length == 0 ? 1 : walk[^1];
        int ia = walk.Length == 0 ? 0 : sa[^1], ib = walk.Length == 0 ? 0 : sb[^1];
        int rows = n == 0 ? 0 : y.Length / n;
        Span<int> idx = stackalloc int[Math.Max(1, walk.Length)];
        var w = new RowWalker(walk, sa, sb, idx);
        var A = a.Span; var B = b.Span; var Y = y.Span;
        if (rows == 1 && n >= 2 * Block)
            // one flat row (same shapes, or a scalar operand): 4096-float blocks in parallel
            RowParallel.For(Blocks(n), 3L * Block, (_, s, e) =>
            {
                int lo = s * Block, hi = Math.Min(n, e * Block);
                BinaryRow(op, ia == 1 ? a.Span[lo..] : a.Span, ia, ib == 1 ? b.Span[lo..] : b.Span, ib, y.Span[lo..hi]);
            });
        else
            for (int r = 0; r < rows; r++, w.Next())
                BinaryRow(op, A.Slice(w.Oa), ia, B.Slice(w.Ob), ib, Y.Slice(r * n, n));
        if (Autograd.Needs(a, b))
            Node(y, () => BinaryBackward(op, a, b, y, walk, sa, sb, ia, ib, n), a, b);
        return Done(y);
    }

    static void BinaryRow(BinOp op, ReadOnlySpan<float> a, int ia, ReadOnlySpan<float> b, int ib, Span<float> y)
    {
        int n = y.Length;
        if (ia == 1 && ib == 1)
        {
            a = a[..n]; b = b[..n];
            switch (op)
            {
                case BinOp.Add: TensorPrimitives.Add(a, b, y); break;
                case BinOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
                case BinOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
                default: TensorPrimitives.Divide(a, b, y); break;
            }
        }
        else if (ia == 1)
        {
            a = a[..n]; float s = b[0];
            switch (op)
            {
                case BinOp.Add: TensorPrimitives.Add(a, s, y); break;
                case BinOp.Sub: TensorPrimitives.Subtract(a, s, y); break;
                case BinOp.Mul: TensorPrimitives.Multiply(a, s, y); break;
                default: TensorPrimitives.Divide(a, s, y); break;
            }
        }
        else if (ib == 1)
        {
            b = b[..n]; float s = a[0];
            switch (op)
            {
                case BinOp.Add: TensorPrimitives.Add(b, s, y); break;
                case BinOp.Sub: TensorPrimitives.Subtract(s, b, y); break;
                case BinOp.Mul: TensorPrimitives.Multiply(b, s, y); break;
                default: TensorPrimitives.Divide(s, b, y); break;
            }
        }
        else y.Fill(Apply(op, a[0], b[0]));
    }

    static float Apply(BinOp op, float a, float b) => op switch
    {
        BinOp.Add => a + b, BinOp.Sub => a - b, BinOp.Mul => a * b, _ => a / b,
    };

    static void BinaryBackward(BinOp op, Tensor a, Tensor b, Tensor y, int[] walk, int[] sa, int[] sb, int ia, int ib, int n)
    {
        if (n == 0) return;
        var gy = G(y);
        if (walk.Length == 1 && ia == 1 && ib == 1 && op != BinOp.Div)
        {
            // same shapes (the residual adds, the loss products): a fresh input gradient is written, not zeroed + added
            if (a.RequiresGrad) SameShapeGradParallel(a, y, op == BinOp.Mul ? b : null, 1f);
            if (b.RequiresGrad) SameShapeGradParallel(b, y, op == BinOp.Mul ? a : null, op == BinOp.Sub ? -1f : 1f);
            return;
        }
        var A = a.Span; var B = b.Span;
        Span<float> gA = a.RequiresGrad ? a.GradSpan() : default, gB = b.RequiresGrad ? b.GradSpan() : default;
        bool needA = a.RequiresGrad, needB = b.RequiresGrad;
        int rows = y.Length / n;
        Span<int> idx = stackalloc int[Math.Max(1, walk.Length)];
        var w = new RowWalker(walk, sa, sb, idx);
        for (int r = 0; r < rows; r++, w.Next())
        {
            var g = gy.Slice(r * n, n);
            if (op == BinOp.Add || op == BinOp.Sub)
            {
                if (needA) AccRow(gA.Slice(w.Oa), ia, g, 1f);
                if (needB) AccRow(gB.Slice(w.Ob), ib, g, op == BinOp.Add ? 1f : -1f);
                continue;
            }
            if (op == BinOp.Mul && ia == 1 && ib == 1)
            {
                if (needA) { var d = gA.Slice(w.Oa, n); TensorPrimitives.FusedMultiplyAdd(g, B.Slice(w.Ob, n), d, d); }
                if (needB) { var d = gB.Slice(w.Ob, n); TensorPrimitives.FusedMultiplyAdd(g, A.Slice(w.Oa, n), d, d); }
                continue;
            }
            for (int j = 0; j < n; j++)
            {
                float av = A[w.Oa + j * ia], bv = B[w.Ob + j * ib], gv = g[j];
                if (op == BinOp.Mul)
                {
                    if (needA) gA[w.Oa + j * ia] += gv * bv;
                    if (needB) gB[w.Ob + j * ib] += gv * av;
                }
                else
                {
                    if (needA) gA[w.Oa + j * ia] += gv / bv;
                    if (needB) gB[w.Ob + j * ib] -= gv * av / (bv * bv);
                }
            }
        }
    }

    /// <summary>x's gradient (=|+=) sign·dy (or dy⊙other), in 4096-float blocks on the worker pool when large.</summary>
    static void SameShapeGradParallel(Tensor x, Tensor y, Tensor? other, float sign)
    {
        x.GradOut(out bool ow);
        int n = y.Length;
        RowParallel.For(Blocks(n), 3L * Block, (_, s, e) =>
        {
            int lo = s * Block, hi = Math.Min(n, e * Block);
            SameShapeGrad(x.Grad!.Span[lo..hi], G(y)[lo..hi], other is null ? default : other.Span[lo..hi], sign, ow);
        });
    }

    /// <summary>d (=|+=) sign·g, or g⊙other when other is given (Mul).</summary>
    static void SameShapeGrad(Span<float> d, ReadOnlySpan<float> g, ReadOnlySpan<float> other, float sign, bool overwrite)
    {
        if (!other.IsEmpty)
        {
            if (overwrite) TensorPrimitives.Multiply(g, other, d);
            else TensorPrimitives.FusedMultiplyAdd(g, other, d, d);
        }
        else if (overwrite)
        {
            if (sign == 1f) g.CopyTo(d); else TensorPrimitives.Negate(g, d);
        }
        else if (sign == 1f) TensorPrimitives.Add(d, g, d);
        else TensorPrimitives.Subtract(d, g, d);
    }

    static void AccRow(Span<float> dst, int stride, ReadOnlySpan<float> g, float sign)
    {
        if (stride == 1)
        {
            var d = dst[..g.Length];
            if (sign == 1f) TensorPrimitives.Add(d, g, d);
            else TensorPrimitives.Subtract(d, g, d);
        }
        else dst[0] += sign * TensorPrimitives.Sum(g);
    }
}
