// PNG decoder (ISO/IEC 15948): chunk walk with CRC checks as PIL's PngImagePlugin does them (every chunk
// before the image data; IDAT and later chunks are not checked), bounded zlib inflate of the IDAT stream,
// scanline unfiltering and Adam7 de-interlacing. Pixel conversion to PIL's RGB/RGBA is in PngPixels.
// Leaves out: APNG frames, gamma/colour management (PIL ignores gAMA, cHRM, iCCP, sBIT on decode).
using System.Buffers.Binary;
using System.IO.Compression;

namespace Rethinker.Models.Imaging.Png;

public static class PngDecoder
{
    static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Adam7 passes: (x0, y0, dx, dy).
    internal static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(Signature);

    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source = "<bytes>", ImageLimits? limits = null)
    {
        if (!IsPng(data)) throw new ImageFormatException(source, "not a PNG file (bad signature)");
        var header = default(PngHeader);
        bool haveHeader = false;
        byte[]? palette = null, trns = null;
        var idat = new MemoryStream();
        bool idatDone = false;
        int pos = 8;
        while (true)
        {
            if (pos + 8 > data.Length)
            {
                if (idat.Length > 0) break; // PIL tolerates a missing IEND once image data was seen
                throw new ImageFormatException(source, $"truncated at byte {pos}: expected a chunk header");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            string name = ChunkName(type);
            if (length > int.MaxValue) throw new ImageFormatException(source, $"chunk {name} at byte {pos} declares length {length} > 2^31-1");
            if (pos + 12L + length > data.Length)
            {
                if (idat.Length > 0 && name != "IDAT") break;
                throw new ImageFormatException(source, $"truncated: chunk {name} at byte {pos} needs {length} bytes, file has {data.Length - pos - 8}");
            }
            var body = data.Slice(pos + 8, (int)length);
            bool isIdat = name == "IDAT";
            if (!haveHeader && name != "IHDR") throw new ImageFormatException(source, $"first chunk is {name}, expected IHDR");
            if (!isIdat && idat.Length == 0)
            {
                uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), body) ^ 0xFFFFFFFFu;
                uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
                if (crc != stored) throw new ImageFormatException(source, $"bad CRC in chunk {name} at byte {pos}");
            }
            pos += 12 + (int)length;
            switch (name)
            {
                case "IHDR":
                    if (haveHeader) throw new ImageFormatException(source, "second IHDR chunk");
                    header = PngHeader.Parse(body, source);
                    (limits ?? ImageLimits.Default).Check(source, header.Width, header.Height);
                    haveHeader = true;
                    break;
                case "PLTE":
                    if (idat.Length == 0) palette = body.ToArray();
                    break;
                case "tRNS":
                    if (idat.Length == 0) trns = body.ToArray();
                    break;
                case "IDAT":
                    if (idatDone) throw new ImageFormatException(source, "IDAT chunks are not consecutive");
                    idat.Write(body);
                    break;
                case "IEND":
                    goto done;
                default:
                    break; // ancillary and unknown chunks carry no pixels; PIL skips them too

            }
            if (!isIdat && idat.Length > 0) idatDone = true;
        }
    done:
        if (idat.Length == 0) throw new ImageFormatException(source, "no image data (no IDAT chunk)");
        if (header.ColorType == 3 && palette is null) throw new ImageFormatException(source, "palette image without a PLTE chunk");
        if (palette is not null && (palette.Length % 3 != 0 || palette.Length == 0 || palette.Length > 768))
            throw new ImageFormatException(source, $"PLTE length {palette.Length} is not a multiple of 3 in 3..768");
        byte[] raw = Inflate(idat.GetBuffer().AsSpan(0, (int)idat.Length), header.RawSize(), source);
        var pixels = new PngPixels(header, palette, trns);
        var output = pixels.Allocate();
        if (!header.Interlaced)
        {
            Unfilter(raw, 0, header.Width, header.Height, header, source);
            pixels.ExpandPass(raw, 0, header.Width, header.Height, 0, 0, 1, 1, output);
        }
        else
        {
            int offset = 0;
            foreach (var (x0, y0, dx, dy) in Adam7)
            {
                int pw = (header.Width - x0 + dx - 1) / dx, ph = (header.Height - y0 + dy - 1) / dy;
                if (pw <= 0 || ph <= 0) continue;
                Unfilter(raw, offset, pw, ph, header, source);
                pixels.ExpandPass(raw, offset, pw, ph, x0, y0, dx, dy, output);
                offset += ph * (1 + header.RowBytes(pw));
            }
        }
        return output.Build(header.Width, header.Height);
    }

    static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++) c[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        return new string(c);
    }

    /// <summary>Inflates exactly <paramref name="expected"/> bytes; more output is never produced (bomb guard).</summary>
    static byte[] Inflate(ReadOnlySpan<byte> compressed, long expected, string source)
    {
        if (expected > Array.MaxLength) throw new ImageFormatException(source, $"image data of {expected} bytes is too large");
        var result = new byte[expected];
        try
        {
            using var z = new ZLibStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress);
            int got = z.ReadAtLeast(result, result.Length, throwOnEndOfStream: false);
            if (got < result.Length)
                throw new ImageFormatException(source, $"image data is truncated: inflated {got} of {expected} bytes");
        }
        catch (Exception e) when (e is InvalidDataException or IOException) // IOException: zlib's ZLibException
        {
            throw new ImageFormatException(source, $"corrupt zlib image data ({e.Message})", e);
        }
        return result;
    }

    /// <summary>Reverses the per-row filters of one (sub)image in place; rows keep their filter byte.</summary>
    static void Unfilter(byte[] raw, int offset, int width, int height, in PngHeader h, string source)
    {
        int stride = h.RowBytes(width), bpp = h.FilterBytesPerPixel;
        for (int y = 0; y < height; y++)
        {
            int rowStart = offset + y * (stride + 1);
            int filter = raw[rowStart];
            var row = raw.AsSpan(rowStart + 1, stride);
            ReadOnlySpan<byte> prev = y == 0 ? default : raw.AsSpan(rowStart - stride, stride);
            switch (filter)
            {
                case 0: break;
                case 1:
                    for (int i = bpp; i < stride; i++) row[i] += row[i - bpp];
                    break;
                case 2:
                    if (y > 0) for (int i = 0; i < stride; i++) row[i] += prev[i];
                    break;
                case 3:
                    for (int i = 0; i < stride; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0, b = y > 0 ? prev[i] : 0;
                        row[i] += (byte)((a + b) >> 1);
                    }
                    break;
                case 4:
                    for (int i = 0; i < stride; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0, b = y > 0 ? prev[i] : 0, c = y > 0 && i >= bpp ? prev[i - bpp] : 0;
                        row[i] += (byte)PngEncoder.Paeth(a, b, c);
                    }
                    break;
                default:
                    throw new ImageFormatException(source, $"unknown scanline filter type {filter} in row {y}");
            }
        }
    }
}

/// <summary>IHDR fields and the sizes derived from them.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    public int Channels => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
    public int BitsPerPixel => Channels * BitDepth;
    public int FilterBytesPerPixel => Math.Max(1, BitsPerPixel / 8);
    public int RowBytes(int width) => (int)(((long)width * BitsPerPixel + 7) / 8);

    public long RawSize()
    {
        if (!Interlaced) return (long)Height * (1 + ((long)Width * BitsPerPixel + 7) / 8);
        long total = 0;
        foreach (var (x0, y0, dx, dy) in PngDecoder.Adam7)
        {
            long pw = (Width - x0 + dx - 1) / dx, ph = (Height - y0 + dy - 1) / dy;
            if (pw > 0 && ph > 0) total += ph * (1 + (pw * BitsPerPixel + 7) / 8);
        }
        return total;
    }

    public static PngHeader Parse(ReadOnlySpan<byte> b, string source)
    {
        if (b.Length != 13) throw new ImageFormatException(source, $"IHDR has {b.Length} bytes, expected 13");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(b), h = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
        int depth = b[8], color = b[9];
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) throw new ImageFormatException(source, $"IHDR size {w}×{h} is invalid");
        bool ok = color switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!ok) throw new ImageFormatException(source, $"unsupported colour type {color} with bit depth {depth}");
        if (b[10] != 0) throw new ImageFormatException(source, $"unknown compression method {b[10]}");
        if (b[11] != 0) throw new ImageFormatException(source, $"unknown filter method {b[11]}");
        if (b[12] > 1) throw new ImageFormatException(source, $"unknown interlace method {b[12]}");
        return new PngHeader((int)w, (int)h, depth, color, b[12] == 1);
    }
}
