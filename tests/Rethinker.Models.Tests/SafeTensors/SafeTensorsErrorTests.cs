// Corrupt, truncated and inconsistent safetensors files: each must fail with a message naming the file,
// the tensor and the fault, never crash or read garbage.
using System.Text;
using Rethinker.Models.SafeTensors;

namespace Rethinker.Models.Tests.SafeTensors;

public sealed class SafeTensorsErrorTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "rt-ste-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsErrorTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    string Raw(string headerJson, int dataBytes, ulong? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + h.Length + dataBytes];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), declaredLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        string p = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(p, bytes);
        return p;
    }

    static string Open(string path) => Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path).Dispose()).Message;

    [Fact]
    public void Truncated_DataRunsPastEnd()
    {
        string good = Path.Combine(_dir, "good.safetensors");
        SafeTensorsWriter.Write(good, [SafeTensorWrite.Float("a.weight", [4, 4], new float[16])]);
        var bytes = File.ReadAllBytes(good);
        string cut = Path.Combine(_dir, "cut.safetensors");
        File.WriteAllBytes(cut, bytes[..^10]);
        string m = Open(cut);
        Assert.Contains("cut.safetensors", m);
        Assert.Contains("'a.weight'", m);
        Assert.Contains("past the end", m);
    }

    [Fact]
    public void Truncated_ShorterThanLengthPrefix()
    {
        string p = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(p, new byte[5]);
        Assert.Contains("truncated", Open(p));
        File.WriteAllBytes(p, []);
        Assert.Contains("truncated", Open(p));
    }

    [Fact]
    public void Truncated_HeaderLongerThanFile() => Assert.Contains("header length 500", Open(Raw("{}", 0, 500)));

    [Fact]
    public void Corrupt_HeaderLengthAboveLimit() => Assert.Contains("exceeds", Open(Raw("{}", 0, ulong.MaxValue)));

    [Fact]
    public void Corrupt_HeaderNotJson() => Assert.Contains("not well formed", Open(Raw("{\"a\": {\"dtype\": \"F32\", \"sha", 0)));

    [Fact]
    public void Corrupt_HeaderNotObject() => Assert.Contains("expected a JSON object", Open(Raw("[1, 2]", 0)));

    [Fact]
    public void Corrupt_DuplicateName()
    {
        string m = Open(Raw("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8));
        Assert.Contains("'w'", m);
        Assert.Contains("twice", m);
    }

    [Fact]
    public void Corrupt_ByteLengthDisagreesWithShape()
    {
        string m = Open(Raw("{\"w\": {\"dtype\": \"BF16\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}}", 24));
        Assert.Contains("'w'", m);
        Assert.Contains("needs 12 bytes", m);
    }

    [Fact]
    public void Corrupt_OverlappingOffsets()
    {
        string m = Open(Raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12));
        Assert.Contains("overlap", m);
        Assert.Contains("'a'", m);
        Assert.Contains("'b'", m);
    }

    [Theory]
    [InlineData("{\"w\": {\"dtype\": \"Q4\", \"shape\": [1], \"data_offsets\": [0, 1]}}", "unsupported dtype 'Q4'")]
    [InlineData("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "'dtype'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", "'shape'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "shape entry 0")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1]}}", "data_offsets")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "begin <= end")]
    [InlineData("{\"__metadata__\": {\"format\": 3}}", "__metadata__")]
    public void Corrupt_EntryFieldsNamed(string header, string expected)
    {
        string m = Open(Raw(header, 4));
        Assert.Contains(expected, m);
    }

    [Fact]
    public void Checkpoint_MissingDirectoryContentsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SafeTensorsCheckpoint.Open(_dir));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Checkpoint_IndexPointsToMissingShard()
    {
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.index.json"), "{\"weight_map\": {\"w\": \"model-00001-of-00002.safetensors\"}}");
        var e = Assert.Throws<FileNotFoundException>(() => SafeTensorsCheckpoint.Open(_dir));
        Assert.Contains("model-00001-of-00002.safetensors", e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void Checkpoint_IndexNamesTensorTheShardLacks()
    {
        SafeTensorsWriter.Write(Path.Combine(_dir, "s1.safetensors"), [SafeTensorWrite.Float("a", [1], new float[1])]);
        File.WriteAllText(Path.Combine(_dir, "model.safetensors.index.json"), "{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s1.safetensors\"}}");
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsCheckpoint.Open(_dir));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("does not hold it", e.Message);
    }
}
