// Pooled float storage for tensors: arrays are rounded up to size classes (4 per power of two, ≤ 19 % slack) and
// kept in per-class free lists, so a training step that repeats shapes rents back what the previous step returned,
// and one whose shapes vary (SFT packing, GRPO rollouts of varying length) still reuses a bounded set of arrays
// instead of hoarding one list per exact length. Storage is reference counted because Reshape views share it.
// A byte cap (default: an eighth of the memory the GC may use, at most 8 GiB) bounds what idle lists may hold.
namespace Rethinker.Tensors;

public static class TensorPool
{
    const int MinClass = 16;
    static readonly Dictionary<int, Stack<float[]>> Free = new();
    static readonly Lock Gate = new();
    static long _retainedBytes;

    /// <summary>Most bytes the idle lists keep; arrays returned beyond it go to the GC.</summary>
    public static long MaxRetainedBytes { get; set; } = Math.Min(8L << 30, Math.Max(256L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8));

    /// <summary>Bytes currently idle in the pool.</summary>
    public static long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    /// <summary>The array length a request for <paramref name="length"/> floats gets: the next of 4 classes per power of two.</summary>
    public static int SizeClass(int length)
    {
        if (length <= MinClass) return MinClass;
        int top = 31 - int.LeadingZeroCount(length - 1);   // 2^top < length ≤ 2^(top+1)
        int step = 1 << Math.Max(top - 2, 0);                // a quarter of 2^top
        long rounded = ((long)length + step - 1) / step * step;
        return rounded > Array.MaxLength ? length : (int)rounded;
    }

    /// <summary>Rents an array of at least <paramref name="length"/> floats (its size class); contents are arbitrary.</summary>
    public static float[] Rent(int length)
    {
        if (length == 0) return [];
        int size = SizeClass(length);
        lock (Gate)
        {
            if (Free.TryGetValue(size, out var stack) && stack.Count > 0)
            {
                _retainedBytes -= 4L * size;
                return stack.Pop();
            }
        }
        return GC.AllocateUninitializedArray<float>(size);
    }

    public static void Return(float[] array)
    {
        // Arrays not made by Rent (user data wrapped in a tensor) have odd lengths: leave them to the GC.
        if (array.Length == 0 || SizeClass(array.Length) != array.Length) return;
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
