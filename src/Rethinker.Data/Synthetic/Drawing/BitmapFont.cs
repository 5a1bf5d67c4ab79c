// Our own 5×7 bitmap font for the synthetic images: digits, capital letters (lower case maps to upper) and
// the symbols the tasks draw (+ − = ? ° × . : ( ) / %). Scaled by whole pixels so strokes stay crisp; no
// kerning, no anti-aliasing. Text sits on a grid of square character cells, 7 font pixels a side, anchored at
// the image's top-left corner: a glyph fills its cell's height and is centred in its width. At scale 2 a cell is
// exactly one 14-px vision patch (at scale 1, a quarter of one), so every glyph reaches the vision tower at one
// of a few fixed offsets inside a patch. Measured (stop 13): a from-scratch tiny tower learns glyphs at fixed
// offsets within tens of steps, while text at free pixel offsets stayed at chance through the whole SFT budget.
namespace Rethinker.Data.Synthetic.Drawing;

public static class BitmapFont
{
    public const int GlyphWidth = 5, GlyphHeight = 7;
    /// <summary>Side of a character cell in font pixels, also the advance from one glyph to the next.</summary>
    public const int Advance = 7;
    /// <summary>Blank font pixels left of a glyph inside its cell.</summary>
    public const int LeftMargin = (Advance - GlyphWidth) / 2;

    /// <summary>Per glyph: 7 rows, bit 4 = leftmost column.</summary>
    static readonly Dictionary<char, byte[]> Glyphs = Build();

    public static bool Supports(char ch) => Glyphs.ContainsKey(char.ToUpperInvariant(ch)) || ch == ' ';

    /// <summary>Ink extent of <paramref name="text"/> at <paramref name="scale"/>: (width, height).</summary>
    public static (int Width, int Height) Measure(string text, int scale)
        => (text.Length == 0 ? 0 : (text.Length * Advance - 2 * LeftMargin) * scale, GlyphHeight * scale);

    /// <summary>
    /// Where <see cref="Draw"/> puts text asked for at (x, y): the ink's top-left corner moved to the nearest cell
    /// (at most half a cell each way), kept on a canvas of <paramref name="width"/> × <paramref name="height"/>.
    /// </summary>
    public static (int X, int Y) Snap(string text, int x, int y, int scale, int width, int height)
    {
        int cell = Advance * scale, margin = LeftMargin * scale;
        int maxCol = Math.Max(0, width / cell - text.Length), maxRow = Math.Max(0, height / cell - 1);
        int col = Math.Clamp((int)Math.Round((x - margin) / (double)cell), 0, maxCol);
        int row = Math.Clamp((int)Math.Round(y / (double)cell), 0, maxRow);
        return (col * cell + margin, row * cell);
    }

    /// <summary>True when font pixel (col, row) of <paramref name="ch"/> is ink.</summary>
    public static bool Ink(char ch, int col, int row)
    {
        if (ch == ' ') return false;
        return (Lookup(ch)[row] >> (GlyphWidth - 1 - col) & 1) != 0;
    }

    /// <summary>Draws <paramref name="text"/> snapped to the cell grid (<see cref="Snap"/>); returns the ink's top-left corner.</summary>
    public static (int X, int Y) Draw(Canvas canvas, string text, int x, int y, int scale, Rgb c)
    {
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), $"font scale must be ≥ 1, got {scale}");
        foreach (char ch in text) if (ch != ' ') Lookup(ch);   // an unsupported glyph fails before anything is drawn
        (x, y) = Snap(text, x, y, scale, canvas.Width, canvas.Height);
        var origin = (x, y);
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
        return origin;
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
