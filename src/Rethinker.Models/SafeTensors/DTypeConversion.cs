// Vectorised conversions between float32 and the 16-bit float storage types (bf16 = top half of an f32;
// f16 = IEEE half). Writing rounds to nearest even, as torch's .to(bfloat16) does; NaN stays NaN.
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Rethinker.Models.SafeTensors;

public static class DTypeConversion
{
    /// <summary>bf16 bit patterns → float32 (exact: shift into the high half).</summary>
    public static void BF16ToSingle(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        if (dst.Length < src.Length) throw new ArgumentException("destination too short");
        Span<uint> d = MemoryMarshal.Cast<float, uint>(dst);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= src.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var v = Vector256.Create<ushort>(src.Slice(i, Vector256<ushort>.Count));
                var (lo, hi) = Vector256.Widen(v);
                Vector256.ShiftLeft(lo, 16).CopyTo(d.Slice(i));
                Vector256.ShiftLeft(hi, 16).CopyTo(d.Slice(i + Vector256<uint>.Count));
            }
        }
        for (; i < src.Length; i++) d[i] = (uint)src[i] << 16;
    }

    /// <summary>float32 → bf16 with round-to-nearest-even (NaN kept as a quiet NaN).</summary>
    public static void SingleToBF16(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        ReadOnlySpan<uint> s = MemoryMarshal.Cast<float, uint>(src);
        for (int i = 0; i < s.Length; i++)
        {
            uint b = s[i];
            if ((b & 0x7FFFFFFFu) > 0x7F800000u) { dst[i] = (ushort)((b >> 16) | 0x40); continue; }
            uint rounding = 0x7FFFu + ((b >> 16) & 1u);
            dst[i] = (ushort)((b + rounding) >> 16);
        }
    }

    public static void HalfToSingle(ReadOnlySpan<Half> src, Span<float> dst) => TensorPrimitives.ConvertToSingle(src, dst);

    public static void SingleToHalf(ReadOnlySpan<float> src, Span<Half> dst) => TensorPrimitives.ConvertToHalf(src, dst);
}
