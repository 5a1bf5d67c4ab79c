// Softmax / log-softmax over the last axis and the fused RMSNorm / LayerNorm (weights over the last axis).
// Per-row statistics (r, mean) are kept in a pooled Saved tensor for backward. Row kernels: Kernels/Rows; rows run in
// parallel chunks when large (RowParallel); weight grads then go through one partial buffer per chunk.
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Softmax(Tensor x) => SoftmaxLike(x, log: false);
    public static Tensor LogSoftmax(Tensor x) => SoftmaxLike(x, log: true);

    static Tensor SoftmaxLike(Tensor x, bool log)
    {
        string name = log ? "LogSoftmax" : "Softmax";
        int n = Shapes.Last(x, name);
        var y = Out(name, (int[])x.Shape.Clone());
        int rows = n == 0 ? 0 : x.Length / n;
        RowParallel.For(rows, 2L * n, (_, s, e) =>
        {
            var X = x.Span; var Y = y.Span;
            for (int r = s; r < e; r++)
            {
                if (log) SoftmaxRows.LogSoftmax(X.Slice(r * n, n), Y.Slice(r * n, n));
                else SoftmaxRows.Softmax(X.Slice(r * n, n), Y.Slice(r * n, n));
            }
        });
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                x.GradSpan();
                RowParallel.For(rows, 3L * n, (_, s, e) =>
                {
                    var Yb = y.Span; var gy = G(y); var dx = x.GradSpan();
                    for (int r = s; r < e; r++)
                    {
                        if (log) SoftmaxRows.LogSoftmaxBackward(Yb.Slice(r * n, n), gy.Slice(r * n, n), dx.Slice(r * n, n));
                        else SoftmaxRows.SoftmaxBackward(Yb.Slice(r * n, n), gy.Slice(r * n, n), dx.Slice(r * n, n));
                    }
                });
            }, x);
        return Done(y);
    }

    public static Tensor RmsNorm(Tensor x, Tensor weight, float eps)
    {
        int n = Shapes.Last(x, "RmsNorm");
        if (weight.Rank != 1 || weight.Length != n)
            throw new ArgumentException($"RmsNorm: weight {Shapes.Str(weight.Shape)} must be [{n}] for x {Shapes.Str(x.Shape)}");
        var y = Out("RmsNorm", (int[])x.Shape.Clone());
        int rows = n == 0 ? 0 : x.Length / n;
        var rs = Tensor.Empty([rows]);
        RowParallel.For(rows, 2L * n, (_, s, e) =>
        {
            var X = x.Span; var W = weight.Span; var Y = y.Span; var R = rs.Span;
            for (int r = s; r < e; r++) R[r] = NormRows.RmsNorm(X.Slice(r * n, n), W, eps, Y.Slice(r * n, n));
        });
        if (Autograd.Needs(x, weight))
        {
            y.Saved = rs;
            Node(y, () =>
            {
                bool write = false;
                if (x.RequiresGrad) x.GradOut(out write);   // a fresh dx is written, not zero-filled then accumulated
                using var partial = new PartialGrads(weight, rows, 4L * n);
                RowParallel.For(rows, 4L * n, (c, s, e) =>
                {
                    var Xb = x.Span; var Wb = weight.Span; var Rb = rs.Span; var gy = G(y);
                    var dx = x.RequiresGrad ? x.GradSpan() : default;
                    var dw = partial.For(c);
                    for (int r = s; r < e; r++)
                        NormRows.RmsNormBackward(Xb.Slice(r * n, n), Wb, Rb[r], gy.Slice(r * n, n),
                            dx.IsEmpty ? default : dx.Slice(r * n, n), dw, accumulateDx: !write);
                });
            }, x, weight);
        }
        else rs.Dispose();
        return Done(y);
    }

    public static Tensor LayerNorm(Tensor x, Tensor weight, Tensor? bias, float eps)
    {
        int n = Shapes.Last(x, "LayerNorm");
        if (weight.Rank != 1 || weight.Length != n)
            throw new ArgumentException($"LayerNorm: weight {Shapes.Str(weight.Shape)} must be [{n}] for x {Shapes.Str(x.Shape)}");
        if (bias is not null && (bias.Rank != 1 || bias.Length != n))
            throw new ArgumentException($"LayerNorm: bias {Shapes.Str(bias.Shape)} must be [{n}] for x {Shapes.Str(x.Shape)}");
        var y = Out("LayerNorm", (int[])x.Shape.Clone());
        int rows = n == 0 ? 0 : x.Length / n;
        var st = Tensor.Empty([rows * 2]);
        RowParallel.For(rows, 2L * n, (_, s, e) =>
        {
            var X = x.Span; var W = weight.Span; var B = bias is null ? default : bias.Span; var Y = y.Span; var S = st.Span;
            for (int r = s; r < e; r++)
            {
                var (m, rr) = NormRows.LayerNorm(X.Slice(r * n, n), W, B, eps, Y.Slice(r * n, n));
                S[2 * r] = m; S[2 * r + 1] = rr;
            }
        });
        bool needs = bias is null ? Autograd.Needs(x, weight) : Autograd.Needs(x, weight, bias);
        if (needs)
        {
            y.Saved = st;
            Tensor[] parents = bias is null ? [x, weight] : [x, weight, bias];
            Node(y, () =>
            {
                if (x.RequiresGrad) x.GradSpan();
                using var pw = new PartialGrads(weight, rows, 4L * n);
                using var pb = new PartialGrads(bias, rows, 4L * n);
                RowParallel.For(rows, 4L * n, (c, s, e) =>
                {
                    var Xb = x.Span; var Wb = weight.Span; var Sb = st.Span; var gy = G(y);
                    var dx = x.RequiresGrad ? x.GradSpan() : default;
                    var dw = pw.For(c); var db = pb.For(c);
                    for (int r = s; r < e; r++)
                        NormRows.LayerNormBackward(Xb.Slice(r * n, n), Wb, Sb[2 * r], Sb[2 * r + 1], gy.Slice(r * n, n),
                            dx.IsEmpty ? default : dx.Slice(r * n, n), dw, db);
                });
            }, parents);
        }
        else st.Dispose();
        return Done(y);
    }

    /// <summary>Per-chunk gradient buffers for a parameter shared by all rows (norm weights): chunk c accumulates into
    /// its own zeroed slice, Dispose adds them into the parameter's Grad. With one chunk it writes Grad directly.</summary>
    sealed class PartialGrads : IDisposable
    {
        readonly Tensor? _p;
        readonly Tensor? _buf;
        readonly int _n;

        public PartialGrads(Tensor? p, int rows, long floatsPerRow)
        {
            if (p is not { RequiresGrad: true }) return;
            _p = p; _n = p.Length;
            p.GradSpan();
            int chunks = RowParallel.Chunks(rows, floatsPerRow);
            if (chunks > 1) _buf = Tensor.ZerosInternal([chunks, _n]);
        }

        public Span<float> For(int chunk) =>
            _p is null ? default : _buf is null ? _p.GradSpan() : _buf.Span.Slice(chunk * _n, _n);

        public void Dispose()
        {
            if (_buf is null || _p is null) return;
            var g = _p.GradSpan();
            for (int c = 0; c < _buf.Length / _n; c++) TensorPrimitives.Add(g, _buf.Span.Slice(c * _n, _n), g);
            _buf.Dispose();
        }
    }
}
