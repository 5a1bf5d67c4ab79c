// A Hugging Face byte-level BPE tokenizer (tokenizer.json): added tokens → NFC → split pattern → ByteLevel →
// BPE, and the ByteLevel decoder. Follows HF tokenizers' Tokenizer::encode / decode for this family
// (Qwen2, Llama 3, GPT-2 style). Leaves out offsets, truncation, padding and pair encoding.
using System.Text;

namespace Rethinker.Models.Tokenization;

/// <summary>The pipeline options read from tokenizer.json, besides the model and added tokens.</summary>
public sealed record TokenizerPipeline(bool Nfc, SplitPatternKind? Split, bool AddPrefixSpace, IReadOnlyList<int> PrefixIds, IReadOnlyList<int> SuffixIds)
{
    public static TokenizerPipeline Qwen2 { get; } = new(true, SplitPatternKind.Qwen2, false, [], []);
}

public sealed partial class BpeTokenizer
{
    readonly AddedTokenMatcher rawMatcher, normalizedMatcher;
    readonly Dictionary<string, AddedToken> addedByContent;
    readonly Dictionary<int, AddedToken> addedById;

    [ThreadStatic] static List<(int, int, AddedToken?)>? segmentsA, segmentsB;
    [ThreadStatic] static List<(int Start, int Length)>? piecesBuffer;

    public BpeModel Model { get; }
    public IReadOnlyList<AddedToken> AddedTokens { get; }
    public TokenizerPipeline Pipeline { get; }
    /// <summary>tokenizer_config.json contents (special token names, chat template), empty when there was none.</summary>
    public TokenizerConfig Config { get; init; } = TokenizerConfig.Empty;

    public BpeTokenizer(BpeModel model, IReadOnlyList<AddedToken> addedTokens, TokenizerPipeline pipeline)
    {
        Model = model;
        AddedTokens = addedTokens;
        Pipeline = pipeline;
        addedByContent = addedTokens.GroupBy(t => t.Content).ToDictionary(g => g.Key, g => g.Last());
        addedById = addedTokens.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Last());
        rawMatcher = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized));
        normalizedMatcher = new AddedTokenMatcher(addedTokens.Where(t => t.Normalized), c => pipeline.Nfc ? NfcNormalizer.Normalize(c) : c);
    }

    /// <summary>Vocabulary size including added tokens beyond the model's ids (the embedding rows needed).</summary>
    public int VocabSize => Math.Max(Model.VocabSize, AddedTokens.Count == 0 ? 0 : AddedTokens.Max(t => t.Id) + 1);

    public int? TokenToId(string token) =>
        addedByContent.TryGetValue(token, out var a) ? a.Id : Model.Vocab.TryGetValue(token, out int id) ? id : null;

    public string? IdToToken(int id) => addedById.TryGetValue(id, out var a) ? a.Content : Model.IdToToken(id);

    public bool IsSpecial(int id) => addedById.TryGetValue(id, out var a) && a.Special;

    /// <summary>True for ids of added tokens (special or not); their text is copied as is by decode.</summary>
    public bool IsAdded(int id) => addedById.ContainsKey(id);

    /// <summary>The id of a token that must exist, e.g. "&lt;|im_end|&gt;"; throws naming it otherwise.</summary>
    public int RequireId(string token) => TokenToId(token) ?? throw new InvalidDataException($"tokenizer has no token '{token}'");

    /// <summary>Encodes text as HF's `encode(text, add_special_tokens)`.</summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids, addSpecialTokens);
        return ids.ToArray();
    }

    public void Encode(ReadOnlySpan<char> text, List<int> ids, bool addSpecialTokens = true)
    {
        if (addSpecialTokens) ids.AddRange(Pipeline.PrefixIds);
        var segs = segmentsA ??= new();
        int mark = segs.Count;
        rawMatcher.Split(text, segs);
        for (int k = mark; k < segs.Count; k++)
        {
            var (start, length, token) = segs[k];
            if (token is not null) ids.Add(token.Id);
            else EncodeNormalizedSegment(text.Slice(start, length), ids);
        }
        segs.RemoveRange(mark, segs.Count - mark);
        if (addSpecialTokens) ids.AddRange(Pipeline.SuffixIds);
    }

    void EncodeNormalizedSegment(ReadOnlySpan<char> raw, List<int> ids)
    {
        ReadOnlySpan<char> text = Pipeline.Nfc && !NfcNormalizer.IsQuickNfc(raw) ? NfcNormalizer.Normalize(raw.ToString()) : raw;
        if (normalizedMatcher.IsEmpty) { EncodePlain(text, ids); return; }
        var segs = segmentsB ??= new();
        int mark = segs.Count;
        normalizedMatcher.Split(text, segs);
        for (int k = mark; k < segs.Count; k++)
        {
            var (start, length, token) = segs[k];
            if (token is not null) ids.Add(token.Id);
            else EncodePlain(text.Slice(start, length), ids);
        }
        segs.RemoveRange(mark, segs.Count - mark);
    }

    // Pre-tokenise (split pattern) and BPE each piece.
    void EncodePlain(ReadOnlySpan<char> text, List<int> ids)
    {
        if (text.IsEmpty) return;
        if (Pipeline.Split is not SplitPatternKind kind) { EncodePiece(text, ids); return; }
        var pieces = piecesBuffer ??= new();
        int mark = pieces.Count;
        SplitPattern.Split(kind, text, pieces);
        for (int k = mark; k < pieces.Count; k++) EncodePiece(text.Slice(pieces[k].Start, pieces[k].Length), ids);
        pieces.RemoveRange(mark, pieces.Count - mark);
    }

    void EncodePiece(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (Pipeline.AddPrefixSpace && piece[0] != ' ') Model.EncodePiece(" " + piece.ToString(), ids);
        else Model.EncodePiece(piece, ids);
    }

    /// <summary>Decodes as HF's `decode(ids, skip_special_tokens)` with the ByteLevel decoder: runs of model tokens are
    /// turned back into bytes and decoded as UTF-8 (invalid sequences become U+FFFD); added tokens are copied as text.</summary>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (addedById.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special) continue;
                Flush(bytes, sb);
                sb.Append(added.Content);
            }
            else if (Model.IdToToken(id) is string token) ByteLevel.AppendTokenBytes(token, bytes);
            // ids outside the vocabulary are skipped, as HF does
        }
        Flush(bytes, sb);
        return sb.ToString();
    }

    static void Flush(List<byte> bytes, StringBuilder sb)
    {
        if (bytes.Count == 0) return;
        sb.Append(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
        bytes.Clear();
    }
}
