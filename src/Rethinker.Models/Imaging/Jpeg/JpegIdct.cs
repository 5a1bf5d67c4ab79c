// The "islow" integer inverse DCT of libjpeg (jidctint.c, Loeffler–Ligtenberg–Moschytz with 13-bit
// constants, 2 extra bits kept between passes) — the default JDCT_ISLOW that PIL's libjpeg-turbo uses;
// libjpeg-turbo's SIMD islow is bit-exact with it. Includes dequantisation and libjpeg's range limit.
namespace Rethinker.Models.Imaging.Jpeg;

internal static class JpegIdct
{
    const int ConstBits = 13, Pass1Bits = 2;
    const long F0298 = 2446, F0390 = 3196, F0541 = 4433, F0765 = 6270, F0899 = 7373, F1175 = 9633,
        F1501 = 12299, F1847 = 15137, F1961 = 16069, F2053 = 16819, F2562 = 20995, F3072 = 25172;

    // libjpeg's idct range limit: (x & 1023) → clamp(x + 128) for x in [-512, 511], wrapping outside.
    static readonly byte[] RangeLimit = BuildRangeLimit();

    static byte[] BuildRangeLimit()
    {
        var t = new byte[1024];
        for (int j = 0; j < 1024; j++)
            t[j] = j < 128 ? (byte)(j + 128) : j < 512 ? (byte)255 : j < 896 ? (byte)0 : (byte)(j - 896);
        return t;
    }

    /// <summary>Dequantises and inverse-transforms one block (natural order) into an 8×8 area of <paramref name="output"/>.</summary>
    public static void Transform(ReadOnlySpan<short> coef, ReadOnlySpan<ushort> quant, Span<byte> output, int stride)
    {
        Span<int> ws = stackalloc int[64];
        for (int col = 0; col < 8; col++)
        {
            if (coef[8 + col] == 0 && coef[16 + col] == 0 && coef[24 + col] == 0 && coef[32 + col] == 0 &&
                coef[40 + col] == 0 && coef[48 + col] == 0 && coef[56 + col] == 0)
            {
                int dc = (coef[col] * quant[col]) << Pass1Bits;
                for (int i = 0; i < 8; i++) ws[8 * i + col] = dc;
                continue;
            }
            long z2 = coef[16 + col] * quant[16 + col], z3 = coef[48 + col] * quant[48 + col];
            long z1 = (z2 + z3) * F0541;
            long tmp2 = z1 + z3 * -F1847, tmp3 = z1 + z2 * F0765;
            z2 = coef[col] * quant[col]; z3 = coef[32 + col] * quant[32 + col];
            long tmp0 = (z2 + z3) << ConstBits, tmp1 = (z2 - z3) << ConstBits;
            long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            Odd(coef[56 + col] * quant[56 + col], coef[40 + col] * quant[40 + col], coef[24 + col] * quant[24 + col], coef[8 + col] * quant[8 + col],
                out tmp0, out tmp1, out tmp2, out tmp3);
            const int s1 = ConstBits - Pass1Bits;
            ws[col] = (int)Descale(tmp10 + tmp3, s1); ws[56 + col] = (int)Descale(tmp10 - tmp3, s1);
            ws[8 + col] = (int)Descale(tmp11 + tmp2, s1); ws[48 + col] = (int)Descale(tmp11 - tmp2, s1);
            ws[16 + col] = (int)Descale(tmp12 + tmp1, s1); ws[40 + col] = (int)Descale(tmp12 - tmp1, s1);
            ws[24 + col] = (int)Descale(tmp13 + tmp0, s1); ws[32 + col] = (int)Descale(tmp13 - tmp0, s1);
        }
        var rl = RangeLimit;
        for (int row = 0; row < 8; row++)
        {
            var w = ws.Slice(8 * row, 8);
            var o = output.Slice(row * stride, 8);
            const int s2 = ConstBits + Pass1Bits + 3;
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                byte dc = rl[(int)Descale(w[0], Pass1Bits + 3) & 1023];
                o.Fill(dc);
                continue;
            }
            long z2 = w[2], z3 = w[6];
            long z1 = (z2 + z3) * F0541;
            long tmp2 = z1 + z3 * -F1847, tmp3 = z1 + z2 * F0765;
            long tmp0 = ((long)w[0] + w[4]) << ConstBits, tmp1 = ((long)w[0] - w[4]) << ConstBits;
            long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            Odd(w[7], w[5], w[3], w[1], out tmp0, out tmp1, out tmp2, out tmp3);
            o[0] = rl[(int)Descale(tmp10 + tmp3, s2) & 1023]; o[7] = rl[(int)Descale(tmp10 - tmp3, s2) & 1023];
            o[1] = rl[(int)Descale(tmp11 + tmp2, s2) & 1023]; o[6] = rl[(int)Descale(tmp11 - tmp2, s2) & 1023];
            o[2] = rl[(int)Descale(tmp12 + tmp1, s2) & 1023]; o[5] = rl[(int)Descale(tmp12 - tmp1, s2) & 1023];
            o[3] = rl[(int)Descale(tmp13 + tmp0, s2) & 1023]; o[4] = rl[(int)Descale(tmp13 - tmp0, s2) & 1023];
        }
    }

    /// <summary>Odd part shared by both passes (inputs: coefficients 7, 5, 3, 1).</summary>
    static void Odd(long t0, long t1, long t2, long t3, out long o0, out long o1, out long o2, out long o3)
    {
        long z1 = t0 + t3, z2 = t1 + t2, z3 = t0 + t2, z4 = t1 + t3;
        long z5 = (z3 + z4) * F1175;
        t0 *= F0298; t1 *= F2053; t2 *= F3072; t3 *= F1501;
        z1 *= -F0899; z2 *= -F2562; z3 *= -F1961; z4 *= -F0390;
        z3 += z5; z4 += z5;
        o0 = t0 + z1 + z3; o1 = t1 + z2 + z4; o2 = t2 + z2 + z3; o3 = t3 + z1 + z4;
    }

    static long Descale(long x, int n) => (x + (1L << (n - 1))) >> n;
}
