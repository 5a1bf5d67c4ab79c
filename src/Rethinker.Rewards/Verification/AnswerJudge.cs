// Judges one extracted candidate against the gold (gold-directed, DESIGN.md §4). A candidate that offers several
// different values ("3 or 4", "25%. Or 25. Or 0.25", "Yes and no", "C or D") is Wrong; one that holds no readable
// answer ("\text{answer}", "x", an empty tag) is Unparseable and the verifier looks at the previous candidate.
using System.Text.RegularExpressions;
using Rethinker.Rewards.Expressions;

namespace Rethinker.Rewards.Verification;

public enum Judgement { Correct, Wrong, Unparseable }

public readonly record struct JudgeResult(Judgement Verdict, string? Extracted, bool Hedge = false)
{
    public static readonly JudgeResult Unparseable = new(Judgement.Unparseable, null);
}

public static partial class AnswerJudge
{
    static readonly string[] OrSeps = [" or ", " OR ", " Or ", "或", ", or "];

    [GeneratedRegex(@"\*\*([^*]{1,80})\*\*", RegexOptions.NonBacktracking)]
    private static partial Regex BoldRegex();

    [GeneratedRegex(@"(?:\bis\b|\bare\b|\bwas\b|\bequals\b|\bbe\b|为|是|=|:|：)", RegexOptions.NonBacktracking)]
    private static partial Regex CopulaRegex();

    [GeneratedRegex(@"(?:\bis\b|\bare\b|\bwas\b|\bequals\b|\bbe\b|为|是|:|：)", RegexOptions.NonBacktracking)]
    private static partial Regex WordCopulaRegex();

    public static JudgeResult Judge(in Candidate c, GoldAnswer gold, double relTol = 1e-4)
    {
        var r = JudgeOne(c, gold, relTol);
        if (r.Verdict == Judgement.Correct || gold.Alternatives.Count == 0) return r;
        foreach (var alt in gold.Alternatives)
        {
            var a = JudgeOne(c, alt, relTol);
            if (a.Verdict == Judgement.Correct) return a;
        }
        return r;
    }

    static JudgeResult JudgeOne(in Candidate c, GoldAnswer gold, double relTol)
    {
        string text = c.Text;
        if (text.Length == 0) return JudgeResult.Unparseable;
        bool fallback = c.Kind == CandidateKind.Fallback;
        if (c.Kind == CandidateKind.Mentions)
        {
            if (gold.Kind != GoldKind.Choice || gold.Choices is not { Count: > 0 }) return JudgeResult.Unparseable;
            var m = ChoiceMatcher.ByOptionText(text, gold.Choices, wholeOnly: false);
            if (m.Ambiguous) return new JudgeResult(Judgement.Wrong, null, Hedge: true);
            return m.Found ? new JudgeResult(m.Index == gold.ChoiceIndex ? Judgement.Correct : Judgement.Wrong, ((char)('A' + m.Index)).ToString()) : JudgeResult.Unparseable;
        }
        if (gold.Kind == GoldKind.Choice)
        {
            var reading = ChoiceMatcher.Read(text, gold.Choices, fallback);
            if (reading.Ambiguous) return new JudgeResult(Judgement.Wrong, null, Hedge: true);
            if (!reading.Found) return JudgeResult.Unparseable;
            string letter = ((char)('A' + reading.Index)).ToString();
            return new JudgeResult(reading.Index == gold.ChoiceIndex ? Judgement.Correct : Judgement.Wrong, letter);
        }
        if (fallback) text = FallbackTail(text, gold);
        string? plain = LatexToPlain.Convert(text);
        if (plain is null) return JudgeResult.Unparseable;
        plain = plain.Replace("**", "", StringComparison.Ordinal).Trim();
        if (plain.Length == 0) return JudgeResult.Unparseable;
        return gold.Kind switch
        {
            GoldKind.Number => Numeric(plain, gold, relTol),
            GoldKind.Expression or GoldKind.Equation => Symbolic(plain, gold),
            GoldKind.Interval => StructuredForms.ParseIntervals(plain) is { } iv
                ? new JudgeResult(StructuredForms.SameIntervals(iv, gold.Intervals!) ? Judgement.Correct : Judgement.Wrong, plain)
                : JudgeResult.Unparseable,
            GoldKind.Set => StructuredForms.SetElements(plain) is { } el && el.All(e => e.Length < 200)
                ? new JudgeResult(StructuredForms.SameSet(el, gold.Elements!, relTol) ? Judgement.Correct : Judgement.Wrong, plain)
                : JudgeResult.Unparseable,
            GoldKind.Tuple => Tuple(plain, gold, relTol),
            _ => Text(plain, gold, fallback),
        };
    }

    /// <summary>In a fallback sentence the answer is the last bold span, else what follows the last "is" / "=" / "为".</summary>
    internal static string FallbackTail(string sentence, GoldAnswer gold)
    {
        var bolds = BoldRegex().Matches(sentence);
        if (bolds.Count > 0) return bolds[^1].Groups[1].Value;
        bool structured = gold.Kind is GoldKind.Set or GoldKind.Interval or GoldKind.Equation or GoldKind.Expression or GoldKind.Tuple;
        int at = -1, len = 0;
        foreach (Match m in (structured ? WordCopulaRegex() : CopulaRegex()).Matches(sentence)) { at = m.Index; len = m.Length; }
        return at >= 0 ? sentence[(at + len)..] : StripLead(sentence);
    }

    static string StripLead(string s)
    {
        foreach (var lead in (string[])["所以", "因此", "故", "So,", "So", "Therefore,", "Therefore", "Thus,", "Thus", "Hence,", "Hence", "Solution:", "Putting it together:"])
            if (s.StartsWith(lead, StringComparison.OrdinalIgnoreCase)) return s[lead.Length..];
        int colon = s.LastIndexOf(':');
        return colon >= 0 && colon < s.Length - 1 ? s[(colon + 1)..] : s;
    }

    static JudgeResult Numeric(string plain, GoldAnswer gold, double relTol)
    {
        var alts = StructuredForms.SplitTop(plain, OrSeps);
        NumericAnswer? first = null;
        bool anyWrong = false, anyRight = false;
        foreach (var alt in alts)
        {
            var p = NumericForms.Parse(alt, allowSymbols: false);
            if (p is null) continue;
            first ??= p;
            if (NumericForms.Equal(p, gold.Number!, relTol)) anyRight = true; else anyWrong = true;
        }
        if (first is null) return JudgeResult.Unparseable;
        string shown = Show(first);
        if (anyRight && anyWrong) return new JudgeResult(Judgement.Wrong, shown, Hedge: true);
        return new JudgeResult(anyRight ? Judgement.Correct : Judgement.Wrong, shown);
    }

    static JudgeResult Symbolic(string plain, GoldAnswer gold)
    {
        var alts = StructuredForms.SplitTop(plain, OrSeps);
        if (alts.Count > 1)
        {
            bool right = false, wrong = false;
            foreach (var a in alts)
            {
                var r = Symbolic(a, gold);
                if (r.Verdict == Judgement.Correct) right = true; else if (r.Verdict == Judgement.Wrong) wrong = true;
            }
            if (!right && !wrong) return JudgeResult.Unparseable;
            return new JudgeResult(right && !wrong ? Judgement.Correct : Judgement.Wrong, plain, Hedge: right && wrong);
        }
        string s = plain.Trim().TrimEnd('.', '。', ',');
        int approx = s.IndexOf('≈');
        if (approx > 0) s = s[..approx].Trim();
        int eq = s.LastIndexOf('=');
        int firstEq = s.IndexOf('=');
        if (gold.Kind == GoldKind.Equation)
        {
            if (eq > 0 && eq == firstEq)
                return Verdict(SymbolicCompare.EquationsEqual(s[..eq], s[(eq + 1)..], gold.EquationLhs, gold.EquationRhs), s);
            // "2x+1" for "y = 2x+1": the defined quantity is implied
            if (eq < 0 && SymbolicCompare.IsLabel(gold.EquationLhs) && ExprParser.TryParse(s, out var e) && ExprParser.TryParse(gold.EquationRhs, out var gr))
                return Verdict(SymbolicCompare.Equivalent(e, gr), s);
            return JudgeResult.Unparseable;
        }
        if (eq > 0 && SymbolicCompare.IsLabel(s[..firstEq])) s = s[(eq + 1)..].Trim();
        var p = NumericForms.Parse(s, allowSymbols: true) ?? NumericForms.Parse(StripUnitsForSymbolic(s), allowSymbols: true);
        if (p is null) return JudgeResult.Unparseable;
        var g = gold.Number!;
        if (!g.Expr.HasSymbols && !p.Expr.HasSymbols) return Verdict(NumericForms.Equal(p, g, 1e-4), Show(p));
        return Verdict(SymbolicCompare.Equivalent(p.Expr, g.Expr), s);
    }

    static string StripUnitsForSymbolic(string s)
    {
        int sp = s.LastIndexOf(' ');
        return sp > 0 && s[(sp + 1)..].All(ch => char.IsLetter(ch) || ch is '^' or '2' or '3' or '/') ? s[..sp] : s;
    }

    static JudgeResult Tuple(string plain, GoldAnswer gold, double relTol)
    {
        var el = StructuredForms.TupleElements(plain, out var shape);
        if (el is null) return JudgeResult.Unparseable;
        bool ok = shape == gold.TupleShape && el.Count == gold.Elements!.Count;
        for (int i = 0; ok && i < el.Count; i++) ok = StructuredForms.ElementEqual(el[i], gold.Elements![i], relTol);
        return Verdict(ok, plain);
    }

    static JudgeResult Text(string plain, GoldAnswer gold, bool fallback)
    {
        string p = TextForms.Normalize(plain), g = TextForms.Normalize(gold.Plain);
        if (p.Length == 0) return JudgeResult.Unparseable;
        if (g is "yes" or "no")
        {
            bool yes = TextForms.WordIndex(p, "yes") >= 0, no = TextForms.WordIndex(p, "no") >= 0;
            if (yes && no) return new JudgeResult(Judgement.Wrong, p, Hedge: true);
            if (!yes && !no) return fallback ? JudgeResult.Unparseable : new JudgeResult(Judgement.Wrong, p);
            return Verdict(yes == (g == "yes"), yes ? "yes" : "no");
        }
        if (p == g) return new JudgeResult(Judgement.Correct, p);
        // a text gold that is a number ("1/64" typed as text)
        if (gold.Number is null && NumericForms.Parse(gold.Plain, false) is { } gn && NumericForms.Parse(plain, false) is { } pn)
            return Verdict(NumericForms.Equal(pn, gn, 1e-4), Show(pn));
        return new JudgeResult(Judgement.Wrong, p);
    }

    static JudgeResult Verdict(bool ok, string? shown) => new(ok ? Judgement.Correct : Judgement.Wrong, shown);

    static string Show(NumericAnswer n)
    {
        string v = n.Expr.Exact() is { } r ? r.ToString() : n.Expr.Eval(null).ToString("G10", System.Globalization.CultureInfo.InvariantCulture);
        return n.Percent ? v + "%" : v;
    }
}
