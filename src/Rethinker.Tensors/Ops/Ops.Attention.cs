// Fused attention op over packed variable-length sequences: validates the layout and calls
// Kernels.FlashAttention (forward keeps only o and lse [Tq·Hq]; backward recomputes the scores).
// Layout: q [Tq, Hq, D], k/v [Tk, Hkv, D], cuSeqlensQ/K [nSeq+1]; causal is bottom-right aligned.
using System.Numerics.Tensors;
using Rethinker.Tensors.Kernels;

namespace Rethinker.Tensors;

public static partial class Ops
{
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, ReadOnlySpan<int> cuSeqlensQ, ReadOnlySpan<int> cuSeqlensK,
        bool causal, float? scale = null)
    {
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3)
            throw new ArgumentException($"Attention: q, k, v must be [T, H, D], got {Shapes.Str(q.Shape)}, {Shapes.Str(k.Shape)}, {Shapes.Str(v.Shape)}");
        if (!Shapes.Equal(k.Shape, v.Shape))
            throw new ArgumentException($"Attention: k {Shapes.Str(k.Shape)} and v {Shapes.Str(v.Shape)} differ");
        int Tq = q.Shape[0], Hq = q.Shape[1], D = q.Shape[2], Tk = k.Shape[0], Hkv = k.Shape[1];
        if (k.Shape[2] != D)
            throw new ArgumentException($"Attention: head dims differ, q {Shapes.Str(q.Shape)} vs k {Shapes.Str(k.Shape)}");
        if (Hkv == 0 || Hq % Hkv != 0)
            throw new ArgumentException($"Attention: query heads {Hq} not a multiple of kv heads {Hkv} (q {Shapes.Str(q.Shape)}, k {Shapes.Str(k.Shape)})");
        CheckCuSeqlens(cuSeqlensQ, Tq, "cuSeqlensQ", q);
        CheckCuSeqlens(cuSeqlensK, Tk, "cuSeqlensK", k);
        if (cuSeqlensQ.Length != cuSeqlensK.Length)
            throw new ArgumentException($"Attention: cuSeqlensQ has {cuSeqlensQ.Length - 1} sequences, cuSeqlensK {cuSeqlensK.Length - 1}");
        float sc = scale ?? 1f / MathF.Sqrt(D);
        var cuQ = cuSeqlensQ.ToArray(); var cuK = cuSeqlensK.ToArray();
        var y = Out("Attention", [Tq, Hq, D]);
        var lse = Tensor.Empty([Tq * Hq]);
        FlashAttention.Forward(q.Span, k.Span, v.Span, y.Span, lse.Span, Hq, Hkv, D, cuQ, cuK, causal, sc);
        if (Autograd.Needs(q, k, v))
        {
            y.Saved = lse;
            Node(y, () =>
            {
                // The kernel overwrites dQ/dK/dV: a fresh input gradient is its target directly; otherwise a temporary is added in.
                var tq = AttentionGradTarget(q); var tk = AttentionGradTarget(k); var tv = AttentionGradTarget(v);
                FlashAttention.Backward(q.Span, k.Span, v.Span, y.Span, lse.Span, G(y), (tq ?? q.Grad!).Span, (tk ?? k.Grad!).Span,
                    (tv ?? v.Grad!).Span, Hq, Hkv, D, cuQ, cuK, causal, sc);
                if (tq is not null) { if (q.RequiresGrad) { var g = q.GradSpan(); TensorPrimitives.Add(g, tq.Span, g); } tq.Dispose(); }
                if (tk is not null) { if (k.RequiresGrad) { var g = k.GradSpan(); TensorPrimitives.Add(g, tk.Span, g); } tk.Dispose(); }
                if (tv is not null) { if (v.RequiresGrad) { var g = v.GradSpan(); TensorPrimitives.Add(g, tv.Span, g); } tv.Dispose(); }
            }, q, k, v);
        }
        else lse.Dispose();
        return Done(y);
    }

    /// <summary>Where the attention backward writes x's gradient: null when x's own gradient buffer is fresh (the kernel
    /// writes it directly), else a temporary to add in afterwards.</summary>
    static Tensor? AttentionGradTarget(Tensor x)
    {
        if (x.RequiresGrad)
        {
            x.GradOut(out bool fresh);
            if (fresh) return null;
        }
        return Tensor.Empty((int[])x.Shape.Clone());
    }

    static void CheckCuSeqlens(ReadOnlySpan<int> cu, int T, string name, Tensor x)
    {
        if (cu.Length < 2 || cu[0] != 0 || cu[^1] != T)
            throw new ArgumentException($"Attention: {name} [{string.Join(", ", cu.ToArray())}] must start at 0 and end at T = {T} ({Shapes.Str(x.Shape)})");
        for (int i = 1; i < cu.Length; i++)
            if (cu[i] < cu[i - 1]) throw new ArgumentException($"Attention: {name} decreases at {i}: [{string.Join(", ", cu.ToArray())}]");
    }
}
