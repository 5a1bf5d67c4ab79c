// Rotary position embedding: x [T, H, D], cos/sin [T, D] already expanded per position (HF rotate_half,
// M-RoPE sections are merged into the tables by the caller). D must be even.
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Rope(Tensor x, Tensor cos, Tensor sin)
    {
        if (x.Rank != 3) throw new ArgumentException($"Rope: x must be [T, H, D], got {Shapes.Str(x.Shape)}");
        int T = x.Shape[0], H = x.Shape[1], D = x.Shape[2];
        if (D % 2 != 0) throw new ArgumentException($"Rope: head dim D = {D} must be even, x {Shapes.Str(x.Shape)}");
        if (cos.Rank != 2 || cos.Shape[0] != T || cos.Shape[1] != D)
            throw new ArgumentException($"Rope: cos {Shapes.Str(cos.Shape)} must be [T, D] = [{T}, {D}] for x {Shapes.Str(x.Shape)}");
        if (!Shapes.Equal(cos.Shape, sin.Shape))
            throw new ArgumentException($"Rope: cos {Shapes.Str(cos.Shape)} and sin {Shapes.Str(sin.Shape)} differ");
        var y = Out("Rope", [T, H, D]);
        RowParallel.For(T * H, 2L * D, (_, s, e) =>
        {
            var X = x.Span; var C = cos.Span; var S = sin.Span; var Y = y.Span;
            for (int row = s; row < e; row++)
            {
                int t = row / H, o = row * D;
                RopeRows.Forward(X.Slice(o, D), C.Slice(t * D, D), S.Slice(t * D, D), Y.Slice(o, D));
            }
        });
        if (Autograd.Needs(x, cos, sin))
            Node(y, () =>
            {
                var gy = G(y); var Cb = cos.Span; var Sb = sin.Span; var Xb = x.Span;
                if (x.RequiresGrad)
                {
                    x.GradOut(out bool write);   // a fresh dx is written, not zero-filled then accumulated
                    RowParallel.For(T * H, 3L * D, (_, s, e) =>
                    {
                        var g = G(y); var c = cos.Span; var sn = sin.Span; var dx = x.GradSpan();
                        for (int row = s; row < e; row++)
                        {
                            int t = row / H, o = row * D;
                            RopeRows.Backward(g.Slice(o, D), c.Slice(t * D, D), sn.Slice(t * D, D), dx.Slice(o, D), accumulate: !write);
                        }
                    });
                }
                if (!cos.RequiresGrad && !sin.RequiresGrad) return;
                var dc = cos.RequiresGrad ? cos.GradSpan() : default;
                var ds = sin.RequiresGrad ? sin.GradSpan() : default;
                for (int t = 0; t < T; t++)
                    for (int h = 0; h < H; h++)
                    {
                        int o = (t * H + h) * D;
                        RopeRows.TableBackward(Xb.Slice(o, D), gy.Slice(o, D),
                            dc.IsEmpty ? default : dc.Slice(t * D, D), ds.IsEmpty ? default : ds.Slice(t * D, D));
                    }
            }, x, cos, sin);
        return Done(y);
    }
}
