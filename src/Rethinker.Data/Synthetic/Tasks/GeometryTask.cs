// Plane geometry from a labelled figure (ViRL39K's geometry questions at toy scale), drawn to measure:
// easy: perimeter of a square or rectangle; medium: rectangle area, third angle of a triangle;
// hard: hypotenuse of a right triangle (Pythagorean triples), base angle of an isosceles triangle.
using System.Text.Json.Nodes;
using Rethinker.Data.Synthetic.Drawing;
using static Rethinker.Data.Synthetic.Tasks.SceneKit;

namespace Rethinker.Data.Synthetic.Tasks;

public sealed class GeometryTask : ITaskFamily
{
    public string Name => "geometry";
    public string Category => "geometry";

    static readonly (int A, int B, int C)[] Triples = [(3, 4, 5), (6, 8, 10), (5, 12, 13), (8, 15, 17), (9, 12, 15), (12, 16, 20)];

    public TaskDraft Generate(SynthRng rng, int difficulty, int size)
    {
        string variant = difficulty switch
        {
            1 => rng.Chance(0.5) ? "square_perimeter" : "rect_perimeter",
            2 => rng.Chance(0.5) ? "rect_area" : "triangle_angle",
            _ => rng.Chance(0.5) ? "right_hypotenuse" : "isosceles_base_angle",
        };
        var fig = new Figure(size);
        fig.Scene["variant"] = variant;
        return variant switch
        {
            "square_perimeter" or "rect_perimeter" or "rect_area" => Rectangle(rng, variant, fig),
            "triangle_angle" => TriangleAngle(rng, fig),
            "right_hypotenuse" => RightHypotenuse(rng, fig),
            _ => IsoscelesBaseAngle(rng, fig),
        };
    }

    static TaskDraft Rectangle(SynthRng rng, string variant, Figure fig)
    {
        bool square = variant == "square_perimeter";
        int w = rng.Between(2, variant == "rect_area" ? 12 : 15), h = square ? w : rng.Between(2, variant == "rect_area" ? 12 : 15);
        while (!square && (h == w || Math.Max(w, h) > 3 * Math.Min(w, h))) h = rng.Between(2, variant == "rect_area" ? 12 : 15);
        int labelW = BitmapFont.Measure("00", fig.Scale).Width, labelH = BitmapFont.GlyphHeight * fig.Scale;
        int areaX0 = labelW + 6, areaY1 = fig.Size - labelH - 6;
        double k = Math.Min((fig.Size - 4 - areaX0) / (double)w, (areaY1 - 4) / (double)h) * (0.65 + 0.35 * rng.NextDouble());
        int pw = (int)Math.Round(w * k), ph = (int)Math.Round(h * k);
        int x0 = areaX0 + rng.Between(0, Math.Max(0, fig.Size - 4 - areaX0 - pw)), y0 = 4 + rng.Between(0, Math.Max(0, areaY1 - 4 - ph));
        fig.Canvas.StrokeRect(x0, y0, x0 + pw, y0 + ph, (int)fig.Stroke, Palette.Black);
        fig.Label(Inv(w), x0 + pw / 2.0, y0 + ph + 3 + labelH / 2.0);
        if (!square) fig.Label(Inv(h), x0 - 3 - BitmapFont.Measure(Inv(h), fig.Scale).Width / 2.0, y0 + ph / 2.0);
        fig.Scene["rect"] = new JsonObject { ["x0"] = x0, ["y0"] = y0, ["x1"] = x0 + pw, ["y1"] = y0 + ph };
        fig.Scene["unit_px"] = Math.Round(k, 4);
        fig.Scene["sides"] = new JsonObject { ["width"] = w, ["height"] = h };
        string shape = square ? "square" : "rectangle";
        int value; string q, summary, caption = square ? $"The image shows a square with a side labelled {Inv(w)}." : $"The image shows a rectangle with width {Inv(w)} and height {Inv(h)}.";
        List<string> steps, slip; List<IReadOnlyList<string>> keys; string verification; int wrong;
        if (variant == "rect_area")
        {
            value = w * h;
            q = "What is the area of the rectangle?";
            summary = "I need the rectangle's width and height, then multiply them.";
            steps = ["The area of a rectangle is width × height.", $"{Inv(w)} × {Inv(h)} = {Inv(value)}."];
            keys = [["width × height", "width times height"], [$"{Inv(w)} × {Inv(h)} = {Inv(value)}"]];
            verification = $"{Inv(value)} / {Inv(w)} = {Inv(h)}, which is the height.";
            wrong = w * h + (rng.Chance(0.5) ? w : -w);   // one row of squares too many or too few
            slip = [steps[0], $"{Inv(w)} × {Inv(h)} = {Inv(wrong)}."];
        }
        else
        {
            value = 2 * (w + h);
            q = $"What is the perimeter of the {shape}?";
            summary = $"I need the side lengths of the {shape} and add all four sides.";
            steps = square
                ? ["All four sides of a square are equal.", $"4 × {Inv(w)} = {Inv(value)}."]
                : ["The perimeter of a rectangle is 2 × (width + height).", $"{Inv(w)} + {Inv(h)} = {Inv(w + h)}.", $"2 × {Inv(w + h)} = {Inv(value)}."];
            keys = square ? [["sides of a square are equal", "four equal sides"], [$"4 × {Inv(w)} = {Inv(value)}"]]
                : [["2 × (width + height)"], [$"{Inv(w)} + {Inv(h)} = {Inv(w + h)}"], [$"2 × {Inv(w + h)} = {Inv(value)}"]];
            verification = $"adding the four sides one by one, {Inv(w)} + {Inv(h)} + {Inv(w)} + {Inv(h)} = {Inv(value)}.";
            if (square) { wrong = 3 * w; slip = [steps[0], $"3 × {Inv(w)} = {Inv(wrong)}."]; }
            else { wrong = w + h; slip = [$"The perimeter is width + height.", $"{Inv(w)} + {Inv(h)} = {Inv(wrong)}."]; }   // forgot to double
        }
        return fig.Draft(q, value, new Reasoning(summary, caption, steps, verification, slip, Inv(wrong), keys), rng);
    }

    static TaskDraft TriangleAngle(SynthRng rng, Figure fig)
    {
        int alpha, beta;
        do { alpha = 5 * rng.Between(7, 16); beta = 5 * rng.Between(7, 16); } while (180 - alpha - beta is < 30 or > 95);   // no flat triangles: labels need room
        int gamma = 180 - alpha - beta;
        var (a, b, c) = fig.FitTriangle(alpha, beta, rng);
        fig.StrokeTriangle(a, b, c);
        fig.AngleLabel(Inv(alpha), a, b, c);
        fig.AngleLabel(Inv(beta), b, c, a);
        fig.AngleLabel("?", c, a, b);
        fig.Scene["angles"] = new JsonArray(alpha, beta);
        int sum = alpha + beta;
        var steps = new List<string> { "The angles of a triangle add up to 180 degrees.", $"{Inv(alpha)} + {Inv(beta)} = {Inv(sum)}.", $"180 - {Inv(sum)} = {Inv(gamma)}." };
        int wrong = gamma + (rng.Chance(0.5) ? 10 : -10);
        var reasoning = new Reasoning("I need the two labelled angles and the angle sum of a triangle.",
            $"The image shows a triangle with two angles labelled {Inv(alpha)} and {Inv(beta)} degrees and the third angle marked with a question mark.",
            steps, $"{Inv(alpha)} + {Inv(beta)} + {Inv(gamma)} = 180, as the angles of a triangle must.",
            [steps[0], steps[1], $"180 - {Inv(sum)} = {Inv(wrong)}."], Inv(wrong),
            [["add up to 180", "sum to 180", "180 degrees"], [$"{Inv(alpha)} + {Inv(beta)} = {Inv(sum)}"], [$"180 - {Inv(sum)} = {Inv(gamma)}"]]);
        return fig.Draft("Two angles of the triangle are labelled in degrees. What is the angle marked with a question mark, in degrees?", gamma, reasoning, rng);
    }

    static TaskDraft IsoscelesBaseAngle(SynthRng rng, Figure fig)
    {
        int apex = 10 * rng.Between(3, 9), baseAngle = (180 - apex) / 2;
        var (a, b, c) = fig.FitTriangle(baseAngle, baseAngle, rng);
        fig.StrokeTriangle(a, b, c);
        fig.Tick(a, c); fig.Tick(b, c);
        fig.AngleLabel(Inv(apex), c, a, b);
        fig.AngleLabel("?", a, b, c);
        fig.Scene["apex_angle"] = apex;
        int rest = 180 - apex;
        var steps = new List<string> { "The two marked sides are equal, so the two base angles are equal.", $"180 - {Inv(apex)} = {Inv(rest)}.", $"{Inv(rest)} / 2 = {Inv(baseAngle)}." };
        var reasoning = new Reasoning("I need the apex angle, the angle sum of a triangle and the equal base angles of an isosceles triangle.",
            $"The image shows a triangle with two sides marked equal, the angle between them labelled {Inv(apex)} degrees and a base angle marked with a question mark.",
            steps, $"{Inv(baseAngle)} + {Inv(baseAngle)} + {Inv(apex)} = 180, so the angles add up correctly.",
            [steps[0], $"180 - {Inv(apex)} = {Inv(rest)}.", $"so each base angle is {Inv(rest)}."], Inv(rest),   // forgot to halve
            [["base angles are equal", "two equal angles"], [$"180 - {Inv(apex)} = {Inv(rest)}"], [$"{Inv(rest)} / 2 = {Inv(baseAngle)}"]]);
        return fig.Draft("The triangle has two equal sides (marked). What is the angle marked with a question mark, in degrees?", baseAngle, reasoning, rng);
    }

    static TaskDraft RightHypotenuse(SynthRng rng, Figure fig)
    {
        var t = rng.Pick(Triples);
        var (legV, legH) = rng.Chance(0.5) ? (t.A, t.B) : (t.B, t.A);
        int labelW = BitmapFont.Measure("00", fig.Scale).Width, labelH = BitmapFont.GlyphHeight * fig.Scale;
        double x0 = labelW + 6, yb = fig.Size - labelH - 6;
        double k = Math.Min((fig.Size - 6 - x0) / legH, (yb - 6) / legV) * (0.7 + 0.3 * rng.NextDouble());
        yb -= rng.Between(0, (int)(yb - 6 - legV * k));
        x0 += rng.Between(0, (int)(fig.Size - 6 - x0 - legH * k));
        var a = (X: x0, Y: yb); var b = (X: x0 + legH * k, Y: yb); var c = (X: x0, Y: yb - legV * k);
        fig.StrokeTriangle(a, b, c);
        double m = Math.Max(4, fig.Size / 14.0);
        fig.Canvas.StrokeRect((int)a.X, (int)(a.Y - m), (int)(a.X + m), (int)a.Y + 1, 1, Palette.Black);   // right-angle marker
        fig.Label(Inv(legV), x0 - 3 - BitmapFont.Measure(Inv(legV), fig.Scale).Width / 2.0, (a.Y + c.Y) / 2);
        fig.Label(Inv(legH), (a.X + b.X) / 2, yb + 3 + labelH / 2.0);
        fig.Label("?", (b.X + c.X) / 2 + labelH * 0.6, (b.Y + c.Y) / 2 - labelH * 0.6);
        fig.Scene["legs"] = new JsonArray(legV, legH);
        fig.Scene["unit_px"] = Math.Round(k, 4);
        int sq = legV * legV + legH * legH;
        string eq = $"{Inv(legV)}^2 + {Inv(legH)}^2 = {Inv(legV * legV)} + {Inv(legH * legH)} = {Inv(sq)}";
        var steps = new List<string> { "The triangle has a right angle, so by the Pythagorean theorem the hypotenuse squared equals the sum of the squares of the legs.", eq + ".", $"sqrt({Inv(sq)}) = {Inv(t.C)}." };
        int wrong = legV + legH;   // the classic slip: adding the legs
        var reasoning = new Reasoning("I need the two legs of the right triangle and the Pythagorean theorem.",
            $"The image shows a right triangle with legs labelled {Inv(legV)} and {Inv(legH)} and the hypotenuse marked with a question mark.",
            steps, $"{Inv(t.C)}^2 = {Inv(t.C * t.C)} = {Inv(legV * legV)} + {Inv(legH * legH)}, and {Inv(t.C)} is longer than both legs.",
            [steps[0], $"The hypotenuse is {Inv(legV)} + {Inv(legH)} = {Inv(wrong)}."], Inv(wrong),
            [["Pythagorean theorem", "Pythagoras"], [eq, $"= {Inv(sq)}"], [$"sqrt({Inv(sq)}) = {Inv(t.C)}"]]);
        return fig.Draft("The triangle has a right angle. What is the length of the side marked with a question mark?", t.C, reasoning, rng);
    }
}
