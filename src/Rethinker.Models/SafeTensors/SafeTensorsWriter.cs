// Writes safetensors files: header (entries ordered by alignment then name, as the reference writer does,
// so every tensor stays naturally aligned), then the data, streamed tensor by tensor through a small buffer.
// Float tensors are given as float32 and stored as F32, F16 or BF16. Written to a temp file, then renamed.
using System.Runtime.InteropServices;

namespace Rethinker.Models.SafeTensors;

/// <summary>Hands out float data at write time (a live parameter's span: nothing is copied first).</summary>
public delegate ReadOnlySpan<float> FloatSource();

/// <summary>One tensor to write: float data (stored as <see cref="DType"/>) or raw integer/byte data.</summary>
public sealed record SafeTensorWrite(string Name, SafeTensorDType DType, int[] Shape, ReadOnlyMemory<float> Floats, Array? Raw, FloatSource? Source = null)
{
    /// <summary>Float data read from <paramref name="source"/> when the file is written.</summary>
    public static SafeTensorWrite Float(string name, int[] shape, FloatSource source, SafeTensorDType dtype = SafeTensorDType.F32)
    {
        var w = Float(name, shape, new float[0].AsMemory(), dtype, checkLength: false);
        return w with { Source = source };
    }

    public static SafeTensorWrite Float(string name, int[] shape, ReadOnlyMemory<float> data, SafeTensorDType dtype = SafeTensorDType.F32) =>
        Float(name, shape, data, dtype, checkLength: true);

    static SafeTensorWrite Float(string name, int[] shape, ReadOnlyMemory<float> data, SafeTensorDType dtype, bool checkLength)
    {
        if (dtype is not (SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16))
            throw new ArgumentException($"tensor '{name}': float data can be stored as F32, F16 or BF16, not {dtype}");
        if (checkLength) Check(name, shape, data.Length);
        return new(name, dtype, shape, data, null);
    }

    public static SafeTensorWrite Int64(string name, int[] shape, long[] data) { Check(name, shape, data.Length); return new(name, SafeTensorDType.I64, shape, default, data); }
    public static SafeTensorWrite Int32(string name, int[] shape, int[] data) { Check(name, shape, data.Length); return new(name, SafeTensorDType.I32, shape, default, data); }
    public static SafeTensorWrite UInt8(string name, int[] shape, byte[] data) { Check(name, shape, data.Length); return new(name, SafeTensorDType.U8, shape, default, data); }

    public long ByteLength => SafeTensorEntry.ShapeElementCount(Shape) * DType.Size();

    static void Check(string name, int[] shape, long length)
    {
        long n = SafeTensorEntry.ShapeElementCount(shape);
        if (n != length) throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] has {n} elements, data has {length}");
    }
}

public static class SafeTensorsWriter
{
    public static void Write(string path, IReadOnlyList<SafeTensorWrite> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var dup = tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"{path}: tensor '{dup.Key}' given twice");
        var ordered = tensors.OrderByDescending(t => t.DType.Size()).ThenBy(t => t.Name, StringComparer.Ordinal).ToArray();
        var entries = new List<SafeTensorEntry>(ordered.Length);
        long offset = 0;
        foreach (var t in ordered)
        {
            entries.Add(new SafeTensorEntry(t.Name, t.DType, t.Shape, offset, offset + t.ByteLength));
            offset += t.ByteLength;
        }
        byte[] header = SafeTensorHeader.Build(entries, metadata);
        string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> len = stackalloc byte[8];
            BitConverter.TryWriteBytes(len, (ulong)header.Length);
            fs.Write(len);
            fs.Write(header);
            foreach (var t in ordered) WriteData(fs, t);
        }
        File.Move(tmp, path, overwrite: true);
    }

    static void WriteData(Stream s, SafeTensorWrite t)
    {
        if (t.Raw is not null)
        {
            ReadOnlySpan<byte> bytes = t.Raw switch
            {
                long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
                int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
                byte[] b => b,
                _ => throw new ArgumentException($"tensor '{t.Name}': unsupported raw array {t.Raw.GetType().Name}"),
            };
            s.Write(bytes);
            return;
        }
        ReadOnlySpan<float> src = t.Source is null ? t.Floats.Span : t.Source();
        if (src.Length != SafeTensorEntry.ShapeElementCount(t.Shape))
            throw new ArgumentException($"tensor '{t.Name}': shape [{string.Join(", ", t.Shape)}] but the data source gave {src.Length} values");
        if (t.DType == SafeTensorDType.F32) { s.Write(MemoryMarshal.AsBytes(src)); return; }
        const int Chunk = 1 << 16;
        var buf = new ushort[Chunk];
        for (int i = 0; i < src.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, src.Length - i);
            if (t.DType == SafeTensorDType.BF16) DTypeConversion.SingleToBF16(src.Slice(i, n), buf);
            else DTypeConversion.SingleToHalf(src.Slice(i, n), MemoryMarshal.Cast<ushort, Half>(buf.AsSpan(0, n)));
            s.Write(MemoryMarshal.AsBytes(buf.AsSpan(0, n)));
        }
    }
}
