// Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_: norm = √Σ‖g‖² (accumulated in double);
// if norm > maxNorm every grad is scaled by maxNorm/(norm + 1e-6). A non-finite norm is returned and the
// grads are left untouched, so the caller can skip the step.
using System.Numerics.Tensors;

namespace Rethinker.Tensors.Optim;

public static class GradClip
{
    const int Block = 4096;

    /// <summary>Returns the pre-clip global L2 norm of all gradients.</summary>
    public static float ClipGlobalNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentException($"ClipGlobalNorm: maxNorm must be > 0, got {maxNorm}");
        var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
        // 4096-float blocks, each squared-summed in float and added in double in block order: parallel chunks of blocks
        // keep per-block partials, so the total is the same whatever the thread count
        var blocks = new List<(Tensor G, int Start, int Length)>();
        foreach (var p in list)
        {
            if (p.Grad is null) continue;
            for (int i = 0; i < p.Length; i += Block) blocks.Add((p.Grad, i, Math.Min(Block, p.Length - i)));
        }
        var partial = new double[blocks.Count];
        Kernels.Rows.RowParallel.For(blocks.Count, Block, (_, lo, hi) =>
        {
            for (int b = lo; b < hi; b++) partial[b] = TensorPrimitives.SumOfSquares(blocks[b].G.Span.Slice(blocks[b].Start, blocks[b].Length));
        });
        double ss = 0;
        foreach (double v in partial) ss += v;
        double norm = Math.Sqrt(ss);
        if (!double.IsFinite(norm)) return (float)norm;
        if (norm > maxNorm)
        {
            float c = (float)(maxNorm / (norm + 1e-6));
            Kernels.Rows.RowParallel.For(blocks.Count, 2L * Block, (_, lo, hi) =>
            {
                for (int b = lo; b < hi; b++)
                {
                    var g = blocks[b].G.Span.Slice(blocks[b].Start, blocks[b].Length);
                    TensorPrimitives.Multiply(g, c, g);
                }
            });
        }
        return (float)norm;
    }
}
