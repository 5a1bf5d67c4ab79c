// Inference-time release of intermediate tensors: outside a NoGrad scope nothing is freed (backward needs the
// values, and Backward() releases the graph itself); inside one, a forward returns each temporary to the
// TensorPool as soon as it is consumed, so peak memory stays near the weights plus one layer's activations.
using Rethinker.Tensors;

namespace Rethinker.Models.Modules;

public static class Scratch
{
    public static void Free(Tensor? a, Tensor? b = null, Tensor? c = null, Tensor? d = null)
    {
        if (Autograd.IsEnabled) return;
        a?.Dispose(); b?.Dispose(); c?.Dispose(); d?.Dispose();
    }
}
