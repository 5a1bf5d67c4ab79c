// Parses and validates a safetensors JSON header (format: 8-byte little-endian header length N, N bytes of
// JSON {"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}}, then the data).
// Checks follow the reference implementation: length bound, well-formed JSON, unique names, known dtype,
// dtype × shape = byte length, offsets inside the data section and not overlapping.
using System.Text.Json;

namespace Rethinker.Models.SafeTensors;

/// <summary>One tensor of a safetensors file. <see cref="Begin"/>/<see cref="End"/> are byte offsets into the data section.</summary>
public sealed record SafeTensorEntry(string Name, SafeTensorDType DType, int[] Shape, long Begin, long End)
{
    public long ElementCount => ShapeElementCount(Shape);

    internal static long ShapeElementCount(int[] shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }
}

public sealed class SafeTensorHeader
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we (a corrupt length otherwise allocates GBs).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<SafeTensorEntry> Entries { get; }

    SafeTensorHeader(Dictionary<string, string> metadata, List<SafeTensorEntry> entries)
    {
        Metadata = metadata;
        Entries = entries;
    }

    /// <summary>Parses <paramref name="json"/> and validates every entry against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafeTensorHeader Parse(ReadOnlySpan<byte> json, long dataLength, string file)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException($"{file}: corrupt header: the JSON is not well formed ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsFormatException($"{file}: corrupt header: expected a JSON object, got {doc.RootElement.ValueKind}");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafeTensorEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name))
                    throw new SafeTensorsFormatException($"{file}: tensor '{prop.Name}': name appears twice in the header");
                if (prop.Name == "__metadata__") { ReadMetadata(prop.Value, metadata, file); continue; }
                entries.Add(ReadEntry(prop.Name, prop.Value, dataLength, file));
            }
            CheckOverlaps(entries, file);
            return new SafeTensorHeader(metadata, entries);
        }
    }

    static void ReadMetadata(JsonElement e, Dictionary<string, string> metadata, string file)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsFormatException($"{file}: corrupt header: __metadata__ must be an object of strings");
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new SafeTensorsFormatException($"{file}: corrupt header: __metadata__ value '{p.Name}' is not a string");
            metadata[p.Name] = p.Value.GetString()!;
        }
    }

    static SafeTensorEntry ReadEntry(string name, JsonElement e, long dataLength, string file)
    {
        string where = $"{file}: tensor '{name}'";
        if (e.ValueKind != JsonValueKind.Object) throw new SafeTensorsFormatException($"{where}: header entry is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new SafeTensorsFormatException($"{where}: missing string field 'dtype'");
        if (!SafeTensorDTypes.TryParse(dt.GetString()!, out var dtype))
            throw new SafeTensorsFormatException($"{where}: unsupported dtype '{dt.GetString()}' (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsFormatException($"{where}: missing array field 'shape'");
        var shape = new int[sh.GetArrayLength()];
        int k = 0;
        long count = 1;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int v) || v < 0)
                throw new SafeTensorsFormatException($"{where}: shape entry {k} is not a non-negative 32-bit integer ({d.GetRawText()})");
            shape[k++] = v;
            count = checked(count * v);
        }
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new SafeTensorsFormatException($"{where}: missing field 'data_offsets' [begin, end]");
        if (!off[0].TryGetInt64(out long begin) || !off[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new SafeTensorsFormatException($"{where}: data_offsets {off.GetRawText()} are not 0 <= begin <= end");
        if (end > dataLength)
            throw new SafeTensorsFormatException($"{where}: data_offsets [{begin}, {end}] run past the end of the data section ({dataLength} bytes; file truncated?)");
        long expected = count * dtype.Size();
        if (end - begin != expected)
            throw new SafeTensorsFormatException($"{where}: {dtype.ToHeaderString()} × [{string.Join(", ", shape)}] needs {expected} bytes but data_offsets [{begin}, {end}] hold {end - begin}");
        return new SafeTensorEntry(name, dtype, shape, begin, end);
    }

    static void CheckOverlaps(List<SafeTensorEntry> entries, string file)
    {
        var sorted = entries.Where(x => x.End > x.Begin).OrderBy(x => x.Begin).ToArray();
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i].Begin < sorted[i - 1].End)
                throw new SafeTensorsFormatException(
                    $"{file}: tensor '{sorted[i].Name}': data_offsets [{sorted[i].Begin}, {sorted[i].End}] overlap tensor '{sorted[i - 1].Name}' [{sorted[i - 1].Begin}, {sorted[i - 1].End}]");
    }

    /// <summary>Serialises a header; pads with spaces to a multiple of 8 bytes as the reference writer does.</summary>
    public static byte[] Build(IReadOnlyList<SafeTensorEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            foreach (var e in entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.DType.ToHeaderString());
                w.WriteStartArray("shape");
                foreach (int d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int len = (int)ms.Length;
        int padded = (len + 7) / 8 * 8;
        var bytes = new byte[padded];
        ms.GetBuffer().AsSpan(0, len).CopyTo(bytes);
        bytes.AsSpan(len).Fill((byte)' ');
        return bytes;
    }
}
