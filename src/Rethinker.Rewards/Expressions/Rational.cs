// Exact rational numbers over long with overflow detection, used so that 2/4 = 1/2 and 0.5 = 1/2 compare exactly.
// Any overflow returns null and the caller falls back to double evaluation (no BigInteger: answers are small).
namespace Rethinker.Rewards.Expressions;

public readonly record struct Rational(long Num, long Den)
{
    public static Rational? Create(long num, long den)
    {
        if (den == 0) return null;
        if (den < 0) { if (num == long.MinValue || den == long.MinValue) return null; num = -num; den = -den; }
        long g = Gcd(Math.Abs(num), den);
        return g == 0 ? new Rational(0, 1) : new Rational(num / g, den / g);
    }

    static long Gcd(long a, long b) { while (b != 0) (a, b) = (b, a % b); return a; }

    public double ToDouble() => (double)Num / Den;
    public bool IsInteger => Den == 1;

    public static Rational? Add(Rational a, Rational b)
    {
        try { checked { return Create(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den); } }
        catch (OverflowException) { return null; }
    }

    public static Rational? Mul(Rational a, Rational b)
    {
        try { checked { return Create(a.Num * b.Num, a.Den * b.Den); } }
        catch (OverflowException) { return null; }
    }

    public static Rational? Div(Rational a, Rational b) => b.Num == 0 ? null : Create(b.Den, b.Num) is { } inv ? Mul(a, inv) : null;

    public static Rational? Pow(Rational a, long e)
    {
        if (e < 0) { if (a.Num == 0) return null; a = a.Num < 0 ? new Rational(-a.Den, -a.Num) : new Rational(a.Den, a.Num); e = -e; }
        if (e > 64) return a.Num is 0 or 1 && a.Den == 1 ? a : null;
        Rational? r = new Rational(1, 1);
        for (long i = 0; i < e && r is not null; i++) r = Mul(r.Value, a);
        return r;
    }

    /// <summary>Parses a plain decimal literal ("12.50", "-3", ".8") exactly; null when it has too many digits.</summary>
    public static Rational? FromDecimal(ReadOnlySpan<char> s)
    {
        bool neg = false; int i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+')) { neg = s[i] == '-'; i++; }
        long num = 0, den = 1; bool frac = false; int digits = 0;
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '.') { if (frac) return null; frac = true; continue; }
            if (c < '0' || c > '9') return null;
            if (++digits > 17) return null;
            num = num * 10 + (c - '0');
            if (frac) den *= 10;
        }
        return digits == 0 ? null : Create(neg ? -num : num, den);
    }

    public override string ToString() => Den == 1 ? Num.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Num}/{Den}";
}
