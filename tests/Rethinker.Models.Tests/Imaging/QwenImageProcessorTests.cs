// Qwen2-VL image processor against transformers 4.50 + PIL 9.4 (TestData/image_processor, copied from
// shared/fixtures/hf-qwen-vl/image_processor): grids and smart_resize exact, resized pixels within 1 level
// (we are in fact exact), pixel_values bit-exact when fed PIL's resized pixels, and HF's errors.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Rethinker.Models.Imaging;
using Xunit.Abstractions;

namespace Rethinker.Models.Tests.Imaging;

public class QwenImageProcessorTests(ITestOutputHelper output)
{
    static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "TestData", "image_processor");
    static readonly Lazy<Dictionary<string, (string Dtype, int[] Shape, byte[] Data)>> Tensors = new(() => ReadSafetensors(Path.Combine(Dir, "image_processor.safetensors")));

    public static TheoryData<string, string> Items() => new()
    {
        { "exact_56x84", "hub_default" }, { "upscale_28x28", "hub_default" },
        { "round_50x100", "hub_default" }, { "downscale_150x200", "small_max" },
    };

    static QwenImageProcessor Processor(string name) => QwenImageProcessor.FromFile(Path.Combine(Dir, $"preprocessor_config.{name}.json"));

    static RgbImage Image(string key)
    {
        var (_, shape, data) = Tensors.Value[key];
        return new RgbImage(shape[1], shape[0], data);
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void Resize_MatchesPilWithinOneLevel(string item, string config)
    {
        var p = Processor(config);
        var resized = p.Resize(Image($"{item}.rgb"));
        var expected = Image($"{item}.resized_rgb");
        Assert.Equal((expected.Width, expected.Height), (resized.Width, resized.Height));
        var (mean, max) = JpegDecoderTests.Difference(expected.Pixels, resized.Pixels);
        output.WriteLine($"{item}: mean |diff| {mean:0.####}, max {max}");
        Assert.True(max <= 1, $"{item}: max difference {max} > 1");
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void PixelValues_ExactFromPilResizedPixels(string item, string config)
    {
        var p = Processor(config);
        var result = p.Patchify([Image($"{item}.resized_rgb")]);
        var (_, shape, data) = Tensors.Value[$"{item}.pixel_values"];
        Assert.Equal([result.Patches, result.PatchDim], shape);
        var expected = new float[data.Length / 4];
        Buffer.BlockCopy(data, 0, expected, 0, data.Length);
        int bad = 0;
        for (int i = 0; i < expected.Length; i++) if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(result.PixelValues[i])) bad++;
        Assert.Equal(0, bad);
    }

    [Theory]
    [MemberData(nameof(Items))]
    public void Process_GridMatchesHf(string item, string config)
    {
        var p = Processor(config);
        var result = p.Process([Image($"{item}.rgb")]);
        var (_, _, data) = Tensors.Value[$"{item}.image_grid_thw"];
        int[] grid = [.. Enumerable.Range(0, 3).Select(i => (int)BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8 * i)))];
        Assert.Equal(grid, result.GridThw.Single());
        Assert.Equal(grid[0] * grid[1] * grid[2], result.Patches);
    }

    [Fact]
    public void Process_ConcatenatesImagesInOrder()
    {
        var p = Processor("hub_default");
        var a = Image("exact_56x84.rgb");
        var b = Image("round_50x100.rgb");
        var both = p.Process([a, b]);
        var one = p.Process([a]);
        var two = p.Process([b]);
        Assert.Equal([one.GridThw[0], two.GridThw[0]], both.GridThw);
        Assert.Equal(one.PixelValues.Concat(two.PixelValues), both.PixelValues);
    }

    // Expected values computed with HF's smart_resize in Python (round() is round-half-to-even).
    [Theory]
    [InlineData(56, 84, 12845056, 56, 84)]
    [InlineData(28, 28, 12845056, 56, 56)]
    [InlineData(50, 100, 12845056, 56, 112)]
    [InlineData(42, 70, 12845056, 56, 56)]
    [InlineData(42, 98, 12845056, 56, 112)]
    [InlineData(70, 126, 12845056, 56, 112)]
    [InlineData(1000, 5000, 12845056, 1008, 5012)]
    [InlineData(4000, 3000, 12845056, 4004, 2996)]
    [InlineData(150, 200, 12544, 84, 112)]
    [InlineData(3001, 7777, 1003520, 616, 1596)]
    public void SmartResize_FollowsHf(int h, int w, int maxPixels, int eh, int ew)
        => Assert.Equal((eh, ew), QwenImageProcessor.SmartResize(h, w, 28, 3136, maxPixels));

    [Fact]
    public void SmartResize_RejectsExtremeAspectAndTinyImages()
    {
        var e1 = Assert.Throws<ArgumentException>(() => QwenImageProcessor.SmartResize(28, 28 * 201, 28, 3136, 12845056));
        Assert.Contains("absolute aspect ratio must be smaller than 200", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => QwenImageProcessor.SmartResize(20, 100, 28, 3136, 12845056));
        Assert.Contains("must be larger than factor:28", e2.Message);
    }

    [Fact]
    public void FromFile_ReadsPixelLimitsFromConfig()
    {
        Assert.Equal(12544, Processor("small_max").Options.MaxPixels);
        Assert.Equal(12845056, Processor("hub_default").Options.MaxPixels);
    }

    static Dictionary<string, (string, int[], byte[])> ReadSafetensors(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        long n = BinaryPrimitives.ReadInt64LittleEndian(b);
        using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(b, 8, (int)n));
        var result = new Dictionary<string, (string, int[], byte[])>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__") continue;
            var offs = p.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            int[] shape = [.. p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32())];
            result[p.Name] = (p.Value.GetProperty("dtype").GetString()!, shape, b[(int)(8 + n + offs[0])..(int)(8 + n + offs[1])]);
        }
        return result;
    }
}

public class PilResizeTests
{
    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, 6)];

    /// <summary>TestData/codecs-extra/resize: PIL 9.4 Image.resize(BICUBIC) on synthetic images (up, down, one axis only).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Bicubic_MatchesPilExactly(int index)
    {
        string dir = Path.Combine(CodecCorpus.Root("codecs-extra"), "resize", "ref");
        var (ss, src) = Npy.ReadUInt8(Path.Combine(dir, $"case{index}.npy.src.npy"));
        var (ds, expected) = Npy.ReadUInt8(Path.Combine(dir, $"case{index}.npy.resized.npy"));
        var resized = PilResize.Bicubic(new RgbImage(ss[1], ss[0], src), ds[1], ds[0]);
        PngDecoderTests.AssertBytesEqual(expected, resized.Pixels, $"resize case {index}");
    }
}
