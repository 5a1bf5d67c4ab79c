// Named colours of the synthetic scenes. Saturated and far apart in RGB so that a tiny vision tower,
// after the processor's bicubic resize, can still tell them apart; the names are the question words.
namespace Rethinker.Data.Synthetic.Drawing;

public readonly record struct Rgb(byte R, byte G, byte B);

public static class Palette
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(20, 20, 20);
    public static readonly Rgb Grid = new(215, 215, 215);
    public static readonly Rgb Axis = new(60, 60, 60);

    /// <summary>The colours objects may have, by the name used in questions and scene descriptions.</summary>
    public static readonly IReadOnlyList<string> ShapeColors = ["red", "green", "blue", "yellow", "purple", "orange"];

    public static Rgb Of(string name) => name switch
    {
        "red" => new(220, 30, 30),
        "green" => new(30, 160, 50),
        "blue" => new(30, 70, 220),
        "yellow" => new(235, 200, 0),
        "purple" => new(140, 40, 180),
        "orange" => new(250, 130, 0),
        "black" => Black,
        "gray" => new(128, 128, 128),
        _ => throw new ArgumentException($"unknown colour '{name}'; known: {string.Join(", ", ShapeColors)}, black, gray"),
    };
}
