// MatMul (batched, transpose flags) and Linear on Kernels.Gemm.Sgemm; transposes are never materialised,
// backward picks the GEMM transpose flags instead:
//   C = op(A)·op(B);  dA: op(A)=A → dA += dC·op(B)ᵀ,  op(A)=Aᵀ → dA += op(B)·dCᵀ;
//                     dB: op(B)=B → dB += op(A)ᵀ·dC,  op(B)=Bᵀ → dB += dCᵀ·op(A).
using Rethinker.Tensors.Kernels;

namespace Rethinker.Tensors;

public static partial class Ops
{
    /// <summary>[..., M, K] × [..., K, N] → [..., M, N] (stored transposed when the flag is set). Batch dims must match,
    /// or b (or a) may be 2-D and shared across the batch.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul: needs rank ≥ 2, got {Shapes.Str(a.Shape)} and {Shapes.Str(b.Shape)}");
        int M = transA ? a.Shape[^1] : a.Shape[^2], Ka = transA ? a.Shape[^2] : a.Shape[^1];
        int Kb = transB ? b.Shape[^1] : b.Shape[^2], N = transB ? b.Shape[^2] : b.Shape[^1];
        if (Ka != Kb)
            throw new ArgumentException($"MatMul: inner dims differ, {Shapes.Str(a.Shape)}{(transA ? "ᵀ" : "")} × {Shapes.Str(b.Shape)}{(transB ? "ᵀ" : "")} ({Ka} vs {Kb})");
        int K = Ka;
        int batchA = a.Length / Math.Max(1, M * K), batchB = b.Length / Math.Max(1, K * N);
        int[] lead;
        if (a.Rank == b.Rank && a.Shape.AsSpan(0, a.Rank - 2).SequenceEqual(b.Shape.AsSpan(0, b.Rank - 2))) lead = a.Shape[..^2];
        else if (b.Rank == 2) lead = a.Shape[..^2];
        else if (a.Rank == 2) lead = b.Shape[..^2];
        else throw new ArgumentException($"MatMul: batch dims differ, {Shapes.Str(a.Shape)} × {Shapes.Str(b.Shape)}");
        if (M * K == 0) batchA = Shapes.Product(a.Shape.AsSpan(0, a.Rank - 2), "MatMul");
        if (K * N == 0) batchB = Shapes.Product(b.Shape.AsSpan(0, b.Rank - 2), "MatMul");
        int batch = Math.Max(batchA, batchB);
        var y = Out("MatMul", [.. lead, M, N]);
        int lda = transA ? M : K, ldb = transB ? K : N;
        int sA = batchA == 1 ? 0 : M * K, sB = batchB == 1 ? 0 : K * N, sC = M * N;
        var A = a.Span; var B = b.Span; var C = y.Span;
        if (sB == 0 && !transA && batch > 1) // shared B: fold the batch into M (one big GEMM)
            Gemm.Sgemm(false, transB, batch * M, N, K, 1f, A, K, B, ldb, 0f, C, N);
        else
            for (int i = 0; i < batch; i++)
                Gemm.Sgemm(transA, transB, M, N, K, 1f, A.Slice(i * sA), lda, B.Slice(i * sB), ldb, 0f, C.Slice(i * sC), N);
        if (Autograd.Needs(a, b))
            Node(y, () => MatMulBackward(a, b, y, transA, transB, batch, M, N, K, sA, sB), a, b);
        return Done(y);
    }

    static void MatMulBackward(Tensor a, Tensor b, Tensor y, bool transA, bool transB, int batch, int M, int N, int K, int sA, int sB)
    {
        var A = a.Span; var B = b.Span; var dC = G(y);
        int lda = transA ? M : K, ldb = transB ? K : N, sC = M * N;
        // A fresh gradient buffer is written (beta 0) instead of zero-filled and accumulated; a slice shared across the
        // batch (sA or sB = 0) is written by the first product only.
        if (a.RequiresGrad)
        {
            var dA = a.GradOut(out bool overwrite);
            if (sB == 0 && !transA && batch > 1)
                Gemm.Sgemm(false, !transB, batch * M, K, N, 1f, dC, N, B, ldb, overwrite ? 0f : 1f, dA, K);
            else
                for (int i = 0; i < batch; i++)
                {
                    float beta = overwrite && (i == 0 || sA != 0) ? 0f : 1f;
                    if (!transA) Gemm.Sgemm(false, !transB, M, K, N, 1f, dC.Slice(i * sC), N, B.Slice(i * sB), ldb, beta, dA.Slice(i * sA), lda);
                    else Gemm.Sgemm(transB, true, K, M, N, 1f, B.Slice(i * sB), ldb, dC.Slice(i * sC), N, beta, dA.Slice(i * sA), lda);
                }
        }
        if (b.RequiresGrad)
        {
            var dB = b.GradOut(out bool overwrite);
            if (sB == 0 && !transA && batch > 1)
            {
                // shared B with the batch folded into M: one GEMM over batch·M rows
                if (!transB) Gemm.Sgemm(true, false, K, N, batch * M, 1f, A, K, dC, N, overwrite ? 0f : 1f, dB, ldb);
                else Gemm.Sgemm(true, false, N, K, batch * M, 1f, dC, N, A, K, overwrite ? 0f : 1f, dB, ldb);
            }
            else
                for (int i = 0; i < batch; i++)
                {
                    float beta = overwrite && (i == 0 || sB != 0) ? 0f : 1f;
                    if (!transB) Gemm.Sgemm(!transA, false, K, N, M, 1f, A.Slice(i * sA), lda, dC.Slice(i * sC), N, beta, dB.Slice(i * sB), ldb);
                    else Gemm.Sgemm(true, transA, N, K, M, 1f, dC.Slice(i * sC), N, A.Slice(i * sA), lda, beta, dB.Slice(i * sB), ldb);
                }
        }
    }

    /// <summary>x [..., in] · Wᵀ + b with W [out, in] (HF layout) → [..., out].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2) throw new ArgumentException($"Linear: weight must be [out, in], got {Shapes.Str(weight.Shape)}");
        int O = weight.Shape[0], I = weight.Shape[1];
        if (x.Rank < 1 || x.Shape[^1] != I)
            throw new ArgumentException($"Linear: x {Shapes.Str(x.Shape)} last dim must equal weight {Shapes.Str(weight.Shape)} in-features {I}");
        if (bias is not null && (bias.Rank != 1 || bias.Length != O))
            throw new ArgumentException($"Linear: bias {Shapes.Str(bias.Shape)} must be [{O}] for weight {Shapes.Str(weight.Shape)}");
        int R = I == 0 ? Shapes.Product(x.Shape.AsSpan(0, x.Rank - 1), "Linear") : x.Length / I;
        var shape = (int[])x.Shape.Clone();
        shape[^1] = O;
        var y = Out("Linear", shape);
        var Y = y.Span;
        if (bias is not null) { var bs = bias.Span; for (int r = 0; r < R; r++) bs.CopyTo(Y.Slice(r * O, O)); }
        Gemm.Sgemm(false, true, R, O, I, 1f, x.Span, I, weight.Span, I, bias is null ? 0f : 1f, Y, O);
        bool needs = bias is null ? Autograd.Needs(x, weight) : Autograd.Needs(x, weight, bias);
        if (needs)
        {
            Tensor[] parents = bias is null ? [x, weight] : [x, weight, bias];
            Node(y, () =>
            {
                var dY = G(y);
                if (x.RequiresGrad)
                {
                    var dx = x.GradOut(out bool overwrite);
                    Gemm.Sgemm(false, false, R, I, O, 1f, dY, O, weight.Span, I, overwrite ? 0f : 1f, dx, I);
                }
                if (weight.RequiresGrad) Gemm.Sgemm(true, false, O, I, R, 1f, dY, O, x.Span, I, 1f, weight.GradSpan(), I);
                if (bias is { RequiresGrad: true })
                {
                    var db = bias.GradSpan();
                    for (int r = 0; r < R; r++) System.Numerics.Tensors.TensorPrimitives.Add(db, dY.Slice(r * O, O), db);
                }
            }, parents);
        }
        return Done(y);
    }
}
