// Hand-written matchers for the split regexes byte-level BPE tokenizers ship (HF `Split` pre-tokenizer,
// behaviour Isolated, and ByteLevel use_regex): Qwen2 / cl100k (Llama 3) and GPT-2. Each alternative is
// decided by one forward scan over code-point classes, so long digit/space/punctuation runs cost linear
// time; the regex semantics (leftmost alternative, greedy with backtracking) are spelled out per branch.
namespace Rethinker.Models.Tokenization;

public enum SplitPatternKind
{
    /// <summary>Qwen2: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</summary>
    Qwen2,
    /// <summary>cl100k / Llama 3: as Qwen2 but \p{N}{1,3}.</summary>
    Cl100k,
    /// <summary>GPT-2: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</summary>
    Gpt2,
}

public static class SplitPattern
{
    public const string Qwen2Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    public const string Cl100kRegex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    public const string Gpt2Regex = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Maps a tokenizer.json regex to a supported matcher, or null when we have none for it.</summary>
    public static SplitPatternKind? Recognise(string regex) => regex switch
    {
        Qwen2Regex => SplitPatternKind.Qwen2,
        Cl100kRegex => SplitPatternKind.Cl100k,
        Gpt2Regex => SplitPatternKind.Gpt2,
        _ => null,
    };

    public static string RegexOf(SplitPatternKind kind) => kind switch
    {
        SplitPatternKind.Qwen2 => Qwen2Regex,
        SplitPatternKind.Cl100k => Cl100kRegex,
        _ => Gpt2Regex,
    };

    /// <summary>Appends the (start, length) of every piece of <paramref name="s"/> to <paramref name="pieces"/>.</summary>
    public static void Split(SplitPatternKind kind, ReadOnlySpan<char> s, List<(int Start, int Length)> pieces)
    {
        int i = 0;
        while (i < s.Length)
        {
            int end = kind == SplitPatternKind.Gpt2 ? MatchGpt2(s, i) : MatchQwen2(s, i, kind == SplitPatternKind.Cl100k ? 3 : 1);
            pieces.Add((i, end - i));
            i = end;
        }
    }

    /// <summary>End of the match that starts at <paramref name="i"/> (the patterns match every character, so there are no gaps).</summary>
    static int MatchQwen2(ReadOnlySpan<char> s, int i, int maxDigits)
    {
        if (Contraction(s, i, ignoreCase: true) is int c and > 0) return i + c;
        var cls = CodePointClass.At(s, i, out int len);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == CharClass.Letter) return LetterRunEnd(s, i + len);
        if (cls is CharClass.Other or CharClass.Space && i + len < s.Length && CodePointClass.At(s, i + len, out _) == CharClass.Letter)
            return LetterRunEnd(s, i + len);
        // \p{N} or \p{N}{1,3}
        if (cls == CharClass.Number)
        {
            int end = i + len;
            for (int d = 1; d < maxDigits && end < s.Length && CodePointClass.At(s, end, out int l) == CharClass.Number; d++) end += l;
            return end;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        if (OtherRunEnd(s, i, cls) is int o and > 0)
        {
            while (o < s.Length && s[o] is '\r' or '\n') o++;
            return o;
        }
        return WhitespaceEnd(s, i, newlineAlternative: true);
    }

    static int MatchGpt2(ReadOnlySpan<char> s, int i)
    {
        if (Contraction(s, i, ignoreCase: false) is int c and > 0) return i + c;
        var cls = CodePointClass.At(s, i, out int len);
        int start = i;
        // ' ?' prefix for the letter, number and other alternatives
        if (s[i] == ' ' && i + 1 < s.Length)
        {
            var next = CodePointClass.At(s, i + 1, out len);
            if (!CodePointClass.IsSpace(next)) { start = i + 1; cls = next; }
        }
        if (cls == CharClass.Letter) return LetterRunEnd(s, start + len);
        if (cls == CharClass.Number) return RunEnd(s, start + len, CharClass.Number);
        if (cls == CharClass.Other) return RunEnd(s, start + len, CharClass.Other);
        return WhitespaceEnd(s, i, newlineAlternative: false);
    }

    // '(?i:'s|'t|'re|'ve|'m|'ll|'d)': length of the contraction at i, or 0. Oniguruma folds 'ſ' (U+017F) to 's'.
    static int Contraction(ReadOnlySpan<char> s, int i, bool ignoreCase)
    {
        if (s[i] != '\'' || i + 1 >= s.Length) return 0;
        char a = Fold(s[i + 1], ignoreCase);
        if (a is 's' or 't' or 'm' or 'd') return 2;
        if (i + 2 >= s.Length) return 0;
        char b = Fold(s[i + 2], ignoreCase);
        return (a, b) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 3 : 0;
    }

    static char Fold(char c, bool ignoreCase) => !ignoreCase ? c : c is >= 'A' and <= 'Z' ? (char)(c + 32) : c == '\u017F' ? 's' : c;

    static int LetterRunEnd(ReadOnlySpan<char> s, int j) => RunEnd(s, j, CharClass.Letter);

    static int RunEnd(ReadOnlySpan<char> s, int j, CharClass cls)
    {
        while (j < s.Length && CodePointClass.At(s, j, out int l) == cls) j += l;
        return j;
    }

    // ' ?[^\s\p{L}\p{N}]+': end of the run of "other" code points, with an optional leading U+0020; 0 when it fails.
    static int OtherRunEnd(ReadOnlySpan<char> s, int i, CharClass cls)
    {
        int j = i;
        if (s[i] == ' ' && i + 1 < s.Length) { j = i + 1; cls = CodePointClass.At(s, j, out _); }
        if (cls != CharClass.Other) return 0;
        return RunEnd(s, j, CharClass.Other);
    }

    // '\s*[\r\n]+' (Qwen2 only), then '\s+(?!\S)', then '\s+' over the whitespace run at i (all \s are BMP).
    static int WhitespaceEnd(ReadOnlySpan<char> s, int i, bool newlineAlternative)
    {
        int j = i, lastNewline = -1;
        while (j < s.Length && CodePointClass.IsSpace(CodePointClass.At(s, j, out _)))
        {
            if (s[j] is '\r' or '\n') lastNewline = j;
            j++;
        }
        if (newlineAlternative && lastNewline >= 0) return lastNewline + 1;
        if (j == s.Length || j - i == 1) return j;
        return j - 1; // backtrack one so that the next piece may start with that space
    }
}
