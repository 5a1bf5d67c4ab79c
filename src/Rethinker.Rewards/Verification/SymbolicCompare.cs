// Equivalence of expressions with free symbols by evaluation at seeded random points (DESIGN.md §4: "compared exactly
// where possible, else by evaluation at random points"), and of equations: same label on the left (y = …, f(x) = …)
// compares right-hand sides, otherwise lhs − rhs must be proportional (x²+9y²=81 ≡ x²/81 + y²/9 = 1).
using Rethinker.Rewards.Expressions;

namespace Rethinker.Rewards.Verification;

public static class SymbolicCompare
{
    const int Points = 7;
    const double Tol = 1e-6;

    public static bool Equivalent(Expr a, Expr b) => Ratio(a, b, requireUnit: true);

    /// <summary>True when a = c·b at every sampled point for one constant c (c = 1 when <paramref name="requireUnit"/>).</summary>
    public static bool Ratio(Expr a, Expr b, bool requireUnit)
    {
        var syms = new HashSet<string>();
        a.CollectSymbols(syms); b.CollectSymbols(syms);
        if (syms.Count > 8) return false;
        var names = syms.Order(StringComparer.Ordinal).ToArray();
        var rng = new Random(12345);
        var env = new Dictionary<string, double>(names.Length);
        double? c = requireUnit ? 1.0 : null;
        int valid = 0;
        for (int t = 0; t < Points * 3 && valid < Points; t++)
        {
            foreach (var n in names) env[n] = 0.3 + 2.2 * rng.NextDouble();
            double va = a.Eval(env), vb = b.Eval(env);
            if (!double.IsFinite(va) || !double.IsFinite(vb)) continue;
            if (Math.Abs(vb) < 1e-12)
            {
                if (Math.Abs(va) > 1e-9) return false;
                valid++; continue;
            }
            double r = va / vb;
            if (c is null) c = r;
            if (Math.Abs(r - c.Value) > Tol * Math.Max(1, Math.Abs(c.Value))) return false;
            valid++;
        }
        return valid >= 3 && (requireUnit || Math.Abs(c ?? 0) > 1e-12);
    }

    /// <summary>Constant value of an expression whose symbols cancel (6 + 0·anything), else null.</summary>
    public static double? ConstantValue(Expr e)
    {
        var syms = new HashSet<string>();
        e.CollectSymbols(syms);
        if (syms.Count == 0) return e.Eval(null);
        var rng = new Random(777);
        var env = new Dictionary<string, double>();
        double? v0 = null;
        for (int t = 0; t < 4; t++)
        {
            foreach (var n in syms) env[n] = 0.3 + 2.2 * rng.NextDouble();
            double v = e.Eval(env);
            if (!double.IsFinite(v)) return null;
            if (v0 is null) v0 = v;
            else if (Math.Abs(v - v0.Value) > 1e-9 * Math.Max(1, Math.Abs(v0.Value))) return null;
        }
        return v0;
    }

    /// <summary>Equation equality given plain "lhs = rhs" strings.</summary>
    public static bool EquationsEqual(string predLhs, string predRhs, string goldLhs, string goldRhs)
    {
        if (!ExprParser.TryParse(predRhs, out var pr) || !ExprParser.TryParse(goldRhs, out var gr)) return false;
        if (Compact(predLhs) == Compact(goldLhs) && IsLabel(goldLhs)) return Equivalent(pr, gr);
        if (!ExprParser.TryParse(predLhs, out var pl) || !ExprParser.TryParse(goldLhs, out var gl)) return false;
        return Ratio(new Bin('-', pl, pr), new Bin('-', gl, gr), requireUnit: false);
    }

    /// <summary>"y", "f(x)", "A": a name being defined rather than an expression.</summary>
    public static bool IsLabel(string lhs)
    {
        string c = Compact(lhs);
        if (c.Length == 1 && char.IsLetter(c[0])) return true;
        int p = c.IndexOf('(');
        return p > 0 && c.EndsWith(')') && c[..p].All(char.IsLetter);
    }

    static string Compact(string s) => new(s.Where(ch => !char.IsWhiteSpace(ch)).ToArray());
}
