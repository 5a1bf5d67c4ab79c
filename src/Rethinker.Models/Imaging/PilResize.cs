// Bicubic resize exactly as Pillow's ImagingResample (libImaging/Resample.c) does it for 8-bit RGB:
// separable, horizontal pass first into a uint8 intermediate, support scaled by the shrink factor
// (antialiasing), Keys cubic with a = -0.5, coefficients normalised then fixed-point with 22 fraction bits.
// Leaves out the other PIL filters and the `box`/`reducing_gap` options (HF's resize uses neither).
namespace Rethinker.Models.Imaging;

public static class PilResize
{
    const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes (H, W, 3) pixels to <paramref name="outWidth"/>×<paramref name="outHeight"/> like <c>Image.resize(size, BICUBIC)</c>.</summary>
    public static RgbImage Bicubic(RgbImage src, int outWidth, int outHeight)
    {
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentException($"resize target {outWidth}×{outHeight} must be positive");
        if (outWidth == src.Width && outHeight == src.Height) return new RgbImage(src.Width, src.Height, (byte[])src.Pixels.Clone());
        var (kh, bh, ksh) = Coefficients(src.Width, outWidth);
        var (kv, bv, ksv) = Coefficients(src.Height, outHeight);
        byte[] pixels = src.Pixels;
        int width = src.Width, height = src.Height;
        if (outWidth != src.Width)
        {
            // Only the source rows the vertical pass reads are filtered (Pillow's ybox_first..ybox_last).
            int first = bv[0], last = bv[2 * outHeight - 2] + bv[2 * outHeight - 1];
            if (outHeight == src.Height) { first = 0; last = src.Height; }
            var tmp = new byte[(long)(last - first) * outWidth * 3];
            Horizontal(pixels, width, first, last - first, tmp, outWidth, kh, bh, ksh);
            for (int i = 0; i < outHeight; i++) bv[2 * i] -= first;
            pixels = tmp; width = outWidth; height = last - first;
        }
        if (outHeight != src.Height)
        {
            var dst = new byte[(long)outWidth * outHeight * 3];
            Vertical(pixels, width, dst, outHeight, kv, bv, ksv);
            pixels = dst;
        }
        _ = height;
        return new RgbImage(outWidth, outHeight, pixels);
    }

    /// <summary>Keys cubic convolution kernel, a = -0.5 (Pillow's bicubic_filter).</summary>
    static double Cubic(double x)
    {
        const double a = -0.5;
        if (x < 0) x = -x;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    /// <summary>Pillow's precompute_coeffs + normalize_coeffs_8bpc: per output index, (xmin, count) and ksize int weights.</summary>
    internal static (int[] K, int[] Bounds, int KSize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        double support = 2.0 * filterScale;
        int ksize = (int)Math.Ceiling(support) * 2 + 1;
        var k = new int[outSize * ksize];
        var bounds = new int[outSize * 2];
        var w = new double[ksize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale, ss = 1.0 / filterScale, ww = 0;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            for (int x = 0; x < xmax; x++) { w[x] = Cubic((x + xmin - center + 0.5) * ss); ww += w[x]; }
            for (int x = 0; x < xmax; x++)
            {
                double v = ww != 0 ? w[x] / ww : w[x];
                k[xx * ksize + x] = v < 0 ? (int)(-0.5 + v * (1 << PrecisionBits)) : (int)(0.5 + v * (1 << PrecisionBits));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return (k, bounds, ksize);
    }

    static byte Clip8(int v) { v >>= PrecisionBits; return (byte)(v < 0 ? 0 : v > 255 ? 255 : v); }

    static void Horizontal(byte[] src, int srcWidth, int firstRow, int rows, byte[] dst, int outWidth, int[] k, int[] bounds, int ksize)
    {
        const int half = 1 << (PrecisionBits - 1);
        for (int y = 0; y < rows; y++)
        {
            var row = src.AsSpan((firstRow + y) * srcWidth * 3, srcWidth * 3);
            var o = dst.AsSpan(y * outWidth * 3, outWidth * 3);
            for (int xx = 0; xx < outWidth; xx++)
            {
                int xmin = bounds[2 * xx], n = bounds[2 * xx + 1];
                var kk = k.AsSpan(xx * ksize, n);
                int s0 = half, s1 = half, s2 = half;
                var p = row.Slice(xmin * 3, n * 3);
                for (int x = 0; x < n; x++)
                {
                    int c = kk[x];
                    s0 += p[3 * x] * c; s1 += p[3 * x + 1] * c; s2 += p[3 * x + 2] * c;
                }
                o[3 * xx] = Clip8(s0); o[3 * xx + 1] = Clip8(s1); o[3 * xx + 2] = Clip8(s2);
            }
        }
    }

    static void Vertical(byte[] src, int width, byte[] dst, int outHeight, int[] k, int[] bounds, int ksize)
    {
        const int half = 1 << (PrecisionBits - 1);
        int stride = width * 3;
        var acc = new int[stride];
        for (int yy = 0; yy < outHeight; yy++)
        {
            int ymin = bounds[2 * yy], n = bounds[2 * yy + 1];
            Array.Fill(acc, half);
            for (int y = 0; y < n; y++)
            {
                int c = k[yy * ksize + y];
                var row = src.AsSpan((ymin + y) * stride, stride);
                for (int i = 0; i < stride; i++) acc[i] += row[i] * c;
            }
            var o = dst.AsSpan(yy * stride, stride);
            for (int i = 0; i < stride; i++) o[i] = Clip8(acc[i]);
        }
    }
}
