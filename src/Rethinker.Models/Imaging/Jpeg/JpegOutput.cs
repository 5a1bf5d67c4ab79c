// From coefficients to PIL's RGB: islow IDCT per component plane, libjpeg-turbo's upsampling (jdsample.c:
// "fancy" triangular h2v1/h2v2/h1v2 with its rounding biases, box replication otherwise, edges replicated
// at the downsampled size), and colour conversion with jdcolor.c's 16-bit fixed-point tables; CMYK/YCCK
// are converted to RGB as PIL does after reading them as Adobe-inverted CMYK.
namespace Rethinker.Models.Imaging.Jpeg;

internal static class JpegOutput
{
    public enum ColorSpace { Gray, YCbCr, Rgb, Cmyk, Ycck }

    public static DecodedImage Convert(JpegFrame f, ColorSpace space, string source)
    {
        int W = f.Width, H = f.Height;
        var planes = new byte[f.Components.Length][];
        bool smooth = JpegBlockSmoothing.IsUseful(f);
        for (int ci = 0; ci < f.Components.Length; ci++)
        {
            var c = f.Components[ci];
            if (c.Quant is null) throw new ImageFormatException(source, $"component {c.Id} never appeared in a scan");
            planes[ci] = Upsample(f, c, smooth ? SmoothedIdct(f, c) : Idct(c));
        }
        var rgb = new byte[(long)W * H * 3];
        int n = W * H;
        switch (space)
        {
            case ColorSpace.Gray:
                for (int i = 0; i < n; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = planes[0][i];
                return new DecodedImage(W, H, "L", rgb, null);
            case ColorSpace.Rgb:
                for (int i = 0; i < n; i++) { rgb[3 * i] = planes[0][i]; rgb[3 * i + 1] = planes[1][i]; rgb[3 * i + 2] = planes[2][i]; }
                return new DecodedImage(W, H, "RGB", rgb, null);
            case ColorSpace.YCbCr:
            {
                byte[] y = planes[0], cb = planes[1], cr = planes[2];
                int[] crR = CrR, cbB = CbB, crG = CrG, cbG = CbG;
                for (int i = 0, o = 0; i < n; i++, o += 3)
                {
                    int l = y[i], b = cb[i], r = cr[i];
                    rgb[o] = Clamp(l + crR[r]);
                    rgb[o + 1] = Clamp(l + ((cbG[b] + crG[r]) >> 16));
                    rgb[o + 2] = Clamp(l + cbB[b]);
                }
                return new DecodedImage(W, H, "RGB", rgb, null);
            }
            default:
            {
                Span<byte> cmy = stackalloc byte[3];
                for (int i = 0; i < n; i++)
                {
                    if (space == ColorSpace.Ycck)
                    {
                        YccToRgb(planes[0][i], planes[1][i], planes[2][i], cmy);
                        for (int k = 0; k < 3; k++) cmy[k] = (byte)(255 - cmy[k]);
                    }
                    else { cmy[0] = planes[0][i]; cmy[1] = planes[1][i]; cmy[2] = planes[2][i]; }
                    // libjpeg's samples are Adobe-inverted: PIL's CMYK value is 255 - sample, so nk = 255 - K' = sample K.
                    int nk = planes[3][i];
                    for (int k = 0; k < 3; k++) rgb[3 * i + k] = (byte)Math.Clamp(nk - MulDiv255(255 - cmy[k], nk), 0, 255);
                }
                return new DecodedImage(W, H, "CMYK", rgb, null);
            }
        }
    }

    static int MulDiv255(int a, int b) { int t = a * b + 128; return ((t >> 8) + t) >> 8; }

    /// <summary>IDCT of every block into a plane of (BlocksPerColumn·8, BlocksPerLine·8) samples.</summary>
    static byte[] Idct(JpegComponent c)
    {
        int stride = c.BlocksPerLine * 8;
        var plane = new byte[(long)stride * c.BlocksPerColumn * 8];
        // Only blocks covering the downsampled image matter; padding blocks are never shown.
        int bw = Math.Min(c.BlocksPerLine, c.WidthInBlocks + 1), bh = Math.Min(c.BlocksPerColumn, c.HeightInBlocks + 1);
        for (int by = 0; by < bh; by++)
            for (int bx = 0; bx < bw; bx++)
                JpegIdct.Transform(c.Coefficients.AsSpan((by * c.BlocksPerLine + bx) * 64, 64), c.Quant, plane.AsSpan(by * 8 * stride + bx * 8), stride);
        return plane;
    }

    static byte[] SmoothedIdct(JpegFrame f, JpegComponent c)
    {
        var plane = new byte[(long)c.BlocksPerLine * 8 * c.BlocksPerColumn * 8];
        JpegBlockSmoothing.Idct(f, c, plane);
        return plane;
    }

    /// <summary>Upsamples a component plane to the full (H, W) image as libjpeg-turbo's jdsample.c does.</summary>
    static byte[] Upsample(JpegFrame f, JpegComponent c, byte[] src)
    {
        int W = f.Width, H = f.Height, stride = c.BlocksPerLine * 8;
        int dw = c.DownsampledWidth, dh = c.DownsampledHeight;
        var dst = new byte[(long)W * H];
        int hr = f.MaxH / c.H, vr = f.MaxV / c.V;
        if (f.MaxH % c.H != 0 || f.MaxV % c.V != 0) throw new ImageFormatException("jpeg", "fractional sampling factors are not supported");
        bool h2 = f.MaxH == 2 * c.H, v2 = f.MaxV == 2 * c.V, h1 = hr == 1, v1 = vr == 1;
        if (h1 && v1)
        {
            for (int y = 0; y < H; y++) src.AsSpan(y * stride, W).CopyTo(dst.AsSpan(y * W, W));
        }
        else if (h2 && v1 && dw > 2)
        {
            for (int y = 0; y < H; y++) FancyH2(src.AsSpan(y * stride, dw), dst.AsSpan(y * W, W));
        }
        else if (h1 && v2)
        {
            for (int y = 0; y < H; y++)
            {
                int iy = y >> 1, ny = (y & 1) == 0 ? Math.Max(iy - 1, 0) : Math.Min(iy + 1, dh - 1);
                int bias = (y & 1) == 0 ? 1 : 2;
                var a = src.AsSpan(iy * stride, W); var b = src.AsSpan(ny * stride, W); var o = dst.AsSpan(y * W, W);
                for (int x = 0; x < W; x++) o[x] = (byte)((a[x] * 3 + b[x] + bias) >> 2);
            }
        }
        else if (h2 && v2 && dw > 2)
        {
            var sums = new int[dw];
            for (int y = 0; y < H; y++)
            {
                int iy = y >> 1, ny = (y & 1) == 0 ? Math.Max(iy - 1, 0) : Math.Min(iy + 1, dh - 1);
                var a = src.AsSpan(iy * stride, dw); var b = src.AsSpan(ny * stride, dw);
                for (int x = 0; x < dw; x++) sums[x] = a[x] * 3 + b[x];
                FancyH2V2(sums, dst.AsSpan(y * W, W));
            }
        }
        else
        {
            for (int y = 0; y < H; y++)
            {
                var row = src.AsSpan((y / vr) * stride);
                var o = dst.AsSpan(y * W, W);
                for (int x = 0; x < W; x++) o[x] = row[x / hr];
            }
        }
        return dst;
    }

    /// <summary>h2v1_fancy_upsample: 3/4 nearer + 1/4 further, biases 1 and 2, edge pixels copied.</summary>
    static void FancyH2(ReadOnlySpan<byte> i, Span<byte> o)
    {
        int n = i.Length;
        Span<byte> full = n * 2 <= 4096 ? stackalloc byte[n * 2] : new byte[n * 2];
        full[0] = i[0];
        full[1] = (byte)((i[0] * 3 + i[1] + 2) >> 2);
        for (int x = 1; x < n - 1; x++)
        {
            int v = i[x] * 3;
            full[2 * x] = (byte)((v + i[x - 1] + 1) >> 2);
            full[2 * x + 1] = (byte)((v + i[x + 1] + 2) >> 2);
        }
        full[2 * n - 2] = (byte)((i[n - 1] * 3 + i[n - 2] + 1) >> 2);
        full[2 * n - 1] = i[n - 1];
        full[..o.Length].CopyTo(o);
    }

    /// <summary>h2v2_fancy_upsample's horizontal step on column sums (3·near row + far row).</summary>
    static void FancyH2V2(ReadOnlySpan<int> s, Span<byte> o)
    {
        int n = s.Length;
        Span<byte> full = n * 2 <= 4096 ? stackalloc byte[n * 2] : new byte[n * 2];
        full[0] = (byte)((s[0] * 4 + 8) >> 4);
        full[1] = (byte)((s[0] * 3 + s[1] + 7) >> 4);
        for (int x = 1; x < n - 1; x++)
        {
            full[2 * x] = (byte)((s[x] * 3 + s[x - 1] + 8) >> 4);
            full[2 * x + 1] = (byte)((s[x] * 3 + s[x + 1] + 7) >> 4);
        }
        full[2 * n - 2] = (byte)((s[n - 1] * 3 + s[n - 2] + 8) >> 4);
        full[2 * n - 1] = (byte)((s[n - 1] * 4 + 7) >> 4);
        full[..o.Length].CopyTo(o);
    }

    // jdcolor.c build_ycc_rgb_table: SCALEBITS = 16, FIX(x) = round(x · 2^16).
    static readonly int[] CrR = new int[256], CbB = new int[256], CrG = new int[256], CbG = new int[256];

    static JpegOutput()
    {
        const int half = 1 << 15;
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            CrR[i] = (Fix(1.40200) * x + half) >> 16;
            CbB[i] = (Fix(1.77200) * x + half) >> 16;
            CrG[i] = -Fix(0.71414) * x;
            CbG[i] = -Fix(0.34414) * x + half;
        }
    }

    static int Fix(double x) => (int)(x * 65536 + 0.5);

    static void YccToRgb(int y, int cb, int cr, Span<byte> rgb)
    {
        rgb[0] = Clamp(y + CrR[cr]);
        rgb[1] = Clamp(y + ((CbG[cb] + CrG[cr]) >> 16));
        rgb[2] = Clamp(y + CbB[cb]);
    }

    static byte Clamp(int v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
}
