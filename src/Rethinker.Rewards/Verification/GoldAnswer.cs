// The gold answer, parsed once per row into the form its comparison needs: an option index (multiple choice, gold
// given as a letter or as the option text), a number or expression, an equation, an interval union, a set, a tuple or
// matrix, or normalised text. answer_type (integer, float, fraction, expression, interval, set, text, multiple_choice)
// picks the form when given; otherwise it is inferred from the gold's shape.
using Rethinker.Rewards.Expressions;

namespace Rethinker.Rewards.Verification;

public enum GoldKind { Choice, Number, Expression, Equation, Interval, Set, Tuple, Text }

public sealed class GoldAnswer
{
    public required GoldKind Kind { get; init; }
    public required string Raw { get; init; }
    public required string Plain { get; init; }
    public IReadOnlyList<string>? Choices { get; init; }
    public int ChoiceIndex { get; init; } = -1;
    public NumericAnswer? Number { get; init; }
    public List<Interval>? Intervals { get; init; }
    public List<string>? Elements { get; init; }
    public string TupleShape { get; init; } = "";
    public string EquationLhs { get; init; } = "";
    public string EquationRhs { get; init; } = "";
    /// <summary>Further acceptable golds (MMMU open questions list several).</summary>
    public IReadOnlyList<GoldAnswer> Alternatives { get; init; } = [];

    public static GoldAnswer Parse(string gold, IReadOnlyList<string>? choices = null, string? answerType = null)
    {
        string raw = ResponseText.Fold(gold ?? "").Trim();
        string plain = LatexToPlain.Convert(raw)?.Trim() ?? raw;
        string type = (answerType ?? "").Trim().ToLowerInvariant();
        if (type is "multiple_choice" or "multi_choice" or "choice" or "mc" || (choices is { Count: > 0 } && type is "" or "text"))
        {
            int idx = GoldIndex(raw, plain, choices);
            if (idx >= 0) return new GoldAnswer { Kind = GoldKind.Choice, Raw = raw, Plain = plain, Choices = choices, ChoiceIndex = idx };
        }
        if (type == "interval" || (type is "" or "expression" && LooksLikeInterval(plain)))
        {
            var iv = StructuredForms.ParseIntervals(plain);
            if (iv is not null) return new GoldAnswer { Kind = GoldKind.Interval, Raw = raw, Plain = plain, Intervals = iv };
        }
        if (type == "set" || plain.StartsWith('{') || plain == "∅")
        {
            var el = StructuredForms.SetElements(plain);
            if (el is not null) return new GoldAnswer { Kind = GoldKind.Set, Raw = raw, Plain = plain, Elements = el };
        }
        if (plain.Length > 2 && plain[0] is '(' or '[' && plain.Contains(',') && StructuredForms.TupleElements(plain, out var shape) is { } tup)
            return new GoldAnswer { Kind = GoldKind.Tuple, Raw = raw, Plain = plain, Elements = tup, TupleShape = shape };
        int eq = plain.IndexOf('=');
        if (eq > 0 && eq == plain.LastIndexOf('=') && ExprParser.TryParse(plain[(eq + 1)..], out _))
            return new GoldAnswer { Kind = GoldKind.Equation, Raw = raw, Plain = plain, EquationLhs = plain[..eq].Trim(), EquationRhs = plain[(eq + 1)..].Trim() };
        var num = NumericForms.Parse(plain, allowSymbols: false);
        if (num is not null && (OnlyMathWords(plain) || type is "integer" or "float" or "fraction" or "number" or "numeric"))
            return new GoldAnswer { Kind = GoldKind.Number, Raw = raw, Plain = plain, Number = num };
        if (type is not "text" && NumericForms.Parse(plain, allowSymbols: true) is { } ex && ex.Expr.HasSymbols && plain.Count(char.IsLetter) <= 12)
            return new GoldAnswer { Kind = GoldKind.Expression, Raw = raw, Plain = plain, Number = ex };
        if (type == "set" || (plain.Contains(',') && StructuredForms.SetElements(plain) is { Count: > 1 } list && list.All(x => NumericForms.Parse(x, true) is not null)))
            return new GoldAnswer { Kind = GoldKind.Set, Raw = raw, Plain = plain, Elements = StructuredForms.SetElements(plain) ?? [] };
        return new GoldAnswer { Kind = GoldKind.Text, Raw = raw, Plain = plain };
    }

    static bool OnlyMathWords(string plain)
    {
        var words = plain.Split((char[])[' ', '(', ')', '*', '/', '+', '-', '^'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Any(char.IsLetter));
        return words.All(w => w is "pi" or "sqrt" or "e" or "inf" || w.StartsWith("sqrt", StringComparison.Ordinal));
    }

    static bool LooksLikeInterval(string p) =>
        p.Contains('∪') || p.Contains("inf", StringComparison.Ordinal) ||
        (p.Length > 4 && p[0] is '(' or '[' && p[^1] is ')' or ']' && (p[0] == '[' || p[^1] == ']'));

    /// <summary>Gold "C", "(C)" → 2; gold option text ("145°", "Yes") → the index of the equal option.</summary>
    static int GoldIndex(string raw, string plain, IReadOnlyList<string>? choices)
    {
        int n = choices?.Count ?? 26;
        string t = plain.Trim().Trim('(', ')', '.', ' ');
        if (t.Length == 1 && t[0] >= 'A' && t[0] < 'A' + Math.Min(n, 26)) return t[0] - 'A';
        if (choices is not { Count: > 0 }) return -1;
        var r = ChoiceMatcher.ByOptionText(raw, choices, wholeOnly: true);
        return r.Found ? r.Index : -1;
    }
}
