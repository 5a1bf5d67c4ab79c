// NaN/Inf finder. FindNonFinite reports the first bad element of a tensor; with CheckEnabled set (debug mode,
// or env RETHINKER_CHECK_FINITE=1) every op output and every gradient written by backward is checked and the
// first bad value throws NonFiniteException naming the op, the tensor and the element index.
using System.Numerics.Tensors;

namespace Rethinker.Tensors;

public sealed class NonFiniteException(string message) : Exception(message);

public static class TensorDebug
{
    /// <summary>Check every op output (and backward gradient) for NaN/Inf. Costs one pass over each output.</summary>
    public static bool CheckEnabled { get; set; } = Environment.GetEnvironmentVariable("RETHINKER_CHECK_FINITE") == "1";

    /// <summary>Flat index of the first NaN or ±Inf in the span, or -1.</summary>
    public static int FindNonFinite(ReadOnlySpan<float> data)
    {
        // Fast screen: x*0 is 0 for finite x and NaN for NaN/Inf, so the sum is NaN iff some element is bad.
        const int Block = 4096;
        for (int start = 0; start < data.Length; start += Block)
        {
            var blk = data.Slice(start, Math.Min(Block, data.Length - start));
            if (float.IsFinite(TensorPrimitives.Sum(blk)) && float.IsFinite(TensorPrimitives.SumOfSquares(blk))
                && float.IsFinite(TensorPrimitives.Max(blk)) && float.IsFinite(TensorPrimitives.Min(blk))) continue;
            for (int i = 0; i < blk.Length; i++)
                if (!float.IsFinite(blk[i])) return start + i;
        }
        return -1;
    }

    /// <summary>Describes the first non-finite element of t ("tensor 'x' [2, 3] (output of Exp): NaN at index 4 = [1, 1]"),
    /// or null when all values are finite.</summary>
    public static string? Describe(Tensor t, string? context = null)
    {
        int i = FindNonFinite(t.Span);
        if (i < 0) return null;
        var idx = new int[t.Rank];
        int rem = i;
        for (int a = t.Rank - 1; a >= 0; a--) { idx[a] = t.Shape[a] == 0 ? 0 : rem % t.Shape[a]; rem /= Math.Max(1, t.Shape[a]); }
        return $"{context ?? "tensor"}{(t.Name is null ? "" : $" '{t.Name}'")} {Shapes.Str(t.Shape)}" +
               $"{(t.Op is null ? "" : $" (output of {t.Op})")}: {t.Span[i]} at index {i} = {Shapes.Str(idx)}";
    }

    /// <summary>Throws NonFiniteException if t holds a NaN or Inf.</summary>
    public static void Check(Tensor t, string? context = null)
    {
        if (Describe(t, context) is { } msg) throw new NonFiniteException(msg);
    }

    /// <summary>Called by every op on its output.</summary>
    internal static Tensor Checked(Tensor t)
    {
        if (CheckEnabled) Check(t, "op output");
        return t;
    }
}
