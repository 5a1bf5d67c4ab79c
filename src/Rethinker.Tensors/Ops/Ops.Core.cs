// Shared plumbing of the Ops partial class: output allocation, node recording, debug checks.
// Ops live in folder Ops/ but in namespace Rethinker.Tensors (the public API contract, TENSOR_API.md).
// Convention: forward computes into a fresh pooled tensor; backward closures ACCUMULATE into input grads.
namespace Rethinker.Tensors;

public static partial class Ops
{
    static Tensor Out(string op, int[] shape)
    {
        OpProfiler.BeginForward();
        var y = Tensor.Empty(shape);
        y.Op = op;
        return y;
    }

    static Tensor Done(Tensor y)
    {
        OpProfiler.EndForward(y);
        return TensorDebug.Checked(y);
    }

    static void Node(Tensor y, Action backward, params Tensor[] parents) => y.MarkNode(y.Op!, parents, backward);

    static ReadOnlySpan<float> G(Tensor y) => y.Grad!.Span;
}
