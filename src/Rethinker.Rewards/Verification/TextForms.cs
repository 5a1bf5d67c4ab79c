// Text answer normalisation: lower case, LaTeX wrappers and markdown removed, punctuation and articles dropped,
// whitespace collapsed ("\text{Circle}." ≡ "circle", "The Bather" ≡ "bather").
using System.Text;

namespace Rethinker.Rewards.Verification;

public static class TextForms
{
    public static string Normalize(string s, int maxLength = 2000)
    {
        if (s.Length > maxLength) s = s[^maxLength..];
        string plain = Expressions.LatexToPlain.Convert(s) ?? s;
        var sb = new StringBuilder(plain.Length);
        bool space = true;
        foreach (char ch in plain)
        {
            char c = char.ToLowerInvariant(ch);
            if (char.IsLetterOrDigit(c) || c is '.' or '-' or '+' or '/' or '%' || c > 0x2E7F)
            {
                sb.Append(c); space = false;
            }
            else if (!space) { sb.Append(' '); space = true; }
        }
        string r = sb.ToString().Trim().Trim('.').Trim();
        foreach (var art in (string[])["the ", "a ", "an "])
            if (r.StartsWith(art, StringComparison.Ordinal)) { r = r[art.Length..]; break; }
        return r;
    }

    /// <summary>Whole-word containment of <paramref name="needle"/> in <paramref name="hay"/> (both normalised); index or -1.</summary>
    public static int WordIndex(string hay, string needle)
    {
        if (needle.Length == 0) return -1;
        int from = 0, found = -1;
        while (true)
        {
            int i = hay.IndexOf(needle, from, StringComparison.Ordinal);
            if (i < 0) return found;
            bool leftOk = i == 0 || !char.IsLetterOrDigit(hay[i - 1]);
            int e = i + needle.Length;
            bool rightOk = e == hay.Length || !char.IsLetterOrDigit(hay[e]);
            if (leftOk && rightOk) found = i; // keep the last occurrence
            from = i + 1;
        }
    }
}
