// Shape helpers shared by the ops: validation, products, axis normalisation, strides and numpy broadcasting.
// Every error names the op and the shapes involved.
namespace Rethinker.Tensors;

internal static class Shapes
{
    public static string Str(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static int Product(ReadOnlySpan<int> shape, string op)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"{op}: negative dimension in shape {Str(shape)}");
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException($"{op}: shape {Str(shape)} has more than 2^31 elements");
        }
        return (int)n;
    }

    public static int[] Copy(int[] shape, string op)
    {
        var s = (int[])shape.Clone();
        Product(s, op);
        return s;
    }

    public static int Axis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentException($"{op}: axis {axis} out of range for rank {rank}");
        return a;
    }

    /// <summary>Product of dims before axis, the axis size, product of dims after.</summary>
    public static (int Outer, int N, int Inner) Split(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    public static int Last(Tensor x, string op)
    {
        if (x.Rank == 0) throw new ArgumentException($"{op}: needs rank ≥ 1, got {Str(x.Shape)}");
        return x.Shape[^1];
    }

    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static void Same(Tensor a, Tensor b, string op)
    {
        if (!Equal(a.Shape, b.Shape))
            throw new ArgumentException($"{op}: shapes differ, {Str(a.Shape)} vs {Str(b.Shape)}");
    }

    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1;
            int db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Str(a)} and {Str(b)} do not broadcast (axis {i}: {da} vs {db})");
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /// <summary>Strides of <paramref name="shape"/> aligned to the broadcast output rank, 0 on broadcast axes.</summary>
    public static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        int r = outShape.Length, off = r - shape.Length;
        var st = new int[r];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            st[i + off] = shape[i] == 1 && outShape[i + off] != 1 ? 0 : s;
            s *= shape[i];
        }
        return st;
    }
}
