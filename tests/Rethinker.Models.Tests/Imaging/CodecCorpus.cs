// The committed PNG/JPEG conformance corpus (TestData/codecs, see its README): manifest entries with
// PIL 9.4's expected outcome and reference decodes.
using System.Text.Json;

namespace Rethinker.Models.Tests.Imaging;

internal sealed record CorpusEntry(string Name, string Format, string Category, bool Optional, bool Ok,
    string? Mode, int[]? Size, string? ErrorType, IReadOnlyDictionary<string, string> References)
{
    public override string ToString() => Name;
}

internal static class CodecCorpus
{
    public static string Root(string corpus = "codecs") => Path.Combine(AppContext.BaseDirectory, "TestData", corpus);

    static readonly Dictionary<string, IReadOnlyList<CorpusEntry>> Cache = [];

    public static IReadOnlyList<CorpusEntry> Entries(string corpus = "codecs")
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(corpus, out var cached)) return cached;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root(corpus), "manifest.json")));
            var list = new List<CorpusEntry>();
            foreach (var f in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                var e = f.GetProperty("expected");
                var refs = new Dictionary<string, string>();
                if (f.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.Object)
                    foreach (var p in r.EnumerateObject()) refs[p.Name] = p.Value.GetString()!;
                list.Add(new CorpusEntry(
                    f.GetProperty("name").GetString()!, f.GetProperty("format").GetString()!, f.GetProperty("category").GetString()!,
                    f.TryGetProperty("optional", out var o) && o.ValueKind == JsonValueKind.True,
                    e.GetProperty("ok").GetBoolean(),
                    e.TryGetProperty("mode", out var m) ? m.GetString() : null,
                    e.TryGetProperty("size", out var s) ? s.EnumerateArray().Select(x => x.GetInt32()).ToArray() : null,
                    e.TryGetProperty("error_type", out var t) ? t.GetString() : null,
                    refs));
            }
            Cache[corpus] = list;
            return list;
        }
    }

    public static TheoryData<string, string> Names(string format, string corpus = "codecs")
    {
        var data = new TheoryData<string, string>();
        foreach (var e in Entries(corpus).Where(e => e.Format == format)) data.Add(corpus, e.Name);
        return data;
    }

    public static CorpusEntry Get(string corpus, string name) => Entries(corpus).Single(e => e.Name == name);

    public static byte[] Bytes(string corpus, CorpusEntry e) => File.ReadAllBytes(Path.Combine(Root(corpus), e.Name));

    public static (int[] Shape, byte[] Data) Reference(string corpus, CorpusEntry e, string kind) => Npy.ReadUInt8(Path.Combine(Root(corpus), e.References[kind]));
}
