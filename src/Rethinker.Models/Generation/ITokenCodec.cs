// Text ↔ ids for the generator, so it runs with a Hugging Face BPE tokenizer or with the byte vocabulary of the
// transformers parity fixtures (ids 0..255 are UTF-8 bytes, specials above).
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Generation;

public interface ITokenCodec
{
    int[] Encode(string text);
    string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens);
}

public sealed class BpeTokenCodec(BpeTokenizer tokenizer) : ITokenCodec
{
    public BpeTokenizer Tokenizer => tokenizer;
    public int[] Encode(string text) => tokenizer.Encode(text, addSpecialTokens: false);
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens) => tokenizer.Decode(ids, skipSpecialTokens);
}

/// <summary>Ids below 256 are bytes; others are special tokens, shown as &lt;id&gt; unless skipped.</summary>
public sealed class ByteTokenCodec : ITokenCodec
{
    public int[] Encode(string text) => System.Text.Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        var sb = new System.Text.StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (id is >= 0 and < 256) { bytes.Add((byte)id); continue; }
            sb.Append(System.Text.Encoding.UTF8.GetString([.. bytes])); bytes.Clear();
            if (!skipSpecialTokens) sb.Append('<').Append(id).Append('>');
        }
        return sb.Append(System.Text.Encoding.UTF8.GetString([.. bytes])).ToString();
    }
}
