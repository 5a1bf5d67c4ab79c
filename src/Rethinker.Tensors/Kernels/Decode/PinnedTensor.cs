// A tensor's storage pinned for the length of a decode run, so the step's kernels can take raw pointers to weights
// that live in managed arrays (which the GC could otherwise move). Dispose unpins. The tensor must stay alive and
// keep its storage (no Dispose) while pinned; in-place updates (optimizer steps) between runs are seen.
using System.Runtime.InteropServices;

namespace Rethinker.Tensors.Kernels.Decode;

public sealed unsafe class PinnedTensor : IDisposable
{
    GCHandle _handle;

    public PinnedTensor(Tensor t)
    {
        Tensor = t;
        _handle = GCHandle.Alloc(t.Data, GCHandleType.Pinned);
        Pointer = (float*)_handle.AddrOfPinnedObject();
    }

    public Tensor Tensor { get; }
    public float* Pointer { get; }

    public void Dispose()
    {
        if (_handle.IsAllocated) _handle.Free();
    }
}
