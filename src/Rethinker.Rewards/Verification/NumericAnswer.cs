// Reads one answer piece as a number or expression: "1,234.5", "12 cm", "25%", "40 percent", "$24", "x = 4", "2:3",
// "\sqrt{39} \approx 6.24", "1.6e-19", "5!". Units and labels are stripped only when the gold has no symbols of its own.
// Also holds the numeric comparison rules of DESIGN.md §4 (relative tolerance, gold precision, percent variants).
using System.Text.RegularExpressions;
using Rethinker.Rewards.Expressions;

namespace Rethinker.Rewards.Verification;

/// <summary>A parsed numeric answer: <see cref="Decimals"/> ≥ 0 when it was written as a plain decimal literal.</summary>
public sealed record NumericAnswer(Expr Expr, bool Percent, int Decimals, int SignificantDigits)
{
    public bool IsDecimalLiteral => Decimals >= 0;
}

public static partial class NumericForms
{
    [GeneratedRegex(@"-?\d+(?:\.\d+)?%?", RegexOptions.NonBacktracking)]
    private static partial Regex NumberTokenRegex();

    [GeneratedRegex(@"^-?(?:\d+\.?\d*|\.\d+)$", RegexOptions.NonBacktracking)]
    private static partial Regex DecimalLiteralRegex();

    static readonly char[] TrimChars = [' ', '.', ',', ';', ':', '。', '，', '*', '"', '\'', '\t', '\n', '\r'];

    /// <summary>Removes thousands separators: "1,234,567" → "1234567" (only well-formed 3-digit groups).</summary>
    public static string StripThousands(string s)
    {
        if (!s.Contains(',')) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        int run = 0; // digits since the last non-digit or separator
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ',' && run is >= 1 and <= 3 && IsGroup(s, i + 1) && (i + 4 >= s.Length || !char.IsAsciiDigit(s[i + 4])))
            { run = 0; continue; }
            run = char.IsAsciiDigit(c) ? run + 1 : 0;
            sb.Append(c);
        }
        return sb.ToString();
    }

    static bool IsGroup(string s, int i) => i + 2 < s.Length && char.IsAsciiDigit(s[i]) && char.IsAsciiDigit(s[i + 1]) && char.IsAsciiDigit(s[i + 2]);

    /// <summary>Parses plain text (already LaTeX-converted) as a number/expression; symbols allowed when <paramref name="allowSymbols"/>.</summary>
    public static NumericAnswer? Parse(string plain, bool allowSymbols)
    {
        string s = plain.Trim().TrimStart(':', '*', '"', '\'').TrimEnd(TrimChars).Trim();
        if (s.Length == 0 || s.Length > 400) return null;
        while (s.Contains(" ^", StringComparison.Ordinal)) s = s.Replace(" ^", "^", StringComparison.Ordinal);
        // "√39 ≈ 6.24": the exact part before ≈ is the answer; "≈ 6.24" alone is the approximation
        int approx = s.IndexOf('≈');
        if (approx >= 0) return Parse(s[..approx], allowSymbols) ?? Parse(s[(approx + 1)..], allowSymbols);
        // "x = 4", "∠ABC = 45": the value is the right-hand side of the last '='
        int eq = s.LastIndexOf('=');
        if (eq >= 0) s = s[(eq + 1)..].Trim().TrimEnd(TrimChars);
        s = StripThousands(s);
        bool percent = false;
        if (s.EndsWith('%')) { percent = true; s = s[..^1].TrimEnd(); }
        else if (s.EndsWith("percent", StringComparison.OrdinalIgnoreCase)) { percent = true; s = s[..^7].TrimEnd(); }
        s = s.TrimStart('$', '¥', '€', '£').Trim();
        if (s.StartsWith("-$", StringComparison.Ordinal)) s = "-" + s[2..];
        if (s.Length == 0) return null;
        var r = TryExpr(s, allowSymbols, percent);
        if (r is not null) return r;
        // "2:3" ratio
        int colon = s.IndexOf(':');
        if (colon > 0 && colon == s.LastIndexOf(':') && TryExpr(s[..colon], false, false) is { } a && TryExpr(s[(colon + 1)..], false, false) is { } b)
            return new NumericAnswer(new Bin('/', a.Expr, b.Expr), percent, -1, 0);
        if (allowSymbols) return null;
        // "12 cm", "36π cm^2", "72 km/h", "12 square units": drop trailing words
        string stripped = StripTrailingWords(s);
        if (stripped.Length > 0 && stripped != s && Parse(stripped, false) is { } u) return percent ? u with { Percent = true } : u;
        // "The area is 12": the single number mentioned
        var nums = NumberTokenRegex().Matches(s);
        if (nums.Count >= 1)
        {
            string first = nums[0].Value;
            for (int k = 1; k < nums.Count; k++) if (nums[k].Value != first) return null;
            return Parse(first, false) is { } n ? (percent ? n with { Percent = true } : n) : null;
        }
        return null;
    }

    static NumericAnswer? TryExpr(string s, bool allowSymbols, bool percent)
    {
        if (!ExprParser.TryParse(s, out var e)) return null;
        if (!allowSymbols && e.HasSymbols)
        {
            // symbols that cancel (6 + 0·anything) leave a number; anything else is not a number
            if (SymbolicCompare.ConstantValue(e) is not { } v) return null;
            e = new Num(v, null, s);
        }
        int decimals = -1, sig = 0;
        string lit = s.Replace(" ", "", StringComparison.Ordinal);
        if (DecimalLiteralRegex().IsMatch(lit))
        {
            int dot = lit.IndexOf('.');
            decimals = dot < 0 ? 0 : lit.Length - dot - 1;
            sig = CountSignificant(lit);
        }
        return new NumericAnswer(e, percent, decimals, sig);
    }

    static int CountSignificant(string lit)
    {
        int n = 0; bool started = false;
        foreach (char c in lit)
        {
            if (!char.IsAsciiDigit(c)) continue;
            if (c != '0') started = true;
            if (started) n++;
        }
        return n;
    }

    static string StripTrailingWords(string s)
    {
        int end = s.Length;
        // peel "cm^2", "km/h", "units", "square" … from the end while what remains still ends in a digit, ')' or a name like pi
        while (end > 0)
        {
            int k = end;
            while (k > 0 && (char.IsLetter(s[k - 1]) || s[k - 1] is '/' or '^' or '²' or '³' || (char.IsAsciiDigit(s[k - 1]) && k - 1 > 0 && s[k - 2] == '^'))) k--;
            if (k == end) break;
            string word = s[k..end];
            if (word is "pi" or "sqrt" || !word.Any(char.IsLetter)) break;
            end = k;
            while (end > 0 && s[end - 1] == ' ') end--;
            if (end > 0 && (char.IsAsciiDigit(s[end - 1]) || s[end - 1] == ')')) return s[..end];
            if (k > 0 && s[k - 1] != ' ' && !char.IsAsciiDigit(s[k - 1])) break;
        }
        return s[..end];
    }

    /// <summary>
    /// DESIGN.md §4 numeric equality: exact rationals, else relative tolerance; a decimal gold accepts a prediction that
    /// rounds to it at the gold's decimals (2.41 → 2.4; π → 3.14); an exact irrational or fractional gold accepts a decimal
    /// prediction with ≥ 3 significant digits that equals it rounded at the prediction's decimals (3.464 for 2√3, not 3.5);
    /// an integer gold wants the integer. Percent: "25%" matches 25 and 0.25; a percent gold g matches g and g/100.
    /// </summary>
    public static bool Equal(NumericAnswer pred, NumericAnswer gold, double relTol)
    {
        double g = gold.Expr.Eval(null), p = pred.Expr.Eval(null);
        if (double.IsNaN(g) || double.IsNaN(p)) return false;
        if (pred.Percent == gold.Percent) return Close(pred, p, gold, g, relTol);
        if (pred.Percent) return Close(pred, p, gold, g, relTol) || Close(pred with { Decimals = pred.Decimals < 0 ? -1 : pred.Decimals + 2 }, p / 100, gold, g, relTol);
        return Close(pred, p, gold, g, relTol) || Close(pred, p, gold, g / 100, relTol, goldScaled: true);
    }

    static bool Close(NumericAnswer pred, double p, NumericAnswer gold, double g, double relTol, bool goldScaled = false)
    {
        if (!goldScaled && pred.Expr.Exact() is { } pe && gold.Expr.Exact() is { } ge && pe == ge) return true;
        if (double.IsInfinity(g) || double.IsInfinity(p)) return g == p;
        double diff = Math.Abs(p - g);
        if (diff <= relTol * Math.Max(Math.Abs(g), Math.Abs(p)) + 1e-12) return true;
        const double eps = 1e-9;
        // gold written with d decimals (2.4, 0.33): the prediction must round to it at d decimals
        if (!goldScaled && gold.Decimals > 0)
            return diff < 0.5 * Math.Pow(10, -gold.Decimals) - eps * Math.Max(1, Math.Abs(g));
        // exact irrational / fractional gold, decimal prediction with enough significant digits
        bool goldExactNonInteger = !gold.IsDecimalLiteral && !(gold.Expr.Exact() is { IsInteger: true });
        if (goldExactNonInteger && pred.Decimals > 0 && pred.SignificantDigits >= 3)
            return diff < 0.5 * Math.Pow(10, -pred.Decimals) + eps * Math.Max(1, Math.Abs(g));
        return false;
    }
}
