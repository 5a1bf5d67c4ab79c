// Our own 5×7 bitmap font for the synthetic images: digits, capital letters (lower case maps to upper) and
// the symbols the tasks draw (+ − = ? ° × . : ( ) / %). Scaled by whole pixels so strokes stay crisp;
// glyph advance is 6 font pixels (one blank column). No kerning, no anti-aliasing.
namespace Rethinker.Data.Synthetic.Drawing;

public static class BitmapFont
{
    public const int GlyphWidth = 5, GlyphHeight = 7, Advance = 6;

    /// <summary>Per glyph: 7 rows, bit 4 = leftmost column.</summary>
    static readonly Dictionary<char, byte[]> Glyphs = Build();

    public static bool Supports(char ch) => Glyphs.ContainsKey(char.ToUpperInvariant(ch)) || ch == ' ';

    /// <summary>Pixel size of <paramref name="text"/> at <paramref name="scale"/>: (width, height).</summary>
    public static (int Width, int Height) Measure(string text, int scale)
        => (text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale, GlyphHeight * scale);

    /// <summary>True when font pixel (col, row) of <paramref name="ch"/> is ink.</summary>
    public static bool Ink(char ch, int col, int row)
    {
        if (ch == ' ') return false;
        return (Lookup(ch)[row] >> (GlyphWidth - 1 - col) & 1) != 0;
    }

    public static void Draw(Canvas canvas, string text, int x, int y, int scale, Rgb c)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), $"font scale must be ≥ 1, got {scale}");
        foreach (char ch in text)
        {
            if (ch != ' ')
            {
                byte[] rows = Lookup(ch);
                for (int r = 0; r < GlyphHeight; r++)
                    for (int col = 0; col < GlyphWidth; col++)
                        if ((rows[r] >> (GlyphWidth - 1 - col) & 1) != 0)
                            canvas.FillRect(x + col * scale, y + r * scale, x + (col + 1) * scale, y + (r + 1) * scale, c);
            }
            x += Advance * scale;
        }
    }

    static byte[] Lookup(char ch) => Glyphs.TryGetValue(char.ToUpperInvariant(ch), out var g) ? g
        : throw new ArgumentException($"bitmap font has no glyph for '{ch}' (U+{(int)ch:X4})");

    static Dictionary<char, byte[]> Build()
    {
        // Each glyph: 7 rows of 5 columns, '#' = ink.
        var art = new Dictionary<char, string>
        {
            ['0'] = ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.",
            ['1'] = "..#..|.##..|..#..|..#..|..#..|..#..|.###.",
            ['2'] = ".###.|#...#|....#|...#.|..#..|.#...|#####",
            ['3'] = ".###.|#...#|....#|..##.|....#|#...#|.###.",
            ['4'] = "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.",
            ['5'] = "#####|#....|####.|....#|....#|#...#|.###.",
            ['6'] = "..##.|.#...|#....|####.|#...#|#...#|.###.",
            ['7'] = "#####|....#|...#.|..#..|.#...|.#...|.#...",
            ['8'] = ".###.|#...#|#...#|.###.|#...#|#...#|.###.",
            ['9'] = ".###.|#...#|#...#|.####|....#|...#.|.##..",
            ['A'] = ".###.|#...#|#...#|#####|#...#|#...#|#...#",
            ['B'] = "####.|#...#|#...#|####.|#...#|#...#|####.",
            ['C'] = ".###.|#...#|#....|#....|#....|#...#|.###.",
            ['D'] = "####.|#...#|#...#|#...#|#...#|#...#|####.",
            ['E'] = "#####|#....|#....|####.|#....|#....|#####",
            ['F'] = "#####|#....|#....|####.|#....|#....|#....",
            ['G'] = ".###.|#...#|#....|#.###|#...#|#...#|.####",
            ['H'] = "#...#|#...#|#...#|#####|#...#|#...#|#...#",
            ['I'] = ".###.|..#..|..#..|..#..|..#..|..#..|.###.",
            ['J'] = "..###|...#.|...#.|...#.|...#.|#..#.|.##..",
            ['K'] = "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#",
            ['L'] = "#....|#....|#....|#....|#....|#....|#####",
            ['M'] = "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#",
            ['N'] = "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#",
            ['O'] = ".###.|#...#|#...#|#...#|#...#|#...#|.###.",
            ['P'] = "####.|#...#|#...#|####.|#....|#....|#....",
            ['Q'] = ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#",
            ['R'] = "####.|#...#|#...#|####.|#.#..|#..#.|#...#",
            ['S'] = ".####|#....|#....|.###.|....#|....#|####.",
            ['T'] = "#####|..#..|..#..|..#..|..#..|..#..|..#..",
            ['U'] = "#...#|#...#|#...#|#...#|#...#|#...#|.###.",
            ['V'] = "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..",
            ['W'] = "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.",
            ['X'] = "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#",
            ['Y'] = "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..",
            ['Z'] = "#####|....#|...#.|..#..|.#...|#....|#####",
            ['+'] = ".....|..#..|..#..|#####|..#..|..#..|.....",
            ['-'] = ".....|.....|.....|#####|.....|.....|.....",
            ['='] = ".....|.....|#####|.....|#####|.....|.....",
            ['?'] = ".###.|#...#|....#|...#.|..#..|.....|..#..",
            ['°'] = ".##..|#..#.|#..#.|.##..|.....|.....|.....",
            ['×'] = ".....|#...#|.#.#.|..#..|.#.#.|#...#|.....",
            ['.'] = ".....|.....|.....|.....|.....|.##..|.##..",
            [':'] = ".....|.##..|.##..|.....|.##..|.##..|.....",
            ['('] = "...#.|..#..|.#...|.#...|.#...|..#..|...#.",
            [')'] = ".#...|..#..|...#.|...#.|...#.|..#..|.#...",
            ['/'] = "....#|....#|...#.|..#..|.#...|#....|#....",
            ['%'] = "##..#|##..#|...#.|..#..|.#...|#..##|#..##",
        };
        var glyphs = new Dictionary<char, byte[]>();
        foreach (var (ch, pattern) in art)
        {
            var rows = pattern.Split('|');
            if (rows.Length != GlyphHeight || rows.Any(r => r.Length != GlyphWidth))
                throw new InvalidOperationException($"glyph '{ch}' is not {GlyphWidth}×{GlyphHeight}");
            glyphs[ch] = rows.Select(r => (byte)r.Aggregate(0, (acc, p) => acc << 1 | (p == '#' ? 1 : 0))).ToArray();
        }
        return glyphs;
    }
}
