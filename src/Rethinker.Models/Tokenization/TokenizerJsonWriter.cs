// Writes a BpeTokenizer as HF tokenizer.json (+ tokenizer_config.json), in the layout HF tokenizers 0.20+
// saves: vocab ordered by id, merges as ["a","b"] pairs, the split pattern as Split + ByteLevel(use_regex
// false). Files written here load in HF tokenizers (checked by tools/tokenizer-reference/check_trained.js).
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rethinker.Models.Tokenization;

public sealed partial class BpeTokenizer
{
    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="dir"/> (created if needed).</summary>
    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        using (var fs = File.Create(Path.Combine(dir, "tokenizer.json")))
            WriteJson(fs);
        Config.Save(Path.Combine(dir, "tokenizer_config.json"));
    }

    public void WriteJson(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (var t in AddedTokens.OrderBy(t => t.Id))
        {
            w.WriteStartObject();
            w.WriteNumber("id", t.Id);
            w.WriteString("content", t.Content);
            w.WriteBoolean("single_word", t.SingleWord);
            w.WriteBoolean("lstrip", t.LStrip);
            w.WriteBoolean("rstrip", t.RStrip);
            w.WriteBoolean("normalized", t.Normalized);
            w.WriteBoolean("special", t.Special);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (Pipeline.Nfc) { w.WriteStartObject("normalizer"); w.WriteString("type", "NFC"); w.WriteEndObject(); }
        else w.WriteNull("normalizer");
        WritePreTokenizer(w);
        WriteByteLevel(w, "post_processor");
        WriteByteLevel(w, "decoder");
        WriteModel(w);
        w.WriteEndObject();
    }

    void WritePreTokenizer(Utf8JsonWriter w)
    {
        w.WriteStartObject("pre_tokenizer");
        w.WriteString("type", "Sequence");
        w.WriteStartArray("pretokenizers");
        if (Pipeline.Split is SplitPatternKind kind)
        {
            w.WriteStartObject();
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", SplitPattern.RegexOf(kind));
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
        }
        w.WriteStartObject();
        WriteByteLevelFields(w);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    void WriteByteLevel(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        WriteByteLevelFields(w);
        w.WriteEndObject();
    }

    void WriteByteLevelFields(Utf8JsonWriter w)
    {
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", Pipeline.AddPrefixSpace);
        w.WriteBoolean("trim_offsets", false);
        w.WriteBoolean("use_regex", false);
    }

    void WriteModel(Utf8JsonWriter w)
    {
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteString("continuing_subword_prefix", "");
        w.WriteString("end_of_word_suffix", "");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", Model.IgnoreMerges);
        w.WriteStartObject("vocab");
        foreach (var (tok, id) in Model.Vocab.OrderBy(kv => kv.Value)) w.WriteNumber(tok, id);
        w.WriteEndObject();
        w.WriteStartArray("merges");
        foreach (var (l, r) in Model.Merges)
        {
            w.WriteStartArray();
            w.WriteStringValue(l);
            w.WriteStringValue(r);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
