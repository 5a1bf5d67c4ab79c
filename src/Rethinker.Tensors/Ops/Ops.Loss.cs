// Losses over [N, V] logits: fused per-token log-prob of given targets and cross-entropy with an ignore index
// (torch.nn.functional.cross_entropy, reduction='mean' over non-ignored rows). Only one float per row (lse) is
// kept for backward. Deviation from torch: when every target is ignored the loss is 0 (torch gives NaN).
using Rethinker.Tensors.Kernels.Rows;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor TokenLogProbs(Tensor logits, ReadOnlySpan<int> targets)
    {
        var (N, V) = LogitsShape(logits, targets, "TokenLogProbs", int.MinValue);
        var tg = targets.ToArray();
        var y = Out("TokenLogProbs", [N]);
        var lse = Tensor.Empty([N]);
        RowParallel.For(N, V, (_, s, e) =>
        {
            var X = logits.Span; var Y = y.Span; var L = lse.Span;
            for (int i = s; i < e; i++)
            {
                var row = X.Slice(i * V, V);
                var (max, logSum) = SoftmaxRows.MaxAndLogSum(row);
                L[i] = max + logSum;
                Y[i] = row[tg[i]] - max - logSum;
            }
        });
        if (Autograd.Needs(logits))
        {
            y.Saved = lse;
            Node(y, () =>
            {
                logits.GradOut(out bool write);   // a fresh [N, V] gradient is written row by row, never zero-filled first
                RowParallel.For(N, 2L * V, (_, s, e) =>
                {
                    var Xb = logits.Span; var Lb = lse.Span; var gy = G(y); var dx = logits.GradSpan();
                    for (int i = s; i < e; i++)
                        if (gy[i] != 0) SoftmaxRows.LogProbBackward(Xb.Slice(i * V, V), Lb[i], tg[i], gy[i], dx.Slice(i * V, V), accumulate: !write);
                        else if (write) dx.Slice(i * V, V).Clear();
                });
            }, logits);
        }
        else lse.Dispose();
        return Done(y);
    }

    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, int ignoreIndex = -100)
    {
        var (N, V) = LogitsShape(logits, targets, "CrossEntropy", ignoreIndex);
        var tg = targets.ToArray();
        var y = Out("CrossEntropy", []);
        var lse = Tensor.Empty([N]);
        var perRow = Tensor.Empty([N]);
        RowParallel.For(N, V, (_, s, e) =>
        {
            var X = logits.Span; var L = lse.Span; var P = perRow.Span;
            for (int i = s; i < e; i++)
            {
                if (tg[i] == ignoreIndex) { P[i] = 0; continue; }
                var row = X.Slice(i * V, V);
                var (max, logSum) = SoftmaxRows.MaxAndLogSum(row);
                L[i] = max + logSum;
                P[i] = logSum - (row[tg[i]] - max);
            }
        });
        double total = 0;
        int count = 0;
        for (int i = 0; i < N; i++) if (tg[i] != ignoreIndex) { total += perRow.Span[i]; count++; }
        perRow.Dispose();
        y.Span[0] = count == 0 ? 0f : (float)(total / count);
        if (Autograd.Needs(logits) && count > 0)
        {
            y.Saved = lse;
            Node(y, () =>
            {
                logits.GradOut(out bool write);
                float g = -G(y)[0] / count;
                RowParallel.For(N, 2L * V, (_, s, e) =>
                {
                    var Xb = logits.Span; var Lb = lse.Span; var dx = logits.GradSpan();
                    for (int i = s; i < e; i++)
                        if (tg[i] != ignoreIndex) SoftmaxRows.LogProbBackward(Xb.Slice(i * V, V), Lb[i], tg[i], g, dx.Slice(i * V, V), accumulate: !write);
                        else if (write) dx.Slice(i * V, V).Clear();
                });
            }, logits);
        }
        else lse.Dispose();
        return Done(y);
    }

    static (int N, int V) LogitsShape(Tensor logits, ReadOnlySpan<int> targets, string op, int ignoreIndex)
    {
        if (logits.Rank != 2) throw new ArgumentException($"{op}: logits must be [N, V], got {Shapes.Str(logits.Shape)}");
        int N = logits.Shape[0], V = logits.Shape[1];
        if (targets.Length != N)
            throw new ArgumentException($"{op}: {targets.Length} targets for logits {Shapes.Str(logits.Shape)} (needs {N})");
        for (int i = 0; i < N; i++)
            if (targets[i] != ignoreIndex && (uint)targets[i] >= (uint)V)
                throw new ArgumentException($"{op}: target {targets[i]} at row {i} out of range [0, {V}) for logits {Shapes.Str(logits.Shape)}");
        return (N, V);
    }
}
