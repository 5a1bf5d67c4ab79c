// Builds Qwen2-VL chat prompts from a question with <image> placeholders and its images: each placeholder becomes
// <|vision_start|><|image_pad|>×(merged patches)<|vision_end|> sized by the image processor's smart_resize, so the
// ids line up with what the vision tower will produce. With an assistant answer it yields SFT ids + loss mask.
using Rethinker.Models.Imaging;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Generation;

public sealed class VisionPromptBuilder(BpeTokenizer tokenizer, QwenImageProcessor processor, string? systemPrompt = null)
{
    readonly Qwen2VlChatTemplate _template = new(tokenizer, processor.Options.MergeSize);

    public BpeTokenizer Tokenizer => tokenizer;

    /// <summary>The grid (t, h, w) in patches the processor will give this image.</summary>
    public ImageContent GridOf(RgbImage image)
    {
        var (h, w) = QwenImageProcessor.PatchGrid(image.Height, image.Width, processor.Options);
        return new ImageContent(1, h, w);
    }

    /// <summary>
    /// The prompt (generation prompt appended) when <paramref name="assistant"/> is null; else the full conversation
    /// with the assistant turn, whose tokens the mask marks. Images are placed by <see cref="ImagePlaceholders"/>.
    /// </summary>
    public ChatEncoding Build(string question, IReadOnlyList<RgbImage> images, string? assistant = null)
    {
        var parts = ImagePlaceholders.UserParts(question, images.Count, i => GridOf(images[i]));
        var messages = new List<ChatMessage>();
        if (systemPrompt is not null) messages.Add(ChatMessage.System(systemPrompt));
        messages.Add(new ChatMessage("user", parts));
        if (assistant is null) return _template.Encode(messages, addGenerationPrompt: true);
        messages.Add(ChatMessage.Assistant(assistant));
        return _template.Encode(messages, addGenerationPrompt: false);
    }
}
