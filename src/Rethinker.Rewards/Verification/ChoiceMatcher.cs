// Multiple-choice reading (DESIGN.md §4): the option letter in its many spellings — "(B)", "B.", "B)", "B:", "**B**",
// "\boxed{(B)}", "\textbf{(C)}", "option B", "choice B" — or the option text matched to its letter ("60°" → C, "No" → B).
// Hack-resistant: "C or D", "A, B, C, or D", two different letters, or several option texts give Ambiguous.
using System.Text.RegularExpressions;

namespace Rethinker.Rewards.Verification;

public readonly record struct ChoiceReading(int Index, bool Ambiguous)
{
    public static readonly ChoiceReading None = new(-1, false);
    public static readonly ChoiceReading Hedge = new(-1, true);
    public bool Found => Index >= 0;
}

public static partial class ChoiceMatcher
{
    // explicit letter mentions anywhere in a sentence: (B), option B, choice B, answer B
    [GeneratedRegex(@"\(([A-Z])\)|\b(?:option|choice|answer)\s+\(?([A-Z])\b\)?", RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExplicitLetterRegex();

    static readonly string[] Leads = ["therefore,", "therefore", "thus,", "thus", "hence,", "hence", "so,", "so", "option", "choice", "answer:", "answer", "the", "is", ":", "-"];

    /// <summary>Reads a marker candidate ("(C) 145°", "C. 60^\circ", "Yes", "\sqrt{3}") as an option index.</summary>
    public static ChoiceReading Read(string candidate, IReadOnlyList<string>? choices, bool fallback)
    {
        int n = choices?.Count ?? 26;
        string plain = Expressions.LatexToPlain.Convert(candidate) ?? candidate;
        string s = plain.Replace("*", "", StringComparison.Ordinal).Trim();
        if (s.Length == 0) return ChoiceReading.None;
        var lead = LeadingLetter(s, n);
        if (lead.Found || lead.Ambiguous) return lead;
        if (choices is { Count: > 0 })
        {
            var byText = ByOptionText(s, choices, wholeOnly: true);
            if (byText.Found || byText.Ambiguous) return byText;
        }
        var explicitLetter = Explicit(s, n);
        if (explicitLetter.Found || explicitLetter.Ambiguous) return explicitLetter;
        if (choices is { Count: > 0 }) return ByOptionText(s, choices, wholeOnly: false);
        return ChoiceReading.None;
    }

    /// <summary>"(C)…", "C.", "C)", "C:", "C" at the start after connectives; then a hedge check on what follows.</summary>
    static ChoiceReading LeadingLetter(string s, int n)
    {
        int i = 0;
        bool stripped = true;
        while (stripped)
        {
            stripped = false;
            while (i < s.Length && (s[i] == ' ' || s[i] == '$' || s[i] == '"')) i++;
            foreach (var l in Leads)
            {
                if (s.Length - i > l.Length && string.Compare(s, i, l, 0, l.Length, StringComparison.OrdinalIgnoreCase) == 0
                    && (!char.IsLetter(l[^1]) || !char.IsLetter(s[i + l.Length])))
                { i += l.Length; stripped = true; break; }
            }
        }
        if (i >= s.Length) return ChoiceReading.None;
        bool paren = s[i] is '(' or '[';
        int li = paren ? i + 1 : i;
        if (li >= s.Length || !IsLetterOption(s[li], n)) return ChoiceReading.None;
        int after = li + 1;
        if (paren) { if (after >= s.Length || s[after] is not (')' or ']')) return ChoiceReading.None; after++; }
        else if (after < s.Length && char.IsLetterOrDigit(s[after])) return ChoiceReading.None;
        int letter = s[li] - 'A';
        // bare "A sudden change …", "I think": a capital followed by a lower-case word is an article or a pronoun
        if (!paren && after < s.Length && s[after] == ' ')
        {
            int w = after; while (w < s.Length && s[w] == ' ') w++;
            string word = NextWord(s, w);
            if (word.Length > 0 && char.IsLower(word[0]) && word is not ("or" or "and")) return ChoiceReading.None;
        }
        return HedgeAfter(s, after, n, letter);
    }

    /// <summary>"C or D", "A, B, C, or D", "C and D", "C/D": another option letter joined to the first one.</summary>
    static ChoiceReading HedgeAfter(string s, int i, int n, int letter)
    {
        while (i < s.Length)
        {
            int k = i;
            while (k < s.Length && s[k] is ' ' or ',' or '/' or '&') k++;
            string word = NextWord(s, k);
            if (word is "or" or "and" or "或" or "和") { k += word.Length; while (k < s.Length && s[k] == ' ') k++; }
            else if (k == i) return new ChoiceReading(letter, false);
            bool paren = k < s.Length && s[k] == '(';
            int li = paren ? k + 1 : k;
            if (li < s.Length && IsLetterOption(s[li], n) && (li + 1 >= s.Length || !char.IsLetterOrDigit(s[li + 1])))
            {
                if (s[li] - 'A' != letter) return ChoiceReading.Hedge;
                i = li + 1 + (paren ? 1 : 0);
                continue;
            }
            return new ChoiceReading(letter, false);
        }
        return new ChoiceReading(letter, false);
    }

    static string NextWord(string s, int i)
    {
        if (i < s.Length && s[i] is '或' or '和') return s[i].ToString();
        int j = i; while (j < s.Length && char.IsLetter(s[j])) j++;
        return s[i..j];
    }

    static bool IsLetterOption(char c, int n) => c >= 'A' && c < 'A' + Math.Min(n, 26);

    /// <summary>All explicit letter mentions ("(B)", "option B"): one distinct letter, or ambiguous.</summary>
    public static ChoiceReading Explicit(string s, int n)
    {
        int found = -1;
        foreach (Match m in ExplicitLetterRegex().Matches(s))
        {
            char c = char.ToUpperInvariant(m.Groups[1].Success ? m.Groups[1].Value[0] : m.Groups[2].Value[0]);
            if (!IsLetterOption(c, n)) continue;
            if ((m.Groups[1].Success ? m.Groups[1].Value[0] : m.Groups[2].Value[0]) != c) continue; // "(a)", "option b": not option letters
            int idx = c - 'A';
            if (found >= 0 && found != idx) return ChoiceReading.Hedge;
            found = idx;
        }
        return found >= 0 ? new ChoiceReading(found, false) : ChoiceReading.None;
    }

    /// <summary>Option text: the whole answer equal to one option (or numerically equal), else options mentioned in it.</summary>
    public static ChoiceReading ByOptionText(string s, IReadOnlyList<string> choices, bool wholeOnly)
    {
        string ns = TextForms.Normalize(s, 8000);
        if (ns.Length == 0) return ChoiceReading.None;
        var norm = choices.Select(c => TextForms.Normalize(c)).ToArray();
        for (int k = 0; k < norm.Length; k++) if (norm[k].Length > 0 && norm[k] == ns) return new ChoiceReading(k, false);
        if (wholeOnly)
        {
            // a number or expression equal to exactly one option's value ("6 cm" → "6cm", "√3" → "√{3}")
            var p = NumericForms.Parse(Expressions.LatexToPlain.Convert(s) ?? s, allowSymbols: false);
            if (p is null) return ChoiceReading.None;
            int hit = -1;
            for (int k = 0; k < choices.Count; k++)
            {
                var c = NumericForms.Parse(Expressions.LatexToPlain.Convert(choices[k]) ?? choices[k], allowSymbols: false);
                if (c is not null && NumericForms.Equal(p, c, 1e-4)) { if (hit >= 0) return ChoiceReading.None; hit = k; }
            }
            return hit >= 0 ? new ChoiceReading(hit, false) : ChoiceReading.None;
        }
        // mentions: keep options whose text occurs as whole words and is not part of a longer matching option
        var hits = new List<(int k, int at, int len)>();
        for (int k = 0; k < norm.Length; k++)
        {
            if (norm[k].Length < 2 && !norm[k].Any(char.IsDigit)) continue;
            int at = TextForms.WordIndex(ns, norm[k]);
            if (at >= 0) hits.Add((k, at, norm[k].Length));
        }
        hits.RemoveAll(h => hits.Any(o => o.k != h.k && o.len > h.len && o.at <= h.at && o.at + o.len >= h.at + h.len));
        var distinct = hits.Select(h => h.k).Distinct().ToList();
        return distinct.Count switch { 0 => ChoiceReading.None, 1 => new ChoiceReading(distinct[0], false), _ => ChoiceReading.Hedge };
    }
}
