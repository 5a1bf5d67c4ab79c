// Rewrites a LaTeX / unicode answer into the plain math that ExprParser and the answer parsers read:
// \frac{a}{b} → ((a)/(b)), \sqrt[n]{x} → ((x)^(1/(n))), \pi → pi, \cdot → *, ^\circ and ° dropped, \text{u} → " u ",
// 3\frac{1}{2} → (3+(1)/(2)) (a mixed number), \begin{pmatrix}..\end{pmatrix} → [[..],[..]], \le → ≤, \cup → ∪.
// Bounded: inputs over MaxLength or groups nested deeper than MaxDepth return null (the caller treats it as unparseable).
using System.Text;

namespace Rethinker.Rewards.Expressions;

public static class LatexToPlain
{
    public const int MaxLength = 4000;
    public const int MaxDepth = 40;

    static readonly Dictionary<string, string> Simple = new()
    {
        ["pi"] = " pi ", ["infty"] = " inf ", ["infin"] = " inf ", ["cdot"] = "*", ["times"] = "*", ["ast"] = "*", ["div"] = "/",
        ["le"] = "≤", ["leq"] = "≤", ["leqslant"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["geqslant"] = "≥", ["lt"] = "<", ["gt"] = ">",
        ["neq"] = "≠", ["ne"] = "≠", ["approx"] = "≈", ["simeq"] = "≈", ["sim"] = "≈", ["cup"] = "∪", ["cap"] = "∩",
        ["emptyset"] = "∅", ["varnothing"] = "∅", ["in"] = "∈", ["pm"] = "±", ["mp"] = "∓", ["angle"] = "∠", ["triangle"] = "△",
        ["circ"] = "", ["degree"] = "", ["prime"] = "'", ["cdots"] = "...", ["ldots"] = "...", ["dots"] = "...",
        ["quad"] = " ", ["qquad"] = " ", ["displaystyle"] = "", ["textstyle"] = "", ["left"] = "", ["right"] = "",
        ["big"] = "", ["Big"] = "", ["bigl"] = "", ["bigr"] = "", ["Bigl"] = "", ["Bigr"] = "", ["limits"] = "", ["mid"] = "|",
        ["lfloor"] = "", ["rfloor"] = "", ["lceil"] = "", ["rceil"] = "", ["to"] = "→", ["rightarrow"] = "→", ["Rightarrow"] = "⇒",
        ["implies"] = "⇒", ["iff"] = "⇔", ["therefore"] = "", ["because"] = "", ["land"] = " and ", ["lor"] = " or ", ["neg"] = "¬",
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["theta"] = "θ", ["lambda"] = "λ", ["mu"] = "μ",
        ["sigma"] = "σ", ["phi"] = "φ", ["omega"] = "ω", ["varphi"] = "φ", ["epsilon"] = "ε", ["varepsilon"] = "ε", ["rho"] = "ρ", ["tau"] = "τ",
        ["Delta"] = "Δ", ["Omega"] = "Ω",
    };

    static readonly HashSet<string> Wrappers = ["text", "textbf", "textit", "textrm", "textnormal", "mathrm", "mathbf", "mathit", "mathsf",
        "mathtt", "operatorname", "boldsymbol", "bm", "mbox", "hbox", "emph", "boxed", "fbox", "underline", "overline", "mathcal", "mathscr"];

    static readonly HashSet<string> Funcs = ["sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "ln", "log", "exp"];

    public static string? Convert(string s)
    {
        if (s.Length > MaxLength) return null;
        var sb = new StringBuilder(s.Length + 16);
        return Emit(s, 0, s.Length, sb, 0) ? Unicode(sb.ToString()) : null;
    }

    /// <summary>Converts s[from, to) into sb; false when nesting is too deep or a group is unbalanced.</summary>
    static bool Emit(string s, int from, int to, StringBuilder sb, int depth)
    {
        if (depth > MaxDepth) return false;
        int i = from;
        while (i < to)
        {
            char c = s[i];
            if (c == '\\' && i + 1 < to)
            {
                char n = s[i + 1];
                if (!char.IsAsciiLetter(n))
                {
                    i += 2;
                    switch (n)
                    {
                        case '{': sb.Append('{'); break;
                        case '}': sb.Append('}'); break;
                        case '%': sb.Append('%'); break;
                        case '$': sb.Append('$'); break;
                        case '\\': sb.Append(';'); break; // row break
                        case '(' or ')' or '[' or ']': break; // math delimiters
                        case ',' or ';' or ':' or ' ' or '!':
                            // \, between digits is a thousands separator (1\,000); elsewhere a space
                            if (!(sb.Length > 0 && char.IsAsciiDigit(sb[^1]) && i < to && char.IsAsciiDigit(s[i]))) sb.Append(n == '!' ? "" : " ");
                            break;
                        default: sb.Append(n); break;
                    }
                    continue;
                }
                int st = i + 1, j = st;
                while (j < to && char.IsAsciiLetter(s[j])) j++;
                string name = s[st..j];
                i = j;
                if (!Command(s, ref i, to, name, sb, depth)) return false;
                continue;
            }
            if (c == '{')
            {
                int close = MatchBrace(s, i, to);
                if (close < 0) return false;
                // {,} between digits is LaTeX's thousands separator: 1{,}000
                if (close == i + 2 && s[i + 1] == ',') { i = close + 1; continue; }
                bool script = sb.Length > 0 && sb[^1] == '^';
                if (script) sb.Append('(');
                if (!Emit(s, i + 1, close, sb, depth + 1)) return false;
                if (script) sb.Append(')');
                i = close + 1;
                continue;
            }
            if (c == '^' && i + 1 < to && s[i + 1] == '\\' && s.AsSpan(i + 1, Math.Min(5, to - i - 1)).StartsWith("\\circ")) { i += 6; continue; }
            if (c == '^' && i + 1 < to && s.AsSpan(i + 1, to - i - 1).StartsWith("{\\circ}")) { i += 8; continue; }
            if (c == '_')
            {
                // subscripts are labels (V_o, x_{1}): dropped
                i++;
                if (i < to && s[i] == '{') { int close = MatchBrace(s, i, to); if (close < 0) return false; i = close + 1; }
                else if (i < to) i++;
                continue;
            }
            if (c == '$') { i++; continue; }
            if (c == '~') { sb.Append(' '); i++; continue; }
            sb.Append(c);
            i++;
        }
        return true;
    }

    static bool Command(string s, ref int i, int to, string name, StringBuilder sb, int depth)
    {
        switch (name)
        {
            case "frac" or "dfrac" or "tfrac" or "cfrac":
            {
                if (!Arg(s, ref i, to, out var a0, out var a1) || !Arg(s, ref i, to, out var b0, out var b1)) return false;
                // 3\frac{1}{2} is the mixed number 3½
                bool mixed = sb.Length > 0 && char.IsAsciiDigit(sb[^1]) && IsDigits(s, a0, a1) && IsDigits(s, b0, b1);
                if (mixed) { int k = sb.Length; while (k > 0 && char.IsAsciiDigit(sb[k - 1])) k--; sb.Insert(k, "("); sb.Append('+'); }
                sb.Append("((");
                if (!Emit(s, a0, a1, sb, depth + 1)) return false;
                sb.Append(")/(");
                if (!Emit(s, b0, b1, sb, depth + 1)) return false;
                sb.Append("))");
                if (mixed) sb.Append(')');
                return true;
            }
            case "sqrt":
            {
                int idx0 = -1, idx1 = -1;
                SkipSpaces(s, ref i, to);
                if (i < to && s[i] == '[')
                {
                    int close = s.IndexOf(']', i, to - i);
                    if (close < 0) return false;
                    idx0 = i + 1; idx1 = close; i = close + 1;
                }
                if (!Arg(s, ref i, to, out var a0, out var a1)) return false;
                if (idx0 < 0) { sb.Append(" sqrt("); if (!Emit(s, a0, a1, sb, depth + 1)) return false; sb.Append(')'); }
                else
                {
                    sb.Append("(("); if (!Emit(s, a0, a1, sb, depth + 1)) return false;
                    sb.Append(")^(1/("); if (!Emit(s, idx0, idx1, sb, depth + 1)) return false; sb.Append(")))");
                }
                return true;
            }
            case "begin":
                return Environment(s, ref i, to, sb, depth);
            case "end":
                { if (Arg(s, ref i, to, out _, out _)) return true; return false; }
            case "mathbb":
            {
                if (!Arg(s, ref i, to, out var a0, out var a1)) return false;
                sb.Append(s.AsSpan(a0, a1 - a0).Trim() is "R" ? "ℝ" : s[a0..a1]);
                return true;
            }
        }
        if (Wrappers.Contains(name))
        {
            SkipSpaces(s, ref i, to);
            if (i < to && s[i] == '{')
            {
                int close = MatchBrace(s, i, to);
                if (close < 0) return false;
                sb.Append(' ');
                if (!Emit(s, i + 1, close, sb, depth + 1)) return false;
                sb.Append(' ');
                i = close + 1;
            }
            return true;
        }
        if (Funcs.Contains(name)) { sb.Append(' ').Append(name).Append(' '); return true; }
        if (Simple.TryGetValue(name, out var rep)) { sb.Append(rep); return true; }
        sb.Append(' ').Append(name).Append(' ');
        return true;
    }

    /// <summary>pmatrix / bmatrix / array → [[a,b],[c,d]]; cases / aligned → their rows joined by ';'.</summary>
    static bool Environment(string s, ref int i, int to, StringBuilder sb, int depth)
    {
        if (!Arg(s, ref i, to, out var n0, out var n1)) return false;
        string env = s[n0..n1];
        string endTag = "\\end{" + env + "}";
        int end = s.IndexOf(endTag, i, to - i, StringComparison.Ordinal);
        if (end < 0) return false;
        int bodyStart = i;
        if (env == "array" && bodyStart < end && s[bodyStart] == '{') { int c = MatchBrace(s, bodyStart, end); if (c < 0) return false; bodyStart = c + 1; }
        var inner = new StringBuilder();
        if (!Emit(s, bodyStart, end, inner, depth + 1)) return false;
        i = end + endTag.Length;
        if (env.EndsWith("matrix", StringComparison.Ordinal) || env == "array")
        {
            var rows = inner.ToString().Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            sb.Append('[').Append(string.Join(",", rows.Select(r => "[" + r.Replace('&', ',') + "]"))).Append(']');
        }
        else sb.Append(inner.Replace('&', ' '));
        return true;
    }

    static bool IsDigits(string s, int a, int b)
    {
        if (a >= b) return false;
        for (int k = a; k < b; k++) if (!char.IsAsciiDigit(s[k])) return false;
        return true;
    }

    static void SkipSpaces(string s, ref int i, int to) { while (i < to && s[i] == ' ') i++; }

    /// <summary>One macro argument: a brace group, a \command, or a single character (\frac12).</summary>
    static bool Arg(string s, ref int i, int to, out int a0, out int a1)
    {
        SkipSpaces(s, ref i, to);
        a0 = a1 = i;
        if (i >= to) return false;
        if (s[i] == '{')
        {
            int close = MatchBrace(s, i, to);
            if (close < 0) return false;
            a0 = i + 1; a1 = close; i = close + 1;
            return true;
        }
        if (s[i] == '\\')
        {
            int j = i + 1;
            while (j < to && char.IsAsciiLetter(s[j])) j++;
            if (j == i + 1) j++;
            a0 = i; a1 = j; i = j;
            return true;
        }
        a0 = i; a1 = i + 1; i++;
        return true;
    }

    /// <summary>Index of the brace closing the one at <paramref name="open"/>, or -1; iterative, so deep nesting cannot overflow.</summary>
    public static int MatchBrace(string s, int open, int to)
    {
        int d = 0;
        for (int k = open; k < to; k++)
        {
            char c = s[k];
            if (c == '\\') { k++; continue; }
            if (c == '{') d++;
            else if (c == '}' && --d == 0) return k;
        }
        return -1;
    }

    /// <summary>Unicode math: √x, π, ×, ·, −, ², ³, ∞, °.</summary>
    static string Unicode(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '√':
                {
                    // √39, √(x+1), √{3}, √x
                    int j = i + 1;
                    if (j < s.Length && (s[j] == '(' || s[j] == '{'))
                    {
                        sb.Append(" sqrt");
                        continue;
                    }
                    int k = j;
                    while (k < s.Length && (char.IsAsciiDigit(s[k]) || s[k] == '.')) k++;
                    if (k == j && k < s.Length && char.IsLetter(s[k])) k++;
                    sb.Append(" sqrt(").Append(s, j, k - j).Append(')');
                    i = k - 1;
                    continue;
                }
                case 'π': sb.Append(" pi "); break;
                case '×' or '·' or '⋅' or '∙': sb.Append('*'); break;
                case '÷': sb.Append('/'); break;
                case '−' or '–' or '—': sb.Append('-'); break;
                case '²': sb.Append("^2"); break;
                case '³': sb.Append("^3"); break;
                case '∞': sb.Append(" inf "); break;
                case '°' or '℃': break;
                case '≦': sb.Append('≤'); break;
                case '≧': sb.Append('≥'); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
