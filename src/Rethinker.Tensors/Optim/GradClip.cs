// Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_: norm = √Σ‖g‖² (accumulated in double);
// if norm > maxNorm every grad is scaled by maxNorm/(norm + 1e-6). A non-finite norm is returned and the
// grads are left untouched, so the caller can skip the step.
using System.Numerics.Tensors;

namespace Rethinker.Tensors.Optim;

public static class GradClip
{
    /// <summary>Returns the pre-clip global L2 norm of all gradients.</summary>
    public static float ClipGlobalNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentException($"ClipGlobalNorm: maxNorm must be > 0, got {maxNorm}");
        var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
        double ss = 0;
        foreach (var p in list)
        {
            if (p.Grad is null) continue;
            var g = p.Grad.Span;
            for (int i = 0; i < g.Length; i += 4096)
                ss += TensorPrimitives.SumOfSquares(g.Slice(i, Math.Min(4096, g.Length - i)));
        }
        double norm = Math.Sqrt(ss);
        if (!double.IsFinite(norm)) return (float)norm;
        if (norm > maxNorm)
        {
            float c = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in list)
                if (p.Grad is not null) TensorPrimitives.Multiply(p.Grad.Span, c, p.Grad.Span);
        }
        return (float)norm;
    }
}
