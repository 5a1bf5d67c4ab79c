// A memory-mapped safetensors file: the header is parsed and validated once, tensor data is converted to
// float32 (or read raw for integers) only when asked for, one tensor at a time, so a 7B checkpoint is not
// held twice in memory. Follows the format of huggingface/safetensors; big-endian hosts are not supported.
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Rethinker.Models.SafeTensors;

public sealed unsafe class SafeTensorsFile : IDisposable
{
    readonly MemoryMappedFile? _map;
    readonly MemoryMappedViewAccessor? _view;
    readonly byte* _data;          // start of the data section
    readonly long _dataOffset;     // file offset of the data section
    readonly Dictionary<string, SafeTensorEntry> _byName;
    bool _pointerHeld;

    public string Path { get; }
    public SafeTensorHeader Header { get; }
    public IReadOnlyList<SafeTensorEntry> Entries => Header.Entries;
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    SafeTensorsFile(string path)
    {
        Path = path;
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: safetensors file not found", path);
        long fileLength = info.Length;
        if (fileLength < 8)
            throw new SafeTensorsFormatException($"{path}: truncated file: {fileLength} bytes, less than the 8-byte header length");
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* p = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _pointerHeld = true;
            p += _view.PointerOffset;
            ulong n = *(ulong*)p;
            if (n > SafeTensorHeader.MaxHeaderBytes)
                throw new SafeTensorsFormatException($"{path}: corrupt header: header length {n} exceeds the {SafeTensorHeader.MaxHeaderBytes}-byte limit");
            if ((long)n > fileLength - 8)
                throw new SafeTensorsFormatException($"{path}: truncated file or corrupt header: header length {n} but only {fileLength - 8} bytes follow");
            long dataLength = fileLength - 8 - (long)n;
            Header = SafeTensorHeader.Parse(new ReadOnlySpan<byte>(p + 8, (int)n), dataLength, path);
            _data = p + 8 + (long)n;
            _dataOffset = 8 + (long)n;
            _byName = Header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static SafeTensorsFile Open(string path) => new(path);

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafeTensorEntry Entry(string name) =>
        _byName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    public bool TryGetEntry(string name, out SafeTensorEntry entry) => _byName.TryGetValue(name, out entry!);

    /// <summary>The stored bytes of a tensor, viewed in place (valid until Dispose).</summary>
    public ReadOnlySpan<T> Raw<T>(SafeTensorEntry e) where T : unmanaged
    {
        long count = (e.End - e.Begin) / sizeof(T);
        if (count > int.MaxValue) throw new NotSupportedException($"{Path}: tensor '{e.Name}' has more than 2^31 elements");
        return new ReadOnlySpan<T>(_data + e.Begin, (int)count);
    }

    /// <summary>Converts a float tensor (F32/F16/BF16/F64) to float32 into <paramref name="dst"/> (length = element count).</summary>
    public void ReadSingle(string name, Span<float> dst)
    {
        var e = Entry(name);
        if (dst.Length != e.ElementCount)
            throw new ArgumentException($"{Path}: tensor '{name}' has {e.ElementCount} elements, destination {dst.Length}");
        if (!e.DType.IsFloat())
            throw new InvalidDataException($"{Path}: tensor '{name}' has dtype {e.DType.ToHeaderString()}, expected a float type (F32, F16, BF16, F64)");
        if (e.End == e.Begin) return;
        // A view of just this tensor, unmapped afterwards: pages read while loading a checkpoint do not stay in
        // the process's resident set next to the float32 copy.
        using var view = _map!.CreateViewAccessor(_dataOffset + e.Begin, e.End - e.Begin, MemoryMappedFileAccess.Read);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        try
        {
            p += view.PointerOffset;
            int n = dst.Length;
            switch (e.DType)
            {
                case SafeTensorDType.F32: new ReadOnlySpan<float>(p, n).CopyTo(dst); break;
                case SafeTensorDType.BF16: DTypeConversion.BF16ToSingle(new ReadOnlySpan<ushort>(p, n), dst); break;
                case SafeTensorDType.F16: DTypeConversion.HalfToSingle(new ReadOnlySpan<Half>(p, n), dst); break;
                default:
                    var d = new ReadOnlySpan<double>(p, n);
                    for (int i = 0; i < n; i++) dst[i] = (float)d[i];
                    break;
            }
        }
        finally { view.SafeMemoryMappedViewHandle.ReleasePointer(); }
    }

    public float[] ReadSingle(string name)
    {
        var a = new float[Entry(name).ElementCount];
        ReadSingle(name, a);
        return a;
    }

    /// <summary>Any integer or bool tensor widened to Int64 (I64, I32, I16, I8, U8, BOOL).</summary>
    public long[] ReadInt64(string name)
    {
        var e = Entry(name);
        var r = new long[e.ElementCount];
        switch (e.DType)
        {
            case SafeTensorDType.I64: Raw<long>(e).CopyTo(r); break;
            case SafeTensorDType.I32: { var s = Raw<int>(e); for (int i = 0; i < s.Length; i++) r[i] = s[i]; break; }
            case SafeTensorDType.I16: { var s = Raw<short>(e); for (int i = 0; i < s.Length; i++) r[i] = s[i]; break; }
            case SafeTensorDType.I8: { var s = Raw<sbyte>(e); for (int i = 0; i < s.Length; i++) r[i] = s[i]; break; }
            case SafeTensorDType.U8 or SafeTensorDType.Bool: { var s = Raw<byte>(e); for (int i = 0; i < s.Length; i++) r[i] = s[i]; break; }
            default: throw new InvalidDataException($"{Path}: tensor '{name}' has dtype {e.DType.ToHeaderString()}, expected an integer type");
        }
        return r;
    }

    /// <summary>An integer tensor as Int32, with an error when a value does not fit.</summary>
    public int[] ReadInt32(string name)
    {
        long[] l = ReadInt64(name);
        var r = new int[l.Length];
        for (int i = 0; i < l.Length; i++)
        {
            if (l[i] is < int.MinValue or > int.MaxValue) throw new InvalidDataException($"{Path}: tensor '{name}' element {i} = {l[i]} does not fit in Int32");
            r[i] = (int)l[i];
        }
        return r;
    }

    /// <summary>A U8 tensor (raw images), copied.</summary>
    public byte[] ReadBytes(string name)
    {
        var e = Entry(name);
        if (e.DType != SafeTensorDType.U8) throw new InvalidDataException($"{Path}: tensor '{name}' has dtype {e.DType.ToHeaderString()}, expected U8");
        return Raw<byte>(e).ToArray();
    }

    public void Dispose()
    {
        if (_pointerHeld) { _view!.SafeMemoryMappedViewHandle.ReleasePointer(); _pointerHeld = false; }
        _view?.Dispose();
        _map?.Dispose();
    }
}
