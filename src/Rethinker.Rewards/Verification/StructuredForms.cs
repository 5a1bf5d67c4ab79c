// Intervals (and unions, and the inequalities that describe them), sets, tuples and matrices, read from plain text
// produced by LatexToPlain: "(-inf, 2] ∪ (3, inf)", "-1 < x < 3", "x ≥ 0", "x<2 or x>3", "{1, 2}", "x=2 或 x=-3",
// "{1,3} ∪ {2,4}", "∅", "(2, 3)", "[[1,2],[3,4]]". Elements compare as numbers/expressions (NumericForms).
using Rethinker.Rewards.Expressions;

namespace Rethinker.Rewards.Verification;

public readonly record struct Interval(double Lo, bool LoClosed, double Hi, bool HiClosed);

public static class StructuredForms
{
    /// <summary>Splits on top-level separators (outside (), [], {}); the separators are single strings like "," or " or ".</summary>
    public static List<string> SplitTop(string s, params string[] seps)
    {
        var parts = new List<string>();
        int depth = 0, st = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (depth == 0)
            {
                foreach (var sep in seps)
                {
                    if (string.CompareOrdinal(s, i, sep, 0, sep.Length) == 0)
                    {
                        parts.Add(s[st..i]); st = i + sep.Length; i = st - 1; break;
                    }
                }
            }
        }
        parts.Add(s[st..]);
        return parts;
    }

    static readonly string[] UnionSeps = ["∪", " U ", " or ", " OR ", "或", " and "];

    /// <summary>An interval union, sorted; null when the text is not one. "∅" is the empty union, ℝ the whole line.</summary>
    public static List<Interval>? ParseIntervals(string plain)
    {
        string s = plain.Trim().Trim('.', '。', ' ');
        if (s.Length == 0 || s.Length > 400) return null;
        if (s is "∅" or "{}") return [];
        if (s is "ℝ" or "R" || s.Contains("all real", StringComparison.OrdinalIgnoreCase)) return [new Interval(double.NegativeInfinity, false, double.PositiveInfinity, false)];
        int eqIn = s.IndexOf('∈');
        if (eqIn >= 0) s = s[(eqIn + 1)..];
        var result = new List<Interval>();
        foreach (var raw in SplitTop(s, UnionSeps))
        {
            string part = raw.Trim().Trim(',');
            if (part.Length == 0) continue;
            var iv = ParseOneInterval(part) ?? ParseInequality(part);
            if (iv is null) return null;
            result.Add(iv.Value);
        }
        if (result.Count == 0) return null;
        result.Sort((a, b) => a.Lo.CompareTo(b.Lo));
        return result;
    }

    static Interval? ParseOneInterval(string p)
    {
        if (p.Length < 5 || p[0] is not ('(' or '[') || p[^1] is not (')' or ']')) return null;
        var inner = SplitTop(p[1..^1], ",");
        if (inner.Count != 2) return null;
        if (Value(inner[0]) is not { } lo || Value(inner[1]) is not { } hi || lo > hi) return null;
        return new Interval(lo, p[0] == '[' && !double.IsInfinity(lo), hi, p[^1] == ']' && !double.IsInfinity(hi));
    }

    /// <summary>"a < x ≤ b", "x ≥ 0", "3 > x": one variable, one or two bounds.</summary>
    static Interval? ParseInequality(string p)
    {
        var ops = new List<(string op, int at)>();
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c is '<' or '>' or '≤' or '≥')
            {
                bool eq = c is '≤' or '≥' || (i + 1 < p.Length && p[i + 1] == '=');
                string op = (c is '<' or '≤' ? "<" : ">") + (eq ? "=" : "");
                ops.Add((op, i));
                if (i + 1 < p.Length && p[i + 1] == '=') i++;
            }
        }
        if (ops.Count is 0 or > 2) return null;
        var operands = new List<string>();
        int st = 0;
        foreach (var (op, at) in ops) { operands.Add(p[st..at].Trim()); st = at + (op.EndsWith('=') && p[at] is '<' or '>' ? 2 : 1); }
        operands.Add(p[st..].Trim());
        int varIdx = operands.FindIndex(o => o.Length == 1 && char.IsLetter(o[0]));
        if (varIdx < 0) return null;
        double lo = double.NegativeInfinity, hi = double.PositiveInfinity; bool loC = false, hiC = false;
        for (int k = 0; k < ops.Count; k++)
        {
            // operands[k] op operands[k+1]
            bool less = ops[k].op[0] == '<', closed = ops[k].op.EndsWith('=');
            if (k + 1 == varIdx && Value(operands[k]) is { } a) { if (less) { lo = a; loC = closed; } else { hi = a; hiC = closed; } }
            else if (k == varIdx && Value(operands[k + 1]) is { } b) { if (less) { hi = b; hiC = closed; } else { lo = b; loC = closed; } }
            else return null;
        }
        return new Interval(lo, loC && !double.IsInfinity(lo), hi, hiC && !double.IsInfinity(hi));
    }

    public static bool SameIntervals(List<Interval> a, List<Interval> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!Near(a[i].Lo, b[i].Lo) || !Near(a[i].Hi, b[i].Hi) || a[i].LoClosed != b[i].LoClosed || a[i].HiClosed != b[i].HiClosed) return false;
        return true;
    }

    static bool Near(double x, double y) => x == y || Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

    static double? Value(string s)
    {
        s = s.Trim();
        if (s is "inf" or "+inf" or "+ inf") return double.PositiveInfinity;
        if (s is "-inf" or "- inf") return double.NegativeInfinity;
        var n = NumericForms.Parse(s, allowSymbols: false);
        if (n is null) return null;
        double v = n.Expr.Eval(null);
        return double.IsNaN(v) ? null : v;
    }

    /// <summary>Set elements: "{1, 2}", "1, 2", "x=2 or x=-3", "{1,3} ∪ {2,4}", "∅"; null when an element does not parse.</summary>
    public static List<string>? SetElements(string plain)
    {
        string s = plain.Trim().Trim('.', '。', ' ');
        if (s.Length == 0 || s.Length > 400) return null;
        if (s is "∅" or "{}" or "{ }") return [];
        var elems = new List<string>();
        foreach (var piece in SplitTop(s, "∪", " or ", "或", " and ", ";"))
        {
            string p = piece.Trim();
            if (p.Length >= 2 && p[0] == '{' && p[^1] == '}') p = p[1..^1];
            if (p.Trim() is "∅" or "") continue;
            foreach (var e in SplitTop(p, ","))
            {
                string el = e.Trim();
                int eq = el.LastIndexOf('=');
                if (eq >= 0) el = el[(eq + 1)..].Trim();
                if (el.Length == 0) return null;
                elems.Add(el);
            }
        }
        return elems;
    }

    /// <summary>Tuple / point "(2, 3)" or matrix "[[1,2],[3,4]]" components, row-major with the row lengths.</summary>
    public static List<string>? TupleElements(string plain, out string shape)
    {
        shape = "";
        string s = plain.Trim().Trim('.', '。', ' ');
        if (s.Length < 3 || s.Length > 800) return null;
        if (s[0] is not ('(' or '[') || s[^1] is not (')' or ']')) return null;
        var outer = SplitTop(s[1..^1], ",");
        var res = new List<string>();
        var rows = new List<int>();
        foreach (var o in outer)
        {
            string t = o.Trim();
            if (t.Length >= 2 && t[0] == '[' && t[^1] == ']')
            {
                var inner = SplitTop(t[1..^1], ",");
                rows.Add(inner.Count);
                res.AddRange(inner.Select(x => x.Trim()));
            }
            else { res.Add(t); rows.Add(1); }
        }
        shape = string.Join("x", rows);
        return res;
    }

    /// <summary>Element equality: numeric/symbolic via random points, else normalised text.</summary>
    public static bool ElementEqual(string a, string b, double relTol)
    {
        var na = NumericForms.Parse(a, allowSymbols: true) ?? NumericForms.Parse(a, false);
        var nb = NumericForms.Parse(b, allowSymbols: true) ?? NumericForms.Parse(b, false);
        if (na is not null && nb is not null)
        {
            if (!na.Expr.HasSymbols && !nb.Expr.HasSymbols) return NumericForms.Equal(na, nb, relTol);
            return SymbolicCompare.Equivalent(na.Expr, nb.Expr);
        }
        return TextForms.Normalize(a) == TextForms.Normalize(b);
    }

    public static bool SameSet(List<string> pred, List<string> gold, double relTol)
    {
        static List<string> Distinct(List<string> xs, double tol)
        {
            var d = new List<string>();
            foreach (var x in xs) if (!d.Any(y => ElementEqual(x, y, tol))) d.Add(x);
            return d;
        }
        var p = Distinct(pred, relTol); var g = Distinct(gold, relTol);
        if (p.Count != g.Count) return false;
        return g.All(x => p.Any(y => ElementEqual(y, x, relTol)));
    }
}
