// EXIF Orientation (tag 0x0112 in IFD0 of a JPEG APP1 "Exif" segment) and PIL's ImageOps.exif_transpose
// mapping (2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 270 = 90° clockwise, 7 transverse, 8 rotate 90).
// PIL's Image.open never applies it (so ImageLoader does not); callers that want upright images call Apply.
using System.Buffers.Binary;

namespace Rethinker.Models.Imaging;

public static class ExifOrientation
{
    /// <summary>Orientation 1..8 from a JPEG's EXIF, 1 when absent or unreadable.</summary>
    public static int Read(ReadOnlySpan<byte> jpeg)
    {
        int pos = 2;
        while (pos + 4 <= jpeg.Length && jpeg[pos] == 0xFF)
        {
            int marker = jpeg[pos + 1];
            if (marker is 0xDA or 0xD9) break;
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(pos + 2)..]);
            if (length < 2 || pos + 2 + length > jpeg.Length) break;
            var seg = jpeg.Slice(pos + 4, length - 2);
            if (marker == 0xE1 && seg.Length >= 6 && seg[..6].SequenceEqual("Exif\0\0"u8)) return FromTiff(seg[6..]);
            pos += 2 + length;
        }
        return 1;
    }

    /// <summary>True when the APP1 EXIF TIFF header is too short to hold its IFD offset (PIL fails to open such files).</summary>
    internal static bool IsTruncatedExif(ReadOnlySpan<byte> app1) => app1.Length >= 6 && app1[..6].SequenceEqual("Exif\0\0"u8) && app1.Length < 6 + 8;

    static int FromTiff(ReadOnlySpan<byte> t)
    {
        if (t.Length < 8) return 1;
        bool le = t[0] == 'I';
        long ifd = le ? BinaryPrimitives.ReadUInt32LittleEndian(t[4..]) : BinaryPrimitives.ReadUInt32BigEndian(t[4..]);
        if (ifd + 2 > t.Length) return 1;
        int count = U16(t, (int)ifd, le);
        for (int i = 0; i < count; i++)
        {
            long e = ifd + 2 + 12L * i;
            if (e + 12 > t.Length) break;
            if (U16(t, (int)e, le) == 0x0112)
            {
                int v = U16(t, (int)e + 8, le);
                return v is >= 1 and <= 8 ? v : 1;
            }
        }
        return 1;
    }

    static int U16(ReadOnlySpan<byte> t, int o, bool le) => le ? BinaryPrimitives.ReadUInt16LittleEndian(t[o..]) : BinaryPrimitives.ReadUInt16BigEndian(t[o..]);

    /// <summary>ImageOps.exif_transpose: returns the upright image for <paramref name="orientation"/>.</summary>
    public static RgbImage Apply(RgbImage img, int orientation)
    {
        if (orientation is < 2 or > 8) return img;
        int W = img.Width, H = img.Height;
        bool swap = orientation >= 5;
        int ow = swap ? H : W, oh = swap ? W : H;
        var o = new byte[img.Pixels.Length];
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                (int sx, int sy) = orientation switch
                {
                    2 => (W - 1 - x, y),
                    3 => (W - 1 - x, H - 1 - y),
                    4 => (x, H - 1 - y),
                    5 => (y, x),
                    6 => (y, H - 1 - x),
                    7 => (W - 1 - y, H - 1 - x),
                    _ => (W - 1 - y, x),
                };
                int s = 3 * (sy * W + sx), d = 3 * (y * ow + x);
                o[d] = img.Pixels[s]; o[d + 1] = img.Pixels[s + 1]; o[d + 2] = img.Pixels[s + 2];
            }
        return new RgbImage(ow, oh, o);
    }
}
