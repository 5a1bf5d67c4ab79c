// Prepares a model response for answer extraction (DESIGN.md §4): folds full-width forms (Ｃ, ：, （）) to ASCII,
// turns GLM box tokens into \boxed{}, keeps only the text after the last </think> (none after it: no answer), flags an unclosed <think> as
// truncated, and caps the analysed text to its last MaxAnalysed characters so a 1 MB response costs the same as 32 KB.
using System.Text;

namespace Rethinker.Rewards.Verification;

public readonly record struct PreparedResponse(string Text, bool Truncated, bool WasCapped);

public static class ResponseText
{
    public const int MaxAnalysed = 32 * 1024;

    public static PreparedResponse Prepare(string response)
    {
        if (string.IsNullOrWhiteSpace(response)) return new PreparedResponse("", false, false);
        // ordinal (vectorised) search: chat templates emit the tags in lower case
        int close = response.LastIndexOf("</think>", StringComparison.Ordinal);
        int open = response.LastIndexOf("<think>", StringComparison.Ordinal);
        // a <think> that is never closed: the model was cut off while reasoning, so it gave no answer
        if (open >= 0 && close < open) return new PreparedResponse("", true, false);
        string text = response;
        if (close >= 0)
        {
            // reasoning inside <think> is not the answer (R1 format): only what follows the block counts
            text = response[(close + "</think>".Length)..];
            if (string.IsNullOrWhiteSpace(text)) return new PreparedResponse("", false, false);
        }
        bool capped = text.Length > MaxAnalysed;
        if (capped) text = text[^MaxAnalysed..];
        return new PreparedResponse(Fold(text), false, capped);
    }

    /// <summary>Full-width ASCII variants (U+FF01..FF5E) to ASCII, ideographic space to space, GLM box tokens to \boxed.</summary>
    public static string Fold(string s)
    {
        bool needs = false;
        foreach (char c in s) if (c is >= '\uFF01' and <= '\uFF5E' or '\u3000' or '\u00A0' or '\u2009' or '\u202F') { needs = true; break; }
        if (needs)
        {
            var sb = new StringBuilder(s.Length);
            foreach (char c in s)
            {
                if (c is >= '\uFF01' and <= '\uFF5E') sb.Append((char)(c - 0xFEE0));
                else if (c is '\u3000' or '\u00A0' or '\u2009' or '\u202F') sb.Append(' ');
                else sb.Append(c);
            }
            s = sb.ToString();
        }
        if (s.Contains("<|begin_of_box|>", StringComparison.Ordinal))
            s = s.Replace("<|begin_of_box|>", "\\boxed{", StringComparison.Ordinal).Replace("<|end_of_box|>", "}", StringComparison.Ordinal);
        return s;
    }
}
