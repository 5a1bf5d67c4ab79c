// Builds Qwen2-VL chat prompts from a question with <image> placeholders and its images: each placeholder becomes
// <|vision_start|><|image_pad|>×(merged patches)<|vision_end|> sized by the image processor's smart_resize, so the
// ids line up with what the vision tower will produce. With an assistant answer it yields SFT ids + loss mask.
using Rethinker.Models.Imaging;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Generation;

public sealed class VisionPromptBuilder(BpeTokenizer tokenizer, QwenImageProcessor processor, string? systemPrompt = null)
{
    public const string ImagePlaceholder = "<image>";
    readonly Qwen2VlChatTemplate _template = new(tokenizer, processor.Options.MergeSize);

    public BpeTokenizer Tokenizer => tokenizer;

    /// <summary>The grid (t, h, w) in patches the processor will give this image.</summary>
    public ImageContent GridOf(RgbImage image)
    {
        var o = processor.Options;
        var (h, w) = QwenImageProcessor.SmartResize(image.Height, image.Width, o.PatchSize * o.MergeSize, o.MinPixels, o.MaxPixels);
        return new ImageContent(1, h / o.PatchSize, w / o.PatchSize);
    }

    /// <summary>
    /// The prompt (generation prompt appended) when <paramref name="assistant"/> is null; else the full conversation
    /// with the assistant turn, whose tokens the mask marks. Placeholders beyond the images, or images beyond the
    /// placeholders, are an error naming both counts; a question with no placeholder gets its images first.
    /// </summary>
    public ChatEncoding Build(string question, IReadOnlyList<RgbImage> images, string? assistant = null)
    {
        var parts = new List<ChatContent>();
        var pieces = question.Split(ImagePlaceholder);
        int placeholders = pieces.Length - 1;
        if (placeholders == 0)
        {
            parts.AddRange(images.Select(GridOf));
            if (question.Length > 0) parts.Add(new TextContent(question));
        }
        else
        {
            if (placeholders != images.Count)
                throw new ArgumentException($"question has {placeholders} {ImagePlaceholder} placeholders but {images.Count} images were given");
            for (int i = 0; i < pieces.Length; i++)
            {
                if (pieces[i].Length > 0) parts.Add(new TextContent(pieces[i]));
                if (i < images.Count) parts.Add(GridOf(images[i]));
            }
        }
        var messages = new List<ChatMessage>();
        if (systemPrompt is not null) messages.Add(ChatMessage.System(systemPrompt));
        messages.Add(new ChatMessage("user", parts));
        if (assistant is null) return _template.Encode(messages, addGenerationPrompt: true);
        messages.Add(ChatMessage.Assistant(assistant));
        return _template.Encode(messages, addGenerationPrompt: false);
    }
}
