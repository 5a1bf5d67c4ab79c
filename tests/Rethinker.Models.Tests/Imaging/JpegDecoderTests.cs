// JPEG decoder against PIL 9.4 / libjpeg-turbo 2.1.5 decodes (TestData/codecs and codecs-extra): the islow
// IDCT, fancy upsampling and fixed-point colour tables make the output bit-exact, so the test asserts equality;
// files PIL rejects must raise ImageFormatException, optional features may be refused with it.
using Rethinker.Models.Imaging;
using Rethinker.Models.Imaging.Jpeg;
using Xunit.Abstractions;

namespace Rethinker.Models.Tests.Imaging;

public class JpegDecoderTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Files()
    {
        var d = CodecCorpus.Names("JPEG");
        foreach (var row in CodecCorpus.Names("JPEG", "codecs-extra")) d.Add((string)row[0], (string)row[1]);
        return d;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Jpeg_MatchesPilExactly(string corpus, string name)
    {
        var e = CodecCorpus.Get(corpus, name);
        byte[] bytes = CodecCorpus.Bytes(corpus, e);
        if (!e.Ok)
        {
            var ex = Assert.Throws<ImageFormatException>(() => JpegDecoder.Decode(bytes, name));
            Assert.Contains(name, ex.Message);
            output.WriteLine(ex.Message);
            return;
        }
        DecodedImage img;
        try { img = JpegDecoder.Decode(bytes, name); }
        catch (ImageFormatException ex) when (e.Optional)
        {
            output.WriteLine($"optional feature refused: {ex.Message}");
            return;
        }
        Assert.Equal(e.Size![0], img.Width);
        Assert.Equal(e.Size![1], img.Height);
        Assert.Equal(e.Mode, img.Mode);
        var (shape, rgb) = CodecCorpus.Reference(corpus, e, "rgb");
        Assert.Equal([img.Height, img.Width, 3], shape);
        var (mean, max) = Difference(rgb, img.Rgb);
        output.WriteLine($"{name}: mean |diff| {mean:0.####}, max {max}");
        PngDecoderTests.AssertBytesEqual(rgb, img.Rgb, name);
    }

    internal static (double Mean, int Max) Difference(byte[] a, byte[] b)
    {
        long sum = 0; int max = 0;
        for (int i = 0; i < a.Length; i++) { int d = Math.Abs(a[i] - b[i]); sum += d; max = Math.Max(max, d); }
        return ((double)sum / a.Length, max);
    }
}

public class ExifOrientationTests
{
    public static TheoryData<string, string> Files()
    {
        var d = new TheoryData<string, string>();
        foreach (var e in CodecCorpus.Entries().Where(e => e.References.ContainsKey("exif_transposed_rgb"))) d.Add("codecs", e.Name);
        return d;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ExifTranspose_MatchesPilImageOps(string corpus, string name)
    {
        var e = CodecCorpus.Get(corpus, name);
        byte[] bytes = CodecCorpus.Bytes(corpus, e);
        int orientation = ExifOrientation.Read(bytes);
        Assert.InRange(orientation, 2, 8);
        var upright = ExifOrientation.Apply(ImageLoader.Load(bytes, name), orientation);
        var (shape, rgb) = CodecCorpus.Reference(corpus, e, "exif_transposed_rgb");
        Assert.Equal([upright.Height, upright.Width, 3], shape);
        PngDecoderTests.AssertBytesEqual(rgb, upright.Pixels, name);
    }
}
