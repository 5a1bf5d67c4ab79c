// Softmax / log-softmax over the last axis and the fused RMSNorm / LayerNorm (weights over the last axis).
// Per-row statistics (r, mean) are kept in a pooled Saved tensor for backward. Row kernels: Kernels/Rows.
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
        var X = x.Span; var Y = y.Span;
        for (int r = 0; r < rows; r++)
        {
            if (log) SoftmaxRows.LogSoftmax(X.Slice(r * n, n), Y.Slice(r * n, n));
            else SoftmaxRows.Softmax(X.Slice(r * n, n), Y.Slice(r * n, n));
        }
        if (Autograd.Needs(x))
            Node(y, () =>
            {
                var Yb = y.Span; var gy = G(y); var dx = x.GradSpan();
                for (int r = 0; r < rows; r++)
                {
                    if (log) SoftmaxRows.LogSoftmaxBackward(Yb.Slice(r * n, n), gy.Slice(r * n, n), dx.Slice(r * n, n));
                    else SoftmaxRows.SoftmaxBackward(Yb.Slice(r * n, n), gy.Slice(r * n, n), dx.Slice(r * n, n));
                }
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
        var X = x.Span; var W = weight.Span; var Y = y.Span; var R = rs.Span;
        for (int r = 0; r < rows; r++) R[r] = NormRows.RmsNorm(X.Slice(r * n, n), W, eps, Y.Slice(r * n, n));
        if (Autograd.Needs(x, weight))
        {
            y.Saved = rs;
            Node(y, () =>
            {
                var Xb = x.Span; var Wb = weight.Span; var Rb = rs.Span; var gy = G(y);
                var dx = x.RequiresGrad ? x.GradSpan() : default;
                var dw = weight.RequiresGrad ? weight.GradSpan() : default;
                for (int r = 0; r < rows; r++)
                    NormRows.RmsNormBackward(Xb.Slice(r * n, n), Wb, Rb[r], gy.Slice(r * n, n),
                        dx.IsEmpty ? default : dx.Slice(r * n, n), dw);
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
        var X = x.Span; var W = weight.Span; var B = bias is null ? default : bias.Span; var Y = y.Span; var S = st.Span;
        for (int r = 0; r < rows; r++)
        {
            var (m, rr) = NormRows.LayerNorm(X.Slice(r * n, n), W, B, eps, Y.Slice(r * n, n));
            S[2 * r] = m; S[2 * r + 1] = rr;
        }
        bool needs = bias is null ? Autograd.Needs(x, weight) : Autograd.Needs(x, weight, bias);
        if (needs)
        {
            y.Saved = st;
            Tensor[] parents = bias is null ? [x, weight] : [x, weight, bias];
            Node(y, () =>
            {
                var Xb = x.Span; var Wb = weight.Span; var Sb = st.Span; var gy = G(y);
                var dx = x.RequiresGrad ? x.GradSpan() : default;
                var dw = weight.RequiresGrad ? weight.GradSpan() : default;
                var db = bias is { RequiresGrad: true } ? bias.GradSpan() : default;
                for (int r = 0; r < rows; r++)
                    NormRows.LayerNormBackward(Xb.Slice(r * n, n), Wb, Sb[2 * r], Sb[2 * r + 1], gy.Slice(r * n, n),
                        dx.IsEmpty ? default : dx.Slice(r * n, n), dw, db);
            }, parents);
        }
        else st.Dispose();
        return Done(y);
    }
}
