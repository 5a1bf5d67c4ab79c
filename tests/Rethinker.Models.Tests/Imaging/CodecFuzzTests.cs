// Bounded, seeded fuzzing of the PNG and JPEG decoders over mutated corpus files: whatever the damage, only
// ImageFormatException may escape, no internal fault (index out of range etc.) may hide behind it, and every
// decode stays fast. PNG mutations re-seal chunk CRCs half the time so that damage reaches the pixel stages.
using System.Buffers.Binary;
using System.Diagnostics;
using Rethinker.Models.Imaging;
using Xunit.Abstractions;

namespace Rethinker.Models.Tests.Imaging;

public class CodecFuzzTests(ITestOutputHelper output)
{
    static readonly ImageLimits FuzzLimits = new(1_000_000);

    public static TheoryData<string> Formats() => ["PNG", "JPEG"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void MutatedFiles_OnlyRaiseImageFormatException(string format)
    {
        var seeds = CodecCorpus.Entries().Select(e => ("codecs", e))
            .Concat(CodecCorpus.Entries("codecs-extra").Select(e => ("codecs-extra", e)))
            .Where(x => x.Item2.Format == format)
            .Select(x => CodecCorpus.Bytes(x.Item1, x.Item2))
            .Where(b => b.Length <= 16_000)
            .ToArray();
        Assert.NotEmpty(seeds);
        var rng = new Random(format == "PNG" ? 1234 : 5678);
        int decoded = 0, rejected = 0, iterations = 2500;
        double worstMs = 0;
        var budget = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            byte[] data = Mutate(seeds[rng.Next(seeds.Length)], rng);
            if (format == "PNG" && rng.Next(2) == 0) ResealPngCrcs(data);
            var sw = Stopwatch.StartNew();
            try
            {
                var img = ImageLoader.Decode(data, $"fuzz#{i}", FuzzLimits);
                Assert.Equal((long)img.Width * img.Height * 3, img.Rgb.Length);
                decoded++;
            }
            catch (ImageFormatException e)
            {
                Assert.True(e.InnerException is null or InvalidDataException or IOException,
                    $"mutation {i}: internal fault behind the error: {e.InnerException}");
                Assert.StartsWith($"fuzz#{i}: ", e.Message);
                rejected++;
            }
            worstMs = Math.Max(worstMs, sw.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"{format}: {iterations} mutations, {decoded} decoded, {rejected} rejected, worst {worstMs:0.0} ms, total {budget.Elapsed.TotalSeconds:0.0} s");
        Assert.True(worstMs < 2000, $"slowest decode took {worstMs:0} ms");
        Assert.True(decoded > 0 && rejected > 0, "mutations should produce both decodable and rejected files");
    }

    static byte[] Mutate(byte[] seed, Random rng)
    {
        var d = new List<byte>(seed);
        int edits = 1 + rng.Next(4);
        for (int k = 0; k < edits && d.Count > 2; k++)
        {
            int at = rng.Next(d.Count);
            switch (rng.Next(7))
            {
                case 0: d[at] ^= (byte)(1 << rng.Next(8)); break;                     // bit flip
                case 1: d[at] = (byte)rng.Next(256); break;                             // random byte
                case 2: d.RemoveRange(at, Math.Min(d.Count - at, 1 + rng.Next(16))); break; // deletion
                case 3: d.InsertRange(at, Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => (byte)rng.Next(256))); break;
                case 4: d.RemoveRange(at, d.Count - at); break;                        // truncation
                case 5: d[at] = 0xFF; break;                                            // marker-like byte
                default: if (at + 1 < d.Count) { d[at] = 0xFF; d[at + 1] = (byte)rng.Next(256); } break;
            }
        }
        return [.. d];
    }

    /// <summary>Recomputes every chunk CRC so that corruption inside chunks is not caught by the CRC check.</summary>
    static void ResealPngCrcs(byte[] d)
    {
        int pos = 8;
        while (pos + 12 <= d.Length)
        {
            long len = BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(pos));
            if (pos + 12 + len > d.Length) break;
            uint crc = Crc32.Update(0xFFFFFFFFu, d.AsSpan(pos + 4, 4 + (int)len)) ^ 0xFFFFFFFFu;
            BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(pos + 8 + (int)len), crc);
            pos += 12 + (int)len;
        }
    }
}

public class HostileInputTests
{
    [Fact]
    public void HugeDeclaredSizes_RejectedBeforeAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var name in new[] { "png/huge_declared_size.png", "jpeg/huge_declared_size.jpg" })
        {
            var e = CodecCorpus.Get("codecs-extra", name);
            var ex = Assert.Throws<ImageFormatException>(() => ImageLoader.Decode(CodecCorpus.Bytes("codecs-extra", e), name));
            Assert.Contains("decompression bomb", ex.Message);
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "rejection must not allocate pixel memory");
    }

    [Fact]
    public void InflateBomb_DecodesWithoutInflatingPastTheImage()
    {
        var e = CodecCorpus.Get("codecs-extra", "png/inflate_bomb.png");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var img = ImageLoader.Decode(CodecCorpus.Bytes("codecs-extra", e), e.Name);
        Assert.Equal(37 * 23 * 3, img.Rgb.Length);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 5_000_000, "the 20 MB zlib stream must not be inflated whole");
    }

    [Fact]
    public void ConfigurablePixelBudget_IsEnforced()
    {
        var e = CodecCorpus.Get("codecs", "jpeg/pillow_hopper.jpg");
        var ex = Assert.Throws<ImageFormatException>(() => ImageLoader.Decode(CodecCorpus.Bytes("codecs", e), "hopper", new ImageLimits(100 * 100)));
        Assert.Contains("exceeds the limit of 10000 pixels", ex.Message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF })]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 })]
    public void TinyOrEmptyInputs_GiveClearErrors(byte[] data)
    {
        var ex = Assert.Throws<ImageFormatException>(() => ImageLoader.Decode(data, "tiny.bin"));
        Assert.StartsWith("tiny.bin: ", ex.Message);
    }

    [Fact]
    public void MissingFile_NamesThePath()
    {
        var ex = Assert.Throws<ImageFormatException>(() => ImageLoader.Load("/nonexistent/x.png"));
        Assert.Contains("/nonexistent/x.png", ex.Message);
    }
}
