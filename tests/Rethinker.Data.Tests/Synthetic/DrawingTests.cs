// Canvas primitives (coverage at pixel centres), the bitmap font, and the seeded RNG.
using Rethinker.Data.Synthetic;
using Rethinker.Data.Synthetic.Drawing;

namespace Rethinker.Data.Tests.Synthetic;

public class DrawingTests
{
    static readonly Rgb Red = Palette.Of("red");

    static int CountColor(Canvas c, Rgb color)
    {
        int n = 0;
        for (int y = 0; y < c.Height; y++) for (int x = 0; x < c.Width; x++) if (c.Get(x, y) == color) n++;
        return n;
    }

    [Fact]
    public void FillRect_CoversExactlyTheHalfOpenRange_AndClips()
    {
        var c = new Canvas(20, 10, Palette.White);
        c.FillRect(2, 3, 7, 5, Red);
        Assert.Equal(10, CountColor(c, Red));
        Assert.Equal(Red, c.Get(2, 3)); Assert.Equal(Red, c.Get(6, 4)); Assert.Equal(Palette.White, c.Get(7, 4));
        c.FillRect(-5, -5, 100, 1, Red);
        Assert.Equal(10 + 20, CountColor(c, Red));
    }

    [Fact]
    public void StrokeRect_DrawsTheBorderOnly()
    {
        var c = new Canvas(20, 20, Palette.White);
        c.StrokeRect(2, 2, 12, 10, 1, Red);
        Assert.Equal(2 * 10 + 2 * 6, CountColor(c, Red));
        Assert.Equal(Palette.White, c.Get(6, 6));
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(12.5)]
    [InlineData(30.0)]
    public void FillCircle_AreaApproachesPiRSquared(double r)
    {
        var c = new Canvas(80, 80, Palette.White);
        c.FillCircle(40, 40, r, Red);
        Assert.Equal(Math.PI * r * r, CountColor(c, Red), Math.PI * r * r * 0.08 + 4);
        Assert.Equal(Red, c.Get(40, 40)); Assert.Equal(Palette.White, c.Get(40, (int)(40 + r + 1)));
    }

    [Fact]
    public void StrokeCircle_IsARing()
    {
        var c = new Canvas(60, 60, Palette.White);
        c.StrokeCircle(30, 30, 20, 2, Red);
        Assert.Equal(Math.PI * (400 - 324), CountColor(c, Red), 25.0);
        Assert.Equal(Palette.White, c.Get(30, 30));
    }

    [Fact]
    public void FillTriangle_AreaMatchesShoelace_EitherWinding()
    {
        foreach (var (a, b) in new[] { ((5.0, 5.0), (55.0, 10.0)), ((55.0, 10.0), (5.0, 5.0)) })
        {
            var c = new Canvas(64, 64, Palette.White);
            c.FillTriangle(a.Item1, a.Item2, b.Item1, b.Item2, 20, 60, Red);
            double area = Math.Abs((b.Item1 - a.Item1) * (60 - a.Item2) - (b.Item2 - a.Item2) * (20 - a.Item1)) / 2;
            Assert.Equal(area, CountColor(c, Red), area * 0.05);
        }
    }

    [Fact]
    public void Line_IncludesBothEnds_AndThickLineHasItsWidth()
    {
        var c = new Canvas(30, 30, Palette.White);
        c.Line(1, 1, 20, 8, Red);
        Assert.Equal(Red, c.Get(1, 1)); Assert.Equal(Red, c.Get(20, 8));
        Assert.Equal(20, CountColor(c, Red));   // one pixel per column of the major axis
        var t = new Canvas(40, 20, Palette.White);
        t.ThickLine(5, 10, 35, 10, 4, Red);
        for (int x = 8; x < 32; x++) Assert.Equal(4, Enumerable.Range(0, 20).Count(y => t.Get(x, y) == Red));
    }

    [Theory]
    [InlineData(56, 1)]
    [InlineData(112, 2)]
    public void Text_LandsOnTheCharacterCellGrid_OneGlyphPerCell(int size, int scale)
    {
        int cell = BitmapFont.Advance * scale;
        var rng = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var c = new Canvas(size, size, Palette.White);
            string text = rng.Next(10, 1000).ToString();
            var (x0, y0) = c.DrawText(text, rng.Next(-5, size), rng.Next(-5, size), scale, Palette.Black);
            Assert.Equal(0, y0 % cell);
            Assert.Equal(BitmapFont.LeftMargin * scale, x0 % cell);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    if (c.Get(x, y) != Palette.Black) continue;
                    int k = (x - (x0 - BitmapFont.LeftMargin * scale)) / cell;   // the glyph this ink belongs to
                    Assert.InRange(k, 0, text.Length - 1);
                    Assert.True(BitmapFont.Ink(text[k], (x - x0 - k * cell) / scale, (y - y0) / scale), $"stray ink at ({x}, {y}) for '{text}'");
                }
        }
    }

    [Fact]
    public void Font_GlyphsAreDistinct_AndScaledTextHasTheMeasuredSize()
    {
        const string chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ+-=?°×.:()/%";
        var patterns = chars.Select(ch => string.Concat(Enumerable.Range(0, 35).Select(i => BitmapFont.Ink(ch, i % 5, i / 5) ? '#' : '.'))).ToList();
        Assert.Equal(chars.Length, patterns.Distinct().Count());
        var c = new Canvas(100, 40, Palette.White);
        var origin = c.DrawText("7+5", 3, 4, 3, Palette.Black);      // cells of 21 px: snaps to column 0, row 0
        Assert.Equal((3, 0), origin);
        var (w, h) = BitmapFont.Measure("7+5", 3);
        Assert.Equal((57, 21), (w, h));
        int minX = 100, maxX = 0, minY = 40, maxY = 0;
        for (int y = 0; y < 40; y++) for (int x = 0; x < 100; x++)
            if (c.Get(x, y) == Palette.Black) { minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); minY = Math.Min(minY, y); maxY = Math.Max(maxY, y); }
        Assert.Equal((origin.X, origin.X + w - 1, origin.Y, origin.Y + h - 1), (minX, maxX, minY, maxY));
        Assert.True(BitmapFont.Supports('a') && BitmapFont.Supports(' ') && !BitmapFont.Supports('€'));
        Assert.Contains("U+20AC", Assert.Throws<ArgumentException>(() => c.DrawText("€", 0, 0, 1, Palette.Black)).Message);
    }

    [Fact]
    public void Rng_IsDeterministic_Uniform_AndStreamsDiffer()
    {
        var a = SynthRng.ForExample(1, 0, 5); var b = SynthRng.ForExample(1, 0, 5); var c = SynthRng.ForExample(1, 0, 6);
        var xa = Enumerable.Range(0, 50).Select(_ => a.NextUInt64()).ToList();
        Assert.Equal(xa, Enumerable.Range(0, 50).Select(_ => b.NextUInt64()));
        Assert.NotEqual(xa, Enumerable.Range(0, 50).Select(_ => c.NextUInt64()));
        var r = new SynthRng(42);
        var counts = new int[7];
        for (int i = 0; i < 70000; i++) counts[r.Next(7)]++;
        double chi2 = counts.Sum(n => (n - 10000.0) * (n - 10000.0) / 10000.0);
        Assert.True(chi2 < 22.5, $"chi² {chi2} with 6 d.o.f. (p < 0.001 bound 22.46)");
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.InRange(r.Between(-3, 4), -3, 4));
        var s = r.Sample(10, 10);
        Assert.Equal(Enumerable.Range(0, 10), s.Order());
    }
}
