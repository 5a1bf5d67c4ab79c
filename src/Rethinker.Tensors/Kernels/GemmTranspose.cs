// In-register block transposes for packing a transposed B (nn.Linear weight [N, K]) into k-major NR-wide panels:
// 16×16 with AVX-512 (unpack ps → unpack pd → two 128-bit lane shuffles, 64 shuffles per 256 floats) and 8×8 with
// AVX (unpack ps → shuffle ps → permute2f128). Rows are read through a stride, written through another stride;
// the standard decomposition (Intel optimisation manual, "matrix transposition"); tails are the caller's business.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class GemmTranspose
{
    /// <summary>dst[k·lds + j] = src[j·ldsrc + k] for j, k &lt; 16 (AVX-512F).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block16(float* src, long ldsrc, float* dst, long lds)
    {
        // stage 1: interleave row pairs per 128-bit lane: t0 = [r0[0] r1[0] r0[1] r1[1] | ...]
        var t0 = Avx512F.UnpackLow(Vector512.Load(src), Vector512.Load(src + ldsrc));
        var t1 = Avx512F.UnpackHigh(Vector512.Load(src), Vector512.Load(src + ldsrc));
        var t2 = Avx512F.UnpackLow(Vector512.Load(src + 2 * ldsrc), Vector512.Load(src + 3 * ldsrc));
        var t3 = Avx512F.UnpackHigh(Vector512.Load(src + 2 * ldsrc), Vector512.Load(src + 3 * ldsrc));
        var t4 = Avx512F.UnpackLow(Vector512.Load(src + 4 * ldsrc), Vector512.Load(src + 5 * ldsrc));
        var t5 = Avx512F.UnpackHigh(Vector512.Load(src + 4 * ldsrc), Vector512.Load(src + 5 * ldsrc));
        var t6 = Avx512F.UnpackLow(Vector512.Load(src + 6 * ldsrc), Vector512.Load(src + 7 * ldsrc));
        var t7 = Avx512F.UnpackHigh(Vector512.Load(src + 6 * ldsrc), Vector512.Load(src + 7 * ldsrc));
        var t8 = Avx512F.UnpackLow(Vector512.Load(src + 8 * ldsrc), Vector512.Load(src + 9 * ldsrc));
        var t9 = Avx512F.UnpackHigh(Vector512.Load(src + 8 * ldsrc), Vector512.Load(src + 9 * ldsrc));
        var t10 = Avx512F.UnpackLow(Vector512.Load(src + 10 * ldsrc), Vector512.Load(src + 11 * ldsrc));
        var t11 = Avx512F.UnpackHigh(Vector512.Load(src + 10 * ldsrc), Vector512.Load(src + 11 * ldsrc));
        var t12 = Avx512F.UnpackLow(Vector512.Load(src + 12 * ldsrc), Vector512.Load(src + 13 * ldsrc));
        var t13 = Avx512F.UnpackHigh(Vector512.Load(src + 12 * ldsrc), Vector512.Load(src + 13 * ldsrc));
        var t14 = Avx512F.UnpackLow(Vector512.Load(src + 14 * ldsrc), Vector512.Load(src + 15 * ldsrc));
        var t15 = Avx512F.UnpackHigh(Vector512.Load(src + 14 * ldsrc), Vector512.Load(src + 15 * ldsrc));
        // stage 2: 64-bit interleave; per lane l, u(4g + c) = [r(4g)[4l+c] .. r(4g+3)[4l+c]]
        Quad(t0, t1, t2, t3, out var u0, out var u1, out var u2, out var u3);
        Quad(t4, t5, t6, t7, out var u4, out var u5, out var u6, out var u7);
        Quad(t8, t9, t10, t11, out var u8, out var u9, out var u10, out var u11);
        Quad(t12, t13, t14, t15, out var u12, out var u13, out var u14, out var u15);
        // stage 3: gather lane l of u(c), u(4+c), u(8+c), u(12+c) into output row k = 4l + c
        Lanes(u0, u4, u8, u12, dst + 0 * lds, lds);
        Lanes(u1, u5, u9, u13, dst + 1 * lds, lds);
        Lanes(u2, u6, u10, u14, dst + 2 * lds, lds);
        Lanes(u3, u7, u11, u15, dst + 3 * lds, lds);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Quad(Vector512<float> lo01, Vector512<float> hi01, Vector512<float> lo23, Vector512<float> hi23,
        out Vector512<float> c0, out Vector512<float> c1, out Vector512<float> c2, out Vector512<float> c3)
    {
        c0 = Avx512F.UnpackLow(lo01.AsDouble(), lo23.AsDouble()).AsSingle();
        c1 = Avx512F.UnpackHigh(lo01.AsDouble(), lo23.AsDouble()).AsSingle();
        c2 = Avx512F.UnpackLow(hi01.AsDouble(), hi23.AsDouble()).AsSingle();
        c3 = Avx512F.UnpackHigh(hi01.AsDouble(), hi23.AsDouble()).AsSingle();
    }

    /// <summary>Rows k = c, 4 + c, 8 + c, 12 + c of the output (dst points at row c) from lane l of the four inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Lanes(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, float* dst, long lds)
    {
        var ab01 = Avx512F.Shuffle4x128(a, b, 0x44);   // [a.l0 a.l1 b.l0 b.l1]
        var ab23 = Avx512F.Shuffle4x128(a, b, 0xEE);   // [a.l2 a.l3 b.l2 b.l3]
        var cd01 = Avx512F.Shuffle4x128(c, d, 0x44);
        var cd23 = Avx512F.Shuffle4x128(c, d, 0xEE);
        Vector512.Store(Avx512F.Shuffle4x128(ab01, cd01, 0x88), dst);             // lane 0 of a, b, c, d
        Vector512.Store(Avx512F.Shuffle4x128(ab01, cd01, 0xDD), dst + 4 * lds);   // lane 1
        Vector512.Store(Avx512F.Shuffle4x128(ab23, cd23, 0x88), dst + 8 * lds);   // lane 2
        Vector512.Store(Avx512F.Shuffle4x128(ab23, cd23, 0xDD), dst + 12 * lds);  // lane 3
    }

    /// <summary>dst[k·lds + j] = src[j·ldsrc + k] for j, k &lt; 8 (AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8(float* src, long ldsrc, float* dst, long lds)
    {
        Vector256<float> r0 = Vector256.Load(src), r1 = Vector256.Load(src + ldsrc), r2 = Vector256.Load(src + 2 * ldsrc), r3 = Vector256.Load(src + 3 * ldsrc),
            r4 = Vector256.Load(src + 4 * ldsrc), r5 = Vector256.Load(src + 5 * ldsrc), r6 = Vector256.Load(src + 6 * ldsrc), r7 = Vector256.Load(src + 7 * ldsrc);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1); var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5); var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        // per 128-bit lane l: u(c) = [r0[4l+c] r1 r2 r3], u(4+c) = the same for rows 4..7
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE); var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE); var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), dst);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), dst + lds);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), dst + 2 * lds);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), dst + 3 * lds);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), dst + 4 * lds);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), dst + 5 * lds);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), dst + 6 * lds);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), dst + 7 * lds);
    }
}
