// A raster canvas for the synthetic tasks: 8-bit RGB, interleaved, row-major (the layout PngEncoder and
// RgbImage use). Primitives decide coverage at pixel centres (x + 0.5, y + 0.5), without anti-aliasing,
// so that shapes have exact colours (tests find objects by colour) and rendering is bit-exact per seed.
using Rethinker.Models.Imaging;

namespace Rethinker.Data.Synthetic.Drawing;

public sealed class Canvas
{
    public int Width { get; }
    public int Height { get; }
    /// <summary>(Height, Width, 3) bytes.</summary>
    public byte[] Pixels { get; }

    public Canvas(int width, int height, Rgb background)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"canvas size must be positive, got {width}×{height}");
        Width = width; Height = height;
        Pixels = new byte[width * height * 3];
        Clear(background);
    }

    public void Clear(Rgb c)
    {
        var row = Pixels.AsSpan(0, Width * 3);
        for (int x = 0; x < Width; x++) { row[3 * x] = c.R; row[3 * x + 1] = c.G; row[3 * x + 2] = c.B; }
        for (int y = 1; y < Height; y++) row.CopyTo(Pixels.AsSpan(y * Width * 3));
    }

    public Rgb Get(int x, int y) { int i = (y * Width + x) * 3; return new(Pixels[i], Pixels[i + 1], Pixels[i + 2]); }

    public void Set(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Pixels[i] = c.R; Pixels[i + 1] = c.G; Pixels[i + 2] = c.B;
    }

    /// <summary>Fills pixels x0 ≤ x &lt; x1, y0 ≤ y &lt; y1 (clipped).</summary>
    public void FillRect(int x0, int y0, int x1, int y1, Rgb c)
    {
        x0 = Math.Max(0, x0); y0 = Math.Max(0, y0); x1 = Math.Min(Width, x1); y1 = Math.Min(Height, y1);
        if (x0 >= x1 || y0 >= y1) return;
        var span = Pixels.AsSpan((y0 * Width + x0) * 3, (x1 - x0) * 3);
        for (int x = 0; x < x1 - x0; x++) { span[3 * x] = c.R; span[3 * x + 1] = c.G; span[3 * x + 2] = c.B; }
        for (int y = y0 + 1; y < y1; y++) span.CopyTo(Pixels.AsSpan((y * Width + x0) * 3));
    }

    /// <summary>Outline of the rectangle [x0, x1) × [y0, y1), <paramref name="t"/> pixels thick, drawn inside.</summary>
    public void StrokeRect(int x0, int y0, int x1, int y1, int t, Rgb c)
    {
        FillRect(x0, y0, x1, y0 + t, c);
        FillRect(x0, y1 - t, x1, y1, c);
        FillRect(x0, y0, x0 + t, y1, c);
        FillRect(x1 - t, y0, x1, y1, c);
    }

    /// <summary>Disc of radius r around (cx, cy): pixels whose centre lies within r.</summary>
    public void FillCircle(double cx, double cy, double r, Rgb c) => Ring(cx, cy, -1, r, c);

    /// <summary>Circle outline: pixels whose centre lies between r − t and r.</summary>
    public void StrokeCircle(double cx, double cy, double r, double t, Rgb c) => Ring(cx, cy, r - t, r, c);

    void Ring(double cx, double cy, double rIn, double rOut, Rgb c)
    {
        int y0 = Math.Max(0, (int)Math.Floor(cy - rOut)), y1 = Math.Min(Height - 1, (int)Math.Ceiling(cy + rOut));
        int x0 = Math.Max(0, (int)Math.Floor(cx - rOut)), x1 = Math.Min(Width - 1, (int)Math.Ceiling(cx + rOut));
        double in2 = rIn < 0 ? -1 : rIn * rIn, out2 = rOut * rOut;
        for (int y = y0; y <= y1; y++)
        {
            double dy = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++)
            {
                double dx = x + 0.5 - cx, d2 = dx * dx + dy * dy;
                if (d2 <= out2 && d2 > in2) Set(x, y, c);
            }
        }
    }

    /// <summary>Solid triangle: pixels whose centre is inside or on an edge (either winding).</summary>
    public void FillTriangle(double ax, double ay, double bx, double by, double qx, double qy, Rgb c)
    {
        double area = Edge(ax, ay, bx, by, qx, qy);
        if (area == 0) return;
        double sign = Math.Sign(area);
        int y0 = Math.Max(0, (int)Math.Floor(Math.Min(ay, Math.Min(by, qy)))), y1 = Math.Min(Height - 1, (int)Math.Ceiling(Math.Max(ay, Math.Max(by, qy))));
        int x0 = Math.Max(0, (int)Math.Floor(Math.Min(ax, Math.Min(bx, qx)))), x1 = Math.Min(Width - 1, (int)Math.Ceiling(Math.Max(ax, Math.Max(bx, qx))));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                if (sign * Edge(ax, ay, bx, by, px, py) >= 0 && sign * Edge(bx, by, qx, qy, px, py) >= 0 && sign * Edge(qx, qy, ax, ay, px, py) >= 0)
                    Set(x, y, c);
            }
    }

    public void StrokeTriangle(double ax, double ay, double bx, double by, double qx, double qy, double t, Rgb c)
    {
        ThickLine(ax, ay, bx, by, t, c);
        ThickLine(bx, by, qx, qy, t, c);
        ThickLine(qx, qy, ax, ay, t, c);
    }

    static double Edge(double ax, double ay, double bx, double by, double px, double py) => (bx - ax) * (py - ay) - (by - ay) * (px - ax);

    /// <summary>One-pixel line between pixel (x0, y0) and (x1, y1), both ends included (Bresenham).</summary>
    public void Line(int x0, int y0, int x1, int y1, Rgb c)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true)
        {
            Set(x0, y0, c);
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Segment of width t with round caps: pixels whose centre is within t/2 of the segment.</summary>
    public void ThickLine(double ax, double ay, double bx, double by, double t, Rgb c)
    {
        double h = t / 2, vx = bx - ax, vy = by - ay, len2 = vx * vx + vy * vy;
        int y0 = Math.Max(0, (int)Math.Floor(Math.Min(ay, by) - h)), y1 = Math.Min(Height - 1, (int)Math.Ceiling(Math.Max(ay, by) + h));
        int x0 = Math.Max(0, (int)Math.Floor(Math.Min(ax, bx) - h)), x1 = Math.Min(Width - 1, (int)Math.Ceiling(Math.Max(ax, bx) + h));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double px = x + 0.5 - ax, py = y + 0.5 - ay;
                double u = len2 == 0 ? 0 : Math.Clamp((px * vx + py * vy) / len2, 0, 1);
                double ex = px - u * vx, ey = py - u * vy;
                if (ex * ex + ey * ey <= h * h) Set(x, y, c);
            }
    }

    /// <summary>Draws text with the bitmap font near (x, y), snapped to its character-cell grid, each font pixel a
    /// scale×scale block; returns where the ink's top-left corner landed (what a scene description should record).</summary>
    public (int X, int Y) DrawText(string text, int x, int y, int scale, Rgb c) => BitmapFont.Draw(this, text, x, y, scale, c);

    public byte[] EncodePng() => PngEncoder.Encode(Pixels, Width, Height, 3);

    public RgbImage ToImage() => RgbImage.Create(Width, Height, (byte[])Pixels.Clone());
}
