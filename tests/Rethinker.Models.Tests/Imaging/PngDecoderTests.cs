// PNG decoder against PIL 9.4's decodes of PngSuite (TestData/codecs) and our generated corpus
// (TestData/codecs-extra): pixels exact for RGB and RGBA, PIL's mode and size, errors where PIL fails.
using Rethinker.Models.Imaging;
using Rethinker.Models.Imaging.Png;

namespace Rethinker.Models.Tests.Imaging;

public class PngDecoderTests
{
    public static TheoryData<string, string> Files()
    {
        var d = CodecCorpus.Names("PNG");
        foreach (var row in CodecCorpus.Names("PNG", "codecs-extra")) d.Add((string)row[0], (string)row[1]);
        return d;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Png_MatchesPilExactly(string corpus, string name)
    {
        var e = CodecCorpus.Get(corpus, name);
        byte[] bytes = CodecCorpus.Bytes(corpus, e);
        if (!e.Ok)
        {
            var ex = Assert.Throws<ImageFormatException>(() => PngDecoder.Decode(bytes, name));
            Assert.Contains(name, ex.Message);
            return;
        }
        var img = PngDecoder.Decode(bytes, name);
        Assert.Equal(e.Size![0], img.Width);
        Assert.Equal(e.Size![1], img.Height);
        Assert.Equal(e.Mode, img.Mode);
        var (shape, rgb) = CodecCorpus.Reference(corpus, e, "rgb");
        Assert.Equal([img.Height, img.Width, 3], shape);
        AssertBytesEqual(rgb, img.Rgb, name + " rgb");
        if (e.References.ContainsKey("rgba"))
        {
            var (_, rgba) = CodecCorpus.Reference(corpus, e, "rgba");
            AssertBytesEqual(rgba, img.ToRgba(), name + " rgba");
        }
        else Assert.Null(img.Alpha);
    }

    internal static void AssertBytesEqual(byte[] expected, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int first = -1, count = 0;
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i]) { if (first < 0) first = i; count++; }
        Assert.True(count == 0, $"{what}: {count} bytes differ, first at {first} (expected {(first >= 0 ? expected[first] : 0)}, got {(first >= 0 ? actual[first] : 0)})");
    }
}
