// Reads and writes HF tokenizer.json for byte-level BPE (format "1.0" of huggingface/tokenizers):
// normalizer NFC / Sequence, pre_tokenizer Split(regex, Isolated) / ByteLevel / Sequence, model BPE with
// merges as "a b" or ["a","b"], decoder ByteLevel, post_processor ByteLevel / TemplateProcessing (single).
// Anything else is refused with the JSON path, rather than silently tokenising differently.
using System.IO.Compression;
using System.Text.Json;

namespace Rethinker.Models.Tokenization;

public sealed partial class BpeTokenizer
{
    /// <summary>Loads a directory (tokenizer.json + optional tokenizer_config.json), a tokenizer.json, or a .json.gz.</summary>
    public static BpeTokenizer Load(string path)
    {
        string file = path, dir;
        if (Directory.Exists(path))
        {
            dir = path;
            file = new[] { "tokenizer.json", "tokenizer.json.gz" }.Select(f => Path.Combine(path, f)).FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"{path}: no tokenizer.json in this directory");
        }
        else if (File.Exists(path)) dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        else throw new FileNotFoundException($"{path}: no such tokenizer file or directory");

        using var stream = OpenMaybeGzip(file);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 }); }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not valid JSON ({e.Message})", e); }
        using (doc)
        {
            var tok = FromJson(doc.RootElement, file);
            string cfg = Path.Combine(dir, "tokenizer_config.json");
            return File.Exists(cfg) ? new BpeTokenizer(tok.Model, tok.AddedTokens, tok.Pipeline) { Config = TokenizerConfig.Load(cfg) } : tok;
        }
    }

    static Stream OpenMaybeGzip(string file)
    {
        Stream s = File.OpenRead(file);
        return file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(s, CompressionMode.Decompress) : s;
    }

    public static BpeTokenizer FromJson(JsonElement root, string source = "tokenizer.json")
    {
        var model = Req(root, "model", source, "model");
        string? type = Str(model, "type");
        if (type is not null and not "BPE") throw Unsupported(source, "model.type", type);
        if (model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True) throw Unsupported(source, "model.byte_fallback", "true");
        if (model.TryGetProperty("dropout", out var dr) && dr.ValueKind == JsonValueKind.Number) throw Unsupported(source, "model.dropout", dr.ToString());
        foreach (var key in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (Str(model, key) is { Length: > 0 } v) throw Unsupported(source, "model." + key, v);

        var vocab = new Dictionary<string, int>();
        foreach (var p in Req(model, "vocab", source, "model.vocab").EnumerateObject()) vocab[p.Name] = p.Value.GetInt32();
        var merges = new List<(string, string)>();
        if (model.TryGetProperty("merges", out var ms))
        {
            int i = 0;
            foreach (var m in ms.EnumerateArray()) merges.Add(ParseMerge(m, source, i++));
        }
        bool ignoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;
        var bpe = new BpeModel(vocab, merges, ignoreMerges, Str(model, "unk_token"));

        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var at) && at.ValueKind == JsonValueKind.Array)
            foreach (var t in at.EnumerateArray())
                added.Add(new AddedToken(t.GetProperty("id").GetInt32(), t.GetProperty("content").GetString()!, Bool(t, "special", false),
                    Bool(t, "lstrip", false), Bool(t, "rstrip", false), Bool(t, "single_word", false), Bool(t, "normalized", !Bool(t, "special", false))));

        bool nfc = ReadNormalizer(root.TryGetProperty("normalizer", out var n) ? n : default, source, "normalizer");
        var (split, prefixSpace) = ReadPreTokenizer(root.TryGetProperty("pre_tokenizer", out var pt) ? pt : default, source);
        if (root.TryGetProperty("decoder", out var dec) && dec.ValueKind == JsonValueKind.Object && Str(dec, "type") is string dt && dt != "ByteLevel")
            throw Unsupported(source, "decoder.type", dt);
        var (pre, post) = ReadPostProcessor(root.TryGetProperty("post_processor", out var pp) ? pp : default, source);
        return new BpeTokenizer(bpe, added, new TokenizerPipeline(nfc, split, prefixSpace, pre, post));
    }

    static (string, string) ParseMerge(JsonElement m, string source, int index)
    {
        if (m.ValueKind == JsonValueKind.String)
        {
            var parts = m.GetString()!.Split(' ');
            if (parts.Length != 2) throw new InvalidDataException($"{source}: model.merges[{index}] \"{m.GetString()}\" should be two tokens separated by one space");
            return (parts[0], parts[1]);
        }
        if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2)
            return (m[0].GetString()!, m[1].GetString()!);
        throw new InvalidDataException($"{source}: model.merges[{index}] should be \"a b\" or [\"a\", \"b\"], got {m}");
    }

    // Returns true when NFC is applied; only NFC (possibly inside Sequence) is supported.
    static bool ReadNormalizer(JsonElement n, string source, string path)
    {
        if (n.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return false;
        string? type = Str(n, "type");
        if (type == "NFC") return true;
        if (type == "Sequence")
        {
            bool any = false;
            int i = 0;
            foreach (var inner in n.GetProperty("normalizers").EnumerateArray()) any |= ReadNormalizer(inner, source, $"{path}.normalizers[{i++}]");
            return any;
        }
        throw Unsupported(source, path + ".type", type ?? "(missing)");
    }

    static (SplitPatternKind?, bool) ReadPreTokenizer(JsonElement p, string source)
    {
        if (p.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (null, false);
        var steps = Str(p, "type") == "Sequence" ? p.GetProperty("pretokenizers").EnumerateArray().ToList() : [p];
        SplitPatternKind? split = null;
        bool prefixSpace = false;
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            string where = steps.Count == 1 ? "pre_tokenizer" : $"pre_tokenizer.pretokenizers[{i}]";
            switch (Str(s, "type"))
            {
                case "Split":
                    if (split is not null) throw Unsupported(source, where, "a second Split");
                    string regex = s.GetProperty("pattern").TryGetProperty("Regex", out var r) ? r.GetString()! : throw Unsupported(source, where + ".pattern", "String pattern");
                    if (Str(s, "behavior") is string b && b != "Isolated") throw Unsupported(source, where + ".behavior", b);
                    if (Bool(s, "invert", false)) throw Unsupported(source, where + ".invert", "true");
                    split = SplitPattern.Recognise(regex) ?? throw Unsupported(source, where + ".pattern.Regex", regex);
                    break;
                case "ByteLevel":
                    prefixSpace = Bool(s, "add_prefix_space", true);
                    if (Bool(s, "use_regex", true))
                    {
                        if (split is not null) throw Unsupported(source, where, "ByteLevel use_regex after a Split");
                        split = SplitPatternKind.Gpt2;
                    }
                    break;
                case var t: throw Unsupported(source, where + ".type", t ?? "(missing)");
            }
        }
        return (split, prefixSpace);
    }

    // TemplateProcessing "single": special-token ids before and after sequence A.
    static (int[], int[]) ReadPostProcessor(JsonElement p, string source)
    {
        if (p.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return ([], []);
        string? type = Str(p, "type");
        if (type == "ByteLevel") return ([], []);
        if (type != "TemplateProcessing") throw Unsupported(source, "post_processor.type", type ?? "(missing)");
        var specials = p.GetProperty("special_tokens");
        List<int> pre = [], post = [];
        bool seenA = false;
        foreach (var item in p.GetProperty("single").EnumerateArray())
        {
            if (item.TryGetProperty("Sequence", out _)) { seenA = true; continue; }
            string id = item.GetProperty("SpecialToken").GetProperty("id").GetString()!;
            foreach (var x in specials.GetProperty(id).GetProperty("ids").EnumerateArray()) (seenA ? post : pre).Add(x.GetInt32());
        }
        return (pre.ToArray(), post.ToArray());
    }

    static JsonElement Req(JsonElement e, string key, string source, string path) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v
            : throw new InvalidDataException($"{source}: missing {path}");

    static string? Str(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    static bool Bool(JsonElement e, string key, bool dflt) => e.TryGetProperty(key, out var v) ? v.ValueKind == JsonValueKind.True : dflt;
    static NotSupportedException Unsupported(string source, string path, string value) =>
        new($"{source}: {path} = {value} is not supported (byte-level BPE with NFC and the Qwen2 / cl100k / GPT-2 split patterns only)");
}
