// Added tokens (HF tokenizer.json "added_tokens"), matched in the text before normalisation and BPE, as
// HF's AddedVocabulary::find_matches does: leftmost-longest matches; single_word drops a match touching a
// word character; lstrip/rstrip widen it over neighbouring whitespace; non-normalized tokens are matched in
// the raw text, normalized ones in the normalised remainder.
using System.Buffers;
using System.Globalization;

namespace Rethinker.Models.Tokenization;

public sealed record AddedToken(int Id, string Content, bool Special = true, bool LStrip = false, bool RStrip = false,
    bool SingleWord = false, bool Normalized = false);

/// <summary>Finds added tokens in a text. Candidates are located by their first char (vectorised IndexOfAny).</summary>
public sealed class AddedTokenMatcher
{
    readonly Dictionary<char, AddedToken[]> byFirstChar = new();
    readonly SearchValues<char> firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens, Func<string, string>? contentTransform = null)
    {
        var groups = tokens.Where(t => t.Content.Length > 0)
            .Select(t => t with { Content = contentTransform?.Invoke(t.Content) ?? t.Content })
            .GroupBy(t => t.Content[0]);
        foreach (var g in groups) byFirstChar[g.Key] = g.OrderByDescending(t => t.Content.Length).ToArray();
        firstChars = SearchValues.Create(byFirstChar.Keys.ToArray());
        IsEmpty = byFirstChar.Count == 0;
    }

    public bool IsEmpty { get; }

    /// <summary>Splits <paramref name="s"/> into segments: (start, length, token) where token is null for plain text.</summary>
    public void Split(ReadOnlySpan<char> s, List<(int Start, int Length, AddedToken? Token)> segments)
    {
        int done = 0, pos = 0;
        while (!IsEmpty && pos < s.Length)
        {
            int k = s[pos..].IndexOfAny(firstChars);
            if (k < 0) break;
            pos += k;
            var token = LongestAt(s, pos);
            if (token is null) { pos++; continue; }
            int start = pos, stop = pos + token.Content.Length;
            pos = stop; // as HF's match iterator, resume after this match even when it is discarded below
            if (token.SingleWord && ((start > 0 && IsWordChar(s, start - 1, before: true)) || (stop < s.Length && IsWordChar(s, stop, before: false))))
                continue;
            if (token.LStrip) start = Math.Max(done, SpaceStartBefore(s, start));
            if (token.RStrip) stop = SpaceEndAfter(s, stop);
            if (start > done) segments.Add((done, start - done, null));
            segments.Add((start, stop - start, token));
            done = stop;
            pos = Math.Max(pos, stop);
        }
        if (done < s.Length) segments.Add((done, s.Length - done, null));
    }

    AddedToken? LongestAt(ReadOnlySpan<char> s, int pos)
    {
        foreach (var t in byFirstChar[s[pos]])
            if (s[pos..].StartsWith(t.Content, StringComparison.Ordinal)) return t;
        return null;
    }

    static int SpaceStartBefore(ReadOnlySpan<char> s, int i)
    {
        while (i > 0 && CodePointClass.IsSpace(CodePointClass.At(s, i - 1, out _))) i--;
        return i;
    }

    static int SpaceEndAfter(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && CodePointClass.IsSpace(CodePointClass.At(s, i, out _))) i++;
        return i;
    }

    // Rust regex \w: alphabetic, marks, decimal digits, connector punctuation.
    static bool IsWordChar(ReadOnlySpan<char> s, int i, bool before)
    {
        int cp = s[i];
        if (before && char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1])) cp = char.ConvertToUtf32(s[i - 1], s[i]);
        else if (!before && char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) cp = char.ConvertToUtf32(s[i], s[i + 1]);
        return CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
            _ => false,
        };
    }
}
