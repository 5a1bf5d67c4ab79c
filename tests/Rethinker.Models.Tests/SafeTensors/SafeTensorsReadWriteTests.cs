// Round trips and fixture reads of the safetensors reader/writer (F32/F16/BF16, integers, shards).
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Rethinker.Models.SafeTensors;
using Rethinker.Models.Tests.Qwen;

namespace Rethinker.Models.Tests.SafeTensors;

public sealed class SafeTensorsReadWriteTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "rt-st-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsReadWriteTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void Fixture_HeaderMatchesManifestNamesAndShapes(string arch)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(TestFiles.ModelDir(arch), "manifest.json")))!;
        var expected = manifest["model_safetensors"]!["tensors"]!.AsObject();
        using var f = SafeTensorsFile.Open(Path.Combine(TestFiles.ModelDir(arch), "model.safetensors"));
        Assert.Equal(expected.Count, f.Entries.Count);
        foreach (var (name, shape) in expected)
        {
            var e = f.Entry(name);
            Assert.Equal(shape!.AsArray().Select(x => (int)x!).ToArray(), e.Shape);
            Assert.Equal(SafeTensorDType.F32, e.DType);
        }
        Assert.Equal("pt", f.Metadata["format"]);
    }

    [Fact]
    public void Fixture_CaseExposesIntegerAndByteTensors()
    {
        using var f = SafeTensorsFile.Open(TestFiles.Case("qwen2_vl", "two_images"));
        Assert.Equal(SafeTensorDType.I64, f.Entry("input_ids").DType);
        var ids = f.ReadInt32("input_ids");
        Assert.Equal(76, ids.Length);
        Assert.Equal(281, ids[0]);
        Assert.Equal(new long[] { 1, 4, 6, 1, 2, 2 }, f.ReadInt64("image_grid_thw"));
        Assert.Equal(SafeTensorDType.I32, f.Entry("vision.cu_seqlens").DType);
        Assert.Equal(new[] { 0, 24, 28 }, f.ReadInt32("vision.cu_seqlens"));
        var rgb = f.ReadBytes("image0_rgb");
        Assert.Equal(56 * 84 * 3, rgb.Length);
        Assert.Throws<InvalidDataException>(() => f.ReadSingle("input_ids"));
    }

    [Fact]
    public void RoundTrip_AllDTypesAndMetadata()
    {
        var rng = new Random(1);
        float[] a = Enumerable.Range(0, 37).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        string path = Path.Combine(_dir, "x.safetensors");
        SafeTensorsWriter.Write(path,
        [
            SafeTensorWrite.Float("f32", [37], a),
            SafeTensorWrite.Float("f16", [1, 37], a, SafeTensorDType.F16),
            SafeTensorWrite.Float("bf16", [37, 1], a, SafeTensorDType.BF16),
            SafeTensorWrite.Int64("i64", [2, 2], [1, -2, long.MaxValue, 4]),
            SafeTensorWrite.Int32("i32", [3], [7, 8, -9]),
            SafeTensorWrite.UInt8("u8", [5], [0, 1, 2, 254, 255]),
            SafeTensorWrite.Float("empty", [0, 3], Array.Empty<float>()),
        ], new Dictionary<string, string> { ["format"] = "pt" });
        using var f = SafeTensorsFile.Open(path);
        Assert.Equal(a, f.ReadSingle("f32"));
        var h = f.ReadSingle("f16");
        var b = f.ReadSingle("bf16");
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal((float)(Half)a[i], h[i]);
            Assert.True(Math.Abs(a[i] - b[i]) <= Math.Abs(a[i]) / 256f, $"bf16 {a[i]} -> {b[i]}");
        }
        Assert.Equal(new long[] { 1, -2, long.MaxValue, 4 }, f.ReadInt64("i64"));
        Assert.Equal(new[] { 7, 8, -9 }, f.ReadInt32("i32"));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, f.ReadBytes("u8"));
        Assert.Empty(f.ReadSingle("empty"));
        Assert.Equal("pt", f.Metadata["format"]);
        Assert.Equal(0, (new FileInfo(path).Length - 8 - (long)f.Entries.Sum(e => e.End - e.Begin)) % 8);
    }

    [Fact]
    public void BF16_RoundsToNearestEven()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<NormalFloat>(), nf =>
        {
            float x = (float)nf.Get;
            Span<ushort> bits = stackalloc ushort[1];
            Span<float> back = stackalloc float[1];
            DTypeConversion.SingleToBF16([x], bits);
            DTypeConversion.BF16ToSingle(bits, back);
            uint u = BitConverter.SingleToUInt32Bits(x);
            float down = BitConverter.UInt32BitsToSingle(u & 0xFFFF0000u);
            float up = BitConverter.UInt32BitsToSingle((u & 0xFFFF0000u) + 0x10000u);
            double dDown = Math.Abs((double)x - down), dUp = Math.Abs((double)x - up);
            float want = dDown < dUp ? down : dUp < dDown ? up : ((u >> 16) & 1) == 0 ? down : up;
            return float.IsInfinity(up) || back[0] == want;
        }).QuickCheckThrowOnFailure();
        Span<ushort> nan = stackalloc ushort[1];
        DTypeConversion.SingleToBF16([float.NaN], nan);
        Span<float> nanBack = stackalloc float[1];
        DTypeConversion.BF16ToSingle(nan, nanBack);
        Assert.True(float.IsNaN(nanBack[0]));
    }

    [Fact]
    public void BF16_WidenMatchesScalarForEveryTailLength()
    {
        var rng = new Random(3);
        for (int n = 0; n <= 70; n++)
        {
            var src = Enumerable.Range(0, n).Select(_ => (ushort)rng.Next(0, 0x7F80)).ToArray();
            var dst = new float[n];
            DTypeConversion.BF16ToSingle(src, dst);
            for (int i = 0; i < n; i++) Assert.Equal(BitConverter.UInt32BitsToSingle((uint)src[i] << 16), dst[i]);
        }
    }

    [Fact]
    public void Sharded_SaveSplitsAndOpenReadsBack()
    {
        var tensors = Enumerable.Range(0, 10)
            .Select(i => SafeTensorWrite.Float($"layer.{i}.weight", [10, 10], Enumerable.Range(0, 100).Select(j => (float)(i * 1000 + j)).ToArray()))
            .ToArray();
        SafeTensorsCheckpoint.Save(_dir, tensors, maxShardBytes: 1200);
        Assert.False(File.Exists(Path.Combine(_dir, "model.safetensors")));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "model.safetensors.index.json")))!;
        Assert.Equal(4000, (long)index["metadata"]!["total_size"]!);
        Assert.Equal(4, index["weight_map"]!.AsObject().Select(kv => (string)kv.Value!).Distinct().Count());
        Assert.True(File.Exists(Path.Combine(_dir, "model-00001-of-00004.safetensors")));
        using var ck = SafeTensorsCheckpoint.Open(_dir);
        Assert.Equal(10, ck.Names.Count);
        var buf = new float[100];
        ck.ReadSingle("layer.7.weight", buf);
        Assert.Equal(7000f, buf[0]);
        Assert.Equal(7099f, buf[99]);
    }

    [Fact]
    public void Single_SaveUnderLimitWritesOneFile()
    {
        SafeTensorsCheckpoint.Save(_dir, [SafeTensorWrite.Float("w", [2], new float[] { 1, 2 })]);
        using var ck = SafeTensorsCheckpoint.Open(_dir);
        Assert.Single(ck.Files);
        Assert.Equal(8, ck.TotalBytes);
    }
}
