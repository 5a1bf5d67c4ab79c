// Recursive-descent parser for plain math ("2*sqrt(3)", "x^2-2x-3", "3/4pi", "5!", "1.6e-19") produced by
// LatexToPlain. Implicit multiplication between adjacent factors except number-number ("3 4" is not 12).
// Bounded: at most MaxTokens tokens and MaxDepth nesting, otherwise the parse fails (never throws, never recurses deep).
using System.Globalization;

namespace Rethinker.Rewards.Expressions;

public static class ExprParser
{
    public const int MaxTokens = 400;
    public const int MaxDepth = 48;

    static readonly HashSet<string> Functions = ["sqrt", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "ln", "log", "exp", "abs"];
    static readonly HashSet<string> Words = ["pi", "inf"];

    enum K { Num, Id, Op, LParen, RParen, End }
    readonly record struct Tok(K Kind, string Text);

    public static bool TryParse(string s, out Expr expr)
    {
        expr = null!;
        if (s.Length == 0 || s.Length > 4 * MaxTokens) return false;
        var toks = Lex(s);
        if (toks is null || toks.Count <= 1) return false;
        var p = new State(toks);
        var e = p.Expr(0);
        if (e is null || p.Peek.Kind != K.End) return false;
        expr = e;
        return true;
    }

    static List<Tok>? Lex(string s)
    {
        var list = new List<Tok>();
        int i = 0;
        while (i < s.Length)
        {
            if (list.Count > MaxTokens) return null;
            char c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                int st = i;
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                if (i < s.Length && s[i] == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])) { i++; while (i < s.Length && char.IsAsciiDigit(s[i])) i++; }
                else if (i < s.Length && s[i] == '.' && st < i && (i + 1 == s.Length || !char.IsLetter(s[i + 1]))) i++; // "24." trailing point
                // scientific notation: 1.6e-19, 2E5 (an 'e' followed by a signed integer)
                if (i + 1 < s.Length && (s[i] == 'e' || s[i] == 'E'))
                {
                    int j = i + 1;
                    if (s[j] == '+' || s[j] == '-') j++;
                    if (j < s.Length && char.IsAsciiDigit(s[j])) { i = j; while (i < s.Length && char.IsAsciiDigit(s[i])) i++; }
                }
                list.Add(new Tok(K.Num, s[st..i].TrimEnd('.')));
                continue;
            }
            if (char.IsLetter(c))
            {
                int st = i;
                while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
                if (i == st) { list.Add(new Tok(K.Id, c.ToString())); i++; continue; }
                SplitWord(s[st..i], list);
                continue;
            }
            switch (c)
            {
                case '+' or '-' or '*' or '/' or '^' or '!': list.Add(new Tok(K.Op, c.ToString())); break;
                case '(' or '[' or '{': list.Add(new Tok(K.LParen, "(")); break;
                case ')' or ']' or '}': list.Add(new Tok(K.RParen, ")")); break;
                default: return null;
            }
            i++;
        }
        list.Add(new Tok(K.End, ""));
        return list;
    }

    /// <summary>"sqrtx" → sqrt x; "xy" → x y; "pix" → pi x: known names are taken greedily, other letters one at a time.</summary>
    static void SplitWord(string w, List<Tok> into)
    {
        int i = 0;
        while (i < w.Length)
        {
            string? best = null;
            foreach (var f in Functions) if (w.AsSpan(i).StartsWith(f) && (best is null || f.Length > best.Length)) best = f;
            foreach (var f in Words) if (w.AsSpan(i).StartsWith(f) && (best is null || f.Length > best.Length)) best = f;
            if (best is null) { into.Add(new Tok(K.Id, w[i].ToString())); i++; }
            else { into.Add(new Tok(K.Id, best)); i += best.Length; }
        }
    }

    sealed class State(List<Tok> toks)
    {
        int pos;
        public Tok Peek => toks[pos];
        Tok Next() => toks[pos++];

        public Expr? Expr(int depth)
        {
            if (depth > MaxDepth) return null;
            var left = Term(depth);
            while (left is not null && Peek.Kind == K.Op && Peek.Text is "+" or "-")
            {
                char op = Next().Text[0];
                var right = Term(depth);
                if (right is null) return null;
                left = new Bin(op, left, right);
            }
            return left;
        }

        Expr? Term(int depth)
        {
            var left = Unary(depth);
            while (left is not null)
            {
                if (Peek.Kind == K.Op && Peek.Text is "*" or "/")
                {
                    char op = Next().Text[0];
                    var right = Unary(depth);
                    if (right is null) return null;
                    left = new Bin(op, left, right);
                }
                else if (Peek.Kind is K.Id or K.LParen || (Peek.Kind == K.Num && !EndsWithNumber(left)))
                {
                    var right = Power(depth);
                    if (right is null) return null;
                    left = new Bin('*', left, right);
                }
                else break;
            }
            return left;
        }

        static bool EndsWithNumber(Expr e) => e switch { Num => true, Bin { Op: '*' } b => EndsWithNumber(b.R), Neg n => EndsWithNumber(n.X), _ => false };

        Expr? Unary(int depth)
        {
            if (depth > MaxDepth) return null;
            if (Peek.Kind == K.Op && Peek.Text is "-" or "+")
            {
                bool neg = Next().Text == "-";
                var x = Unary(depth + 1);
                return x is null ? null : neg ? new Neg(x) : x;
            }
            return Power(depth);
        }

        Expr? Power(int depth)
        {
            var b = Postfix(depth);
            if (b is null) return null;
            if (Peek.Kind == K.Op && Peek.Text == "^")
            {
                Next();
                var e = Unary(depth + 1);
                return e is null ? null : new Bin('^', b, e);
            }
            return b;
        }

        Expr? Postfix(int depth)
        {
            var x = Primary(depth);
            while (x is not null && Peek.Kind == K.Op && Peek.Text == "!") { Next(); x = new Func("fact", x); }
            return x;
        }

        Expr? Primary(int depth)
        {
            if (depth > MaxDepth) return null;
            var t = Next();
            switch (t.Kind)
            {
                case K.Num:
                    if (!double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return null;
                    return new Num(v, t.Text.Contains('e') || t.Text.Contains('E') ? null : Rational.FromDecimal(t.Text), t.Text);
                case K.LParen:
                {
                    var e = Expr(depth + 1);
                    if (e is null || Next().Kind != K.RParen) return null;
                    return e;
                }
                case K.Id when Functions.Contains(t.Text):
                {
                    // sqrt(x), sin x, sin^2 x (power of the function value)
                    Expr? power = null;
                    if (Peek.Kind == K.Op && Peek.Text == "^") { Next(); power = Postfix(depth + 1); if (power is null) return null; }
                    var arg = Peek.Kind == K.LParen ? Primary(depth + 1) : Power(depth + 1);
                    if (arg is null) return null;
                    Expr f = new Func(t.Text, arg);
                    return power is null ? f : new Bin('^', f, power);
                }
                case K.Id:
                    return new Sym(t.Text);
                default:
                    return null;
            }
        }
    }
}
