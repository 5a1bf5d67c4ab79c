// Pooled float storage for tensors: exact-length arrays kept in per-length free lists, so a training step that
// repeats the same shapes rents back the arrays the previous step returned and allocates ~nothing.
// Storage is reference counted because Reshape views share it. Not a general allocator: no size-class rounding
// (shapes repeat exactly in training), a byte cap bounds what idle lists may hold.
namespace Rethinker.Tensors;

public static class TensorPool
{
    static readonly Dictionary<int, Stack<float[]>> Free = new();
    static readonly Lock Gate = new();
    static long _retainedBytes;

    /// <summary>Most bytes the idle lists keep; arrays returned beyond it go to the GC. Default 8 GiB.</summary>
    public static long MaxRetainedBytes { get; set; } = 8L << 30;

    /// <summary>Bytes currently idle in the pool.</summary>
    public static long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    /// <summary>Rents an array of exactly <paramref name="length"/> floats; contents are arbitrary.</summary>
    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        lock (Gate)
        {
            if (Free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                _retainedBytes -= 4L * length;
                return stack.Pop();
            }
        }
        return GC.AllocateUninitializedArray<float>(length);
    }

    public static void Return(float[] array)
    {
        if (array.Length == 0) return;
        lock (Gate)
        {
            if (_retainedBytes + 4L * array.Length > MaxRetainedBytes) return;
            if (!Free.TryGetValue(array.Length, out var stack)) Free[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
            _retainedBytes += 4L * array.Length;
        }
    }

    /// <summary>Drops every idle array (e.g. after loading a model whose shapes will not recur).</summary>
    public static void Trim()
    {
        lock (Gate) { Free.Clear(); _retainedBytes = 0; }
    }
}

/// <summary>A pooled array shared by a tensor and its reshaped views.</summary>
internal sealed class Storage(float[] data)
{
    public float[]? Data = data;
    int _refs = 1;

    public void AddRef() => Interlocked.Increment(ref _refs);

    public void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0 && Data is { } d)
        {
            Data = null;
            TensorPool.Return(d);
        }
    }
}
