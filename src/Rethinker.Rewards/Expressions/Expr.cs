// Expression tree for answers: numbers (exact rational where possible), symbols, + - * / ^, functions, factorial.
// Evaluated exactly (Rational) when every leaf is rational and powers are integral, else in double at given points.
// Leaves out symbolic simplification: equivalence of symbolic answers is decided by evaluation at random points.
namespace Rethinker.Rewards.Expressions;

public abstract record Expr
{
    /// <summary>Double value with symbols bound from <paramref name="env"/> (NaN for an unbound symbol).</summary>
    public abstract double Eval(IReadOnlyDictionary<string, double>? env);

    /// <summary>Exact value or null when irrational, symbolic or too large.</summary>
    public abstract Rational? Exact();

    public abstract void CollectSymbols(HashSet<string> into);

    public bool HasSymbols { get { var s = new HashSet<string>(); CollectSymbols(s); return s.Count > 0; } }
}

/// <summary>A numeric literal; <see cref="Literal"/> keeps its spelling for the precision rule (decimals of the gold).</summary>
public sealed record Num(double Value, Rational? ExactValue, string Literal) : Expr
{
    public override double Eval(IReadOnlyDictionary<string, double>? env) => Value;
    public override Rational? Exact() => ExactValue;
    public override void CollectSymbols(HashSet<string> into) { }
}

public sealed record Sym(string Name) : Expr
{
    public override double Eval(IReadOnlyDictionary<string, double>? env) =>
        Name switch { "pi" => Math.PI, "e" => Math.E, "inf" => double.PositiveInfinity, _ => env is not null && env.TryGetValue(Name, out var v) ? v : double.NaN };
    public override Rational? Exact() => null;
    public override void CollectSymbols(HashSet<string> into) { if (Name is not ("pi" or "e" or "inf")) into.Add(Name); }
}

public sealed record Neg(Expr X) : Expr
{
    public override double Eval(IReadOnlyDictionary<string, double>? env) => -X.Eval(env);
    public override Rational? Exact() => X.Exact() is { } r ? new Rational(-r.Num, r.Den) : null;
    public override void CollectSymbols(HashSet<string> into) => X.CollectSymbols(into);
}

public sealed record Bin(char Op, Expr L, Expr R) : Expr
{
    public override double Eval(IReadOnlyDictionary<string, double>? env)
    {
        double a = L.Eval(env), b = R.Eval(env);
        return Op switch { '+' => a + b, '-' => a - b, '*' => a * b, '/' => a / b, '^' => Math.Pow(a, b), _ => double.NaN };
    }

    public override Rational? Exact()
    {
        if (L.Exact() is not { } a || R.Exact() is not { } b) return null;
        return Op switch
        {
            '+' => Rational.Add(a, b),
            '-' => Rational.Add(a, new Rational(-b.Num, b.Den)),
            '*' => Rational.Mul(a, b),
            '/' => Rational.Div(a, b),
            '^' => b.IsInteger ? Rational.Pow(a, b.Num) : null,
            _ => null,
        };
    }

    public override void CollectSymbols(HashSet<string> into) { L.CollectSymbols(into); R.CollectSymbols(into); }
}

public sealed record Func(string Name, Expr Arg, Expr? Index = null) : Expr
{
    public override double Eval(IReadOnlyDictionary<string, double>? env)
    {
        double x = Arg.Eval(env);
        return Name switch
        {
            "sqrt" => Index is null ? Math.Sqrt(x) : Math.Pow(x, 1.0 / Index.Eval(env)),
            "sin" => Math.Sin(x), "cos" => Math.Cos(x), "tan" => Math.Tan(x),
            "cot" => 1 / Math.Tan(x), "sec" => 1 / Math.Cos(x), "csc" => 1 / Math.Sin(x),
            "arcsin" => Math.Asin(x), "arccos" => Math.Acos(x), "arctan" => Math.Atan(x),
            "ln" => Math.Log(x), "log" => Math.Log10(x), "exp" => Math.Exp(x), "abs" => Math.Abs(x),
            "fact" => Factorial(x),
            _ => double.NaN,
        };
    }

    static double Factorial(double x)
    {
        if (x < 0 || x > 170 || x != Math.Floor(x)) return double.NaN;
        double r = 1; for (int i = 2; i <= (int)x; i++) r *= i; return r;
    }

    public override Rational? Exact()
    {
        if (Name == "abs" && Arg.Exact() is { } a) return new Rational(Math.Abs(a.Num), a.Den);
        if (Name == "fact" && Arg.Exact() is { IsInteger: true, Num: >= 0 and <= 20 } f)
        {
            long r = 1; for (long i = 2; i <= f.Num; i++) r *= i; return new Rational(r, 1);
        }
        if (Name == "sqrt" && Index is null && Arg.Exact() is { Num: >= 0 } s)
        {
            long n = (long)Math.Round(Math.Sqrt(s.Num)), d = (long)Math.Round(Math.Sqrt(s.Den));
            if (n * n == s.Num && d * d == s.Den) return new Rational(n, d);
        }
        return null;
    }

    public override void CollectSymbols(HashSet<string> into) { Arg.CollectSymbols(into); Index?.CollectSymbols(into); }
}
