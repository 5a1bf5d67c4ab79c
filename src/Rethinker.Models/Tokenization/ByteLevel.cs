// GPT-2's byte-to-unicode table (HF ByteLevel pre-tokenizer/decoder): printable Latin-1 bytes map to
// themselves, the other 68 bytes to U+0100.. in order, so every byte sequence is a string of visible chars
// ('Ġ' = space, 'Ċ' = newline). Vocabulary entries of byte-level BPE are strings over this alphabet.
namespace Rethinker.Models.Tokenization;

public static class ByteLevel
{
    /// <summary>Char for each byte value.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>Byte for each char of the alphabet, -1 for chars outside it (indexed by char up to U+0143).</summary>
    static readonly short[] CharToByteTable = BuildCharToByte();

    static char[] BuildByteToChar()
    {
        var map = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + n++);
        }
        return map;
    }

    static short[] BuildCharToByte()
    {
        var t = new short[256 + 68];
        Array.Fill(t, (short)-1);
        for (int b = 0; b < 256; b++) t[ByteToChar[b]] = (short)b;
        return t;
    }

    /// <summary>The byte a char stands for, or -1 when the char is not in the byte-level alphabet.</summary>
    public static int CharToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    /// <summary>Byte-level string of UTF-8 bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (dst, src) =>
        {
            for (int i = 0; i < src.Length; i++) dst[i] = ByteToChar[src[i]];
        });
    }

    /// <summary>Appends the bytes a token stands for: its alphabet chars mapped back, or (HF's rule) the token's own UTF-8
    /// when any char lies outside the alphabet (added tokens such as "<|im_start|>" are all inside).</summary>
    public static void AppendTokenBytes(string token, List<byte> output)
    {
        foreach (char c in token)
        {
            if (CharToByte(c) < 0)
            {
                output.AddRange(System.Text.Encoding.UTF8.GetBytes(token));
                return;
            }
        }
        foreach (char c in token) output.Add((byte)CharToByte(c));
    }
}
