// The one rule for turning a question with "<image>" placeholders and its images into a user turn's parts, shared
// by training rows (Training.Hosting.RowConversion) and the `generate` prompt (VisionPromptBuilder): each
// placeholder takes the next image; images beyond the placeholders come first, in order (a question without any
// placeholder gets all its images before the text); more placeholders than images is an error naming both counts.
namespace Rethinker.Models.Tokenization;

public static class ImagePlaceholders
{
    public const string Token = "<image>";

    /// <param name="image">The chat part of one image (its patch grid), by index.</param>
    /// <exception cref="ArgumentException">More placeholders than images.</exception>
    public static List<ChatContent> UserParts(string question, int imageCount, Func<int, ChatContent> image)
    {
        string[] pieces = question.Split(Token);
        int placed = pieces.Length - 1;
        if (placed > imageCount)
            throw new ArgumentException($"the question has {placed} {Token} placeholders but {imageCount} images were given");
        var parts = new List<ChatContent>();
        int next = 0;
        for (; next < imageCount - placed; next++) parts.Add(image(next));
        for (int i = 0; i < pieces.Length; i++)
        {
            if (i > 0) parts.Add(image(next++));
            if (pieces[i].Length > 0) parts.Add(new TextContent(pieces[i]));
        }
        return parts;
    }
}
