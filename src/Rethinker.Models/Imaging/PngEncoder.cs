// PNG writer for synthetic data and reports: 8-bit RGB or RGBA, filter chosen per row by the
// minimum-sum-of-absolute-differences heuristic (as libpng does), zlib via the platform's ZLibStream.
using System.Buffers.Binary;
using System.IO.Compression;

namespace Rethinker.Models.Imaging;

public static class PngEncoder
{
    /// <summary>Encodes interleaved 8-bit pixels (channels 3 = RGB, 4 = RGBA, 1 = gray) of size width×height.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels = 3)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"PNG encode: size must be positive, got {width}×{height}.");
        if (channels is not (1 or 3 or 4)) throw new ArgumentException($"PNG encode: channels must be 1, 3 or 4, got {channels}.");
        long need = (long)width * height * channels;
        if (pixels.Length != need) throw new ArgumentException($"PNG encode: expected {need} bytes for {width}×{height}×{channels}, got {pixels.Length}.");
        var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;
        ihdr[9] = channels switch { 1 => 0, 3 => 2, _ => 6 };
        WriteChunk(output, "IHDR"u8, ihdr);
        WriteChunk(output, "IDAT"u8, Deflate(pixels, width, height, channels));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, int channels = 3)
        => File.WriteAllBytes(path, Encode(pixels, width, height, channels));

    static byte[] Deflate(ReadOnlySpan<byte> pixels, int width, int height, int bpp)
    {
        int stride = width * bpp;
        var prev = new byte[stride];
        var candidates = new byte[5][];
        for (int f = 0; f < 5; f++) candidates[f] = new byte[stride];
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * stride, stride);
                int best = 0; long bestScore = long.MaxValue;
                for (int f = 0; f < 5; f++)
                {
                    long score = Filter(f, row, prev, bpp, candidates[f]);
                    if (score < bestScore) { bestScore = score; best = f; }
                }
                z.WriteByte((byte)best);
                z.Write(candidates[best]);
                row.CopyTo(prev);
            }
        }
        return ms.ToArray();
    }

    static long Filter(int type, ReadOnlySpan<byte> row, byte[] prev, int bpp, byte[] dst)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            int predictor = type switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => Paeth(a, b, c) };
            byte v = (byte)(row[i] - predictor);
            dst[i] = v;
            score += v < 128 ? v : 256 - v;
        }
        return score;
    }

    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        s.Write(type);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }
}

/// <summary>CRC-32 (IEEE 802.3, reflected 0xEDB88320) as PNG chunks use it.</summary>
public static class Crc32
{
    static readonly uint[] Table = BuildTable();

    static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    /// <summary>Continues a running (pre-inverted) CRC over <paramref name="data"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
