// Incremental detokenisation for generation: feed ids one at a time, get back the text they complete. Bytes of
// a UTF-8 sequence split across byte-level tokens are held until the sequence completes, so the pieces
// concatenate to exactly BpeTokenizer.Decode of all ids (same U+FFFD replacements, same added-token handling).
using System.Text;

namespace Rethinker.Models.Tokenization;

public sealed class StreamingDecoder(BpeTokenizer tokenizer, bool skipSpecialTokens = false)
{
    readonly List<byte> pending = new();

    /// <summary>Adds one token; returns the text it completes (often empty while a multi-byte char is split).</summary>
    public string Push(int id)
    {
        if (tokenizer.IsAdded(id))
        {
            if (skipSpecialTokens && tokenizer.IsSpecial(id)) return "";
            return Flush() + tokenizer.IdToToken(id);
        }
        if (tokenizer.Model.IdToToken(id) is not string token) return "";
        ByteLevel.AppendTokenBytes(token, pending);
        int keep = IncompleteTailLength();
        int ready = pending.Count - keep;
        if (ready == 0) return "";
        string text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)[..ready]);
        pending.RemoveRange(0, ready);
        return text;
    }

    /// <summary>Emits whatever is held (an unfinished sequence becomes U+FFFD), e.g. at the end of generation.</summary>
    public string Flush()
    {
        if (pending.Count == 0) return "";
        string text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending));
        pending.Clear();
        return text;
    }

    // Length of a trailing lead byte + continuation bytes that could still become a valid character.
    int IncompleteTailLength()
    {
        int n = pending.Count;
        for (int back = 1; back <= Math.Min(4, n); back++)
        {
            byte b = pending[n - back];
            if ((b & 0xC0) == 0x80) continue; // continuation byte: keep looking for its lead
            int need = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
            if (need <= back) return 0;
            // Hold only if the bytes so far are a valid prefix (otherwise decoding now gives the same U+FFFDs).
            return IsValidPrefix(n - back, back) ? back : 0;
        }
        return 0;
    }

    bool IsValidPrefix(int start, int count)
    {
        byte lead = pending[start];
        if (count >= 2)
        {
            byte second = pending[start + 1];
            // Second-byte ranges that exclude overlongs, surrogates and code points above U+10FFFF (Unicode table 3-7).
            bool ok = lead switch
            {
                0xE0 => second is >= 0xA0 and <= 0xBF,
                0xED => second is >= 0x80 and <= 0x9F,
                0xF0 => second is >= 0x90 and <= 0xBF,
                0xF4 => second is >= 0x80 and <= 0x8F,
                _ => (second & 0xC0) == 0x80,
            };
            if (!ok) return false;
        }
        for (int i = start + 2; i < start + count; i++) if ((pending[i] & 0xC0) != 0x80) return false;
        return true;
    }
}
