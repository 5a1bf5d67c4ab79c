// Drawing kit for the geometry family: outlined polygons with a stroke width, centred number labels,
// equal-side tick marks, and triangles fitted to the canvas from two base angles. Every label and vertex
// goes into the scene description, so tests can re-measure the figure (angles from vertices, lengths / unit).
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;
using static Rethinker.Data.Synthetic.Tasks.SceneKit;

namespace Rethinker.Data.Synthetic.Tasks;

internal sealed class Figure
{
    public int Size { get; }
    public int Scale { get; }
    public double Stroke { get; }
    public Canvas Canvas { get; }
    public JsonObject Scene { get; }
    readonly JsonArray labels = [];

    public Figure(int size)
    {
        Size = size;
        Scale = FontScale(size);
        Stroke = Math.Max(1, size / 56);
        Canvas = new Canvas(size, size, Palette.White);
        Scene = new JsonObject { ["type"] = "geometry", ["width"] = size, ["height"] = size, ["labels"] = labels };
    }

    /// <summary>Text centred on (cx, cy), kept inside the canvas.</summary>
    public void Label(string text, double cx, double cy)
    {
        var (w, h) = BitmapFont.Measure(text, Scale);
        int x = Math.Clamp((int)Math.Round(cx - w / 2.0), 0, Size - w), y = Math.Clamp((int)Math.Round(cy - h / 2.0), 0, Size - h);
        (x, y) = Canvas.DrawText(text, x, y, Scale, Palette.Black);
        labels.Add(new JsonObject { ["text"] = text, ["x"] = x, ["y"] = y });
    }

    public void StrokeTriangle((double X, double Y) a, (double X, double Y) b, (double X, double Y) c)
    {
        Canvas.StrokeTriangle(a.X, a.Y, b.X, b.Y, c.X, c.Y, Stroke, Palette.Black);
        Scene["vertices"] = new JsonArray(Point(a), Point(b), Point(c));
    }

    static JsonArray Point((double X, double Y) p) => new(Math.Round(p.X, 3), Math.Round(p.Y, 3));

    /// <summary>Label for the angle at <paramref name="v"/>: on the way from the vertex to the incentre, inside the triangle.</summary>
    public void AngleLabel(string text, (double X, double Y) v, (double X, double Y) p, (double X, double Y) q)
    {
        double la = Dist(p, q), lb = Dist(v, q), lc = Dist(v, p), per = la + lb + lc;
        double ix = (la * v.X + lb * p.X + lc * q.X) / per, iy = (la * v.Y + lb * p.Y + lc * q.Y) / per;
        Label(text, v.X + (ix - v.X) * 0.62, v.Y + (iy - v.Y) * 0.62);
    }

    /// <summary>A short stroke across the middle of segment pq: the "equal sides" mark.</summary>
    public void Tick((double X, double Y) p, (double X, double Y) q)
    {
        double mx = (p.X + q.X) / 2, my = (p.Y + q.Y) / 2, len = Dist(p, q), nx = -(q.Y - p.Y) / len, ny = (q.X - p.X) / len, h = Size / 24.0;
        Canvas.ThickLine(mx - nx * h, my - ny * h, mx + nx * h, my + ny * h, Stroke, Palette.Black);
    }

    /// <summary>Triangle A (left) B (right) on a horizontal base, C above, with angles α at A and β at B, 75–100% of the canvas, placed at random.</summary>
    public ((double X, double Y) A, (double X, double Y) B, (double X, double Y) C) FitTriangle(int alphaDeg, int betaDeg, SynthRng rng)
    {
        double ta = Math.Tan(alphaDeg * Math.PI / 180), tb = Math.Tan(betaDeg * Math.PI / 180);
        double cx = tb / (ta + tb), h = cx * ta;            // base of length 1, C = (cx, h) with y up
        double margin = Stroke + 3, avail = Size - 2 * margin;
        double k = Math.Min(avail, avail / h) * (0.75 + 0.25 * rng.NextDouble());   // random size and place: no two figures alike
        double x0 = margin + (avail - k) * rng.NextDouble(), yb = Size - margin - (avail - h * k) * rng.NextDouble();
        return ((x0, yb), (x0 + k, yb), (x0 + cx * k, yb - h * k));
    }

    public TaskDraft Draft(string question, int value, Reasoning reasoning, SynthRng rng)
        => new(question, Inv(value), AnswerKind.Number, NumericDistractors(rng, value), reasoning, Scene, Canvas);

    static double Dist((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
