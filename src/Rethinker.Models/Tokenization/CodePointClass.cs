// The character classes the byte-level BPE split patterns use, per code point (not per UTF-16 unit):
// \p{L} (Lu Ll Lt Lm Lo), \p{N} (Nd Nl No), \s as Oniguruma defines it in HF tokenizers (9-D, U+0085, Zs, Zl, Zp),
// and [\r\n]. .NET's Regex sees surrogate halves, so 𝟏 (U+1D7CF) or 𠮷 would not be \p{N} / \p{L} there.
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Rethinker.Models.Tokenization;

public enum CharClass : byte { Other = 0, Letter = 1, Number = 2, Space = 3, Newline = 4 }

public static class CodePointClass
{
    // One class per BMP code unit; astral code points are looked up on demand (rare in text).
    static readonly CharClass[] Bmp = BuildBmp();

    static CharClass[] BuildBmp()
    {
        var t = new CharClass[0x10000];
        for (int c = 0; c < 0x10000; c++)
            t[c] = c is >= 0xD800 and < 0xE000 ? CharClass.Other : Classify(c);
        return t;
    }

    /// <summary>The class of a code point (a lone surrogate is Other).</summary>
    public static CharClass Classify(int cp)
    {
        if (cp is '\r' or '\n') return CharClass.Newline;
        if (cp is >= 0x09 and <= 0x0D or 0x85) return CharClass.Space;
        return CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => CharClass.Space,
            _ => CharClass.Other,
        };
    }

    /// <summary>Class of the code point starting at <paramref name="i"/>; <paramref name="len"/> is 1 or 2 UTF-16 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CharClass At(ReadOnlySpan<char> s, int i, out int len)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            len = 2;
            return Classify(char.ConvertToUtf32(c, s[i + 1]));
        }
        len = 1;
        return Bmp[c];
    }

    /// <summary>\s in the split patterns: spaces and newlines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSpace(CharClass c) => c >= CharClass.Space;
}
