// Converts unfiltered PNG scanlines to the pixels PIL 9.4 gives for convert("RGB") / convert("RGBA"):
// gray < 8 bits is bit-replicated, 16-bit gray (mode I) is clamped at 255, other 16-bit samples keep
// their high byte, palette indices past the PLTE map to PIL's gray ramp, alpha is never composited.
// tRNS follows PIL's rgbT2rgba: the converted RGB is compared with the low byte of each raw tRNS value.
namespace Rethinker.Models.Imaging.Png;

internal sealed class PngPixels(PngHeader header, byte[]? palette, byte[]? trns)
{
    readonly int _colorType = header.ColorType, _depth = header.BitDepth, _channels = header.Channels;
    readonly bool _hasAlpha = header.ColorType is 4 or 6 || (trns is not null && TrnsUsable(header, trns));
    readonly byte[] _palette = BuildPalette(palette);
    // Transparent key colour (low bytes of the raw tRNS values) for gray / RGB images; -1 = none.
    readonly int _keyR = KeyChannel(header, trns, 0), _keyG = KeyChannel(header, trns, 1), _keyB = KeyChannel(header, trns, 2);

    public string Mode => (_colorType, _depth) switch
    {
        (0, 1) => "1", (0, 16) => "I", (0, _) => "L", (2, _) => "RGB", (3, _) => "P",
        (4, 8) => "LA", _ => "RGBA",
    };

    public Output Allocate() => new(new byte[(long)header.Width * header.Height * 3], _hasAlpha ? new byte[(long)header.Width * header.Height] : null, Mode);

    static bool TrnsUsable(PngHeader h, byte[] t) => h.ColorType switch { 0 => t.Length >= 2, 2 => t.Length >= 6, 3 => true, _ => false };

    static int KeyChannel(PngHeader h, byte[]? t, int c)
    {
        if (t is null || !TrnsUsable(h, t) || h.ColorType is 3 or 4 or 6) return -1;
        int index = h.ColorType == 0 ? 0 : c;
        return t[2 * index + 1]; // low byte of the big-endian 16-bit value
    }

    static byte[] BuildPalette(byte[]? plte)
    {
        var p = new byte[768];
        for (int i = 0; i < 256; i++) p[3 * i] = p[3 * i + 1] = p[3 * i + 2] = (byte)i; // PIL's initial ramp
        plte?.CopyTo(p, 0);
        return p;
    }

    /// <summary>Writes one (sub)image's rows to pixel positions (x0 + x·dx, y0 + y·dy).</summary>
    public void ExpandPass(byte[] raw, int offset, int width, int height, int x0, int y0, int dx, int dy, Output o)
    {
        int stride = header.RowBytes(width), W = header.Width;
        for (int y = 0; y < height; y++)
        {
            var row = new ReadOnlySpan<byte>(raw, offset + y * (stride + 1) + 1, stride);
            long pixelRow = (long)(y0 + y * dy) * W;
            for (int x = 0; x < width; x++)
            {
                long p = pixelRow + x0 + x * dx;
                ConvertPixel(row, x, o.Rgb.AsSpan((int)(3 * p), 3), out int alpha);
                if (o.Alpha is not null) o.Alpha[p] = (byte)alpha;
            }
        }
    }

    void ConvertPixel(ReadOnlySpan<byte> row, int x, Span<byte> rgb, out int alpha)
    {
        alpha = 255;
        switch (_colorType)
        {
            case 0:
            {
                int v = Sample(row, x, 0);
                int g = _depth switch { 1 => v * 255, 2 => v * 85, 4 => v * 17, 8 => v, _ => Math.Min(v, 255) };
                rgb[0] = rgb[1] = rgb[2] = (byte)g;
                if (_keyR >= 0 && g == _keyR) alpha = 0;
                break;
            }
            case 2:
                rgb[0] = (byte)High(row, x, 0); rgb[1] = (byte)High(row, x, 1); rgb[2] = (byte)High(row, x, 2);
                if (_keyR >= 0 && rgb[0] == _keyR && rgb[1] == _keyG && rgb[2] == _keyB) alpha = 0;
                break;
            case 3:
            {
                int i = Sample(row, x, 0);
                rgb[0] = _palette[3 * i]; rgb[1] = _palette[3 * i + 1]; rgb[2] = _palette[3 * i + 2];
                if (trns is not null && i < trns.Length) alpha = trns[i];
                break;
            }
            case 4:
                rgb[0] = rgb[1] = rgb[2] = (byte)High(row, x, 0);
                alpha = High(row, x, 1);
                break;
            default:
                rgb[0] = (byte)High(row, x, 0); rgb[1] = (byte)High(row, x, 1); rgb[2] = (byte)High(row, x, 2);
                alpha = High(row, x, 3);
                break;
        }
    }

    /// <summary>Raw sample c of pixel x (any depth; 16-bit returns the full value).</summary>
    int Sample(ReadOnlySpan<byte> row, int x, int c)
    {
        long index = (long)x * _channels + c;
        switch (_depth)
        {
            case 8: return row[(int)index];
            case 16: return (row[(int)(2 * index)] << 8) | row[(int)(2 * index + 1)];
            default:
                long bit = index * _depth;
                int b = row[(int)(bit >> 3)];
                int shift = 8 - _depth - (int)(bit & 7);
                return (b >> shift) & ((1 << _depth) - 1);
        }
    }

    /// <summary>Sample c as 8 bits the way PIL's 16-bit unpackers do it: the high byte.</summary>
    int High(ReadOnlySpan<byte> row, int x, int c) => _depth == 16 ? row[(x * _channels + c) * 2] : row[x * _channels + c];

    public sealed record Output(byte[] Rgb, byte[]? Alpha, string Mode)
    {
        public DecodedImage Build(int width, int height) => new(width, height, Mode, Rgb, Alpha);
    }
}
