// Bump allocator over native blocks for the per-step data of the decode fast path (phase table, job structs, chunk
// tables, per-sequence pointers): kernels on other threads read them through raw pointers, so they must not live in
// movable managed memory, and reusing the blocks every step keeps the step allocation-free after warm-up.
using System.Runtime.InteropServices;

namespace Rethinker.Models.Generation;

internal sealed unsafe class NativeArena : IDisposable
{
    const int BlockBytes = 64 << 10;
    readonly List<(nint Ptr, int Size)> _blocks = [];
    int _block, _used;

    /// <summary>Forgets every allocation; the blocks are reused.</summary>
    public void Reset() { _block = 0; _used = 0; }

    /// <summary>count zeroed T's, 64-byte aligned, valid until the next Reset.</summary>
    public T* Alloc<T>(int count) where T : unmanaged
    {
        int bytes = Math.Max(1, count * sizeof(T));
        bytes = (bytes + 63) & ~63;
        while (true)
        {
            if (_block == _blocks.Count)
            {
                int size = Math.Max(BlockBytes, bytes);
                _blocks.Add(((nint)NativeMemory.AlignedAlloc((nuint)size, 64), size));
            }
            var (ptr, cap) = _blocks[_block];
            if (_used + bytes <= cap)
            {
                var p = (byte*)ptr + _used;
                _used += bytes;
                new Span<byte>(p, bytes).Clear();
                return (T*)p;
            }
            _block++; _used = 0;
        }
    }

    public void Dispose()
    {
        foreach (var (ptr, _) in _blocks) NativeMemory.AlignedFree((void*)ptr);
        _blocks.Clear();
    }
}
