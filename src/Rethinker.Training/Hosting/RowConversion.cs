// Dataset rows (DESIGN.md §7) → what the trainers consume: a GRPO prompt (chat template with the generation
// prompt, one <|image_pad|> per merged patch from the processor's smart_resize grid, the decoded images, the
// gold answer) or an SFT example (the same conversation plus the row's reasoning trace as the assistant turn,
// with the assistant-token mask). <image> placeholders place the images; images without one go first.
using Rethinker.Data.Rows;
using Rethinker.Models.Imaging;
using Rethinker.Models.Tokenization;
using Rethinker.Training.Prompts;
using Rethinker.Training.Sft;

namespace Rethinker.Training.Hosting;

/// <summary>Which trace of a row the SFT target is.</summary>
public enum TraceFormat { Think, Cot, LlavaCot, R1Vl }

public sealed class RowConversion(Qwen2VlChatTemplate template, QwenImageProcessorOptions processor, string baseDir, string systemPrompt = "",
    Func<string, RgbImage>? loadImage = null)
{
    readonly Func<string, RgbImage> load = loadImage ?? (path => ImageLoader.Load(path));

    public TrainingPrompt ToPrompt(DatasetRow row)
    {
        var (messages, images) = Conversation(row);
        var enc = template.Encode(messages, addGenerationPrompt: true);
        return new TrainingPrompt
        {
            Id = row.Id, PromptTokenIds = enc.Ids, Images = images, Answer = row.Answer, Question = row.Question,
            Choices = row.Choices ?? [], AnswerType = row.AnswerType,
        };
    }

    /// <summary>Null when the row has no trace of that format.</summary>
    public SftExample? ToSftExample(DatasetRow row, TraceFormat format)
    {
        string? trace = format switch
        {
            TraceFormat.Think => row.Traces?.Think,
            TraceFormat.Cot => row.Traces?.Cot,
            TraceFormat.LlavaCot => row.Traces?.LlavaCot,
            _ => row.Traces?.R1Vl,
        };
        if (string.IsNullOrEmpty(trace)) return null;
        var (messages, images) = Conversation(row);
        messages.Add(ChatMessage.Assistant(trace));
        var enc = template.Encode(messages, addGenerationPrompt: false);
        return new SftExample { Id = row.Id, TokenIds = enc.Ids, AssistantMask = enc.AssistantMask, Images = images };
    }

    (List<ChatMessage> Messages, RgbImage[] Images) Conversation(DatasetRow row)
    {
        var images = row.Images.Select(p => load(Path.IsPathRooted(p) ? p : Path.Combine(baseDir, p))).ToArray();
        List<ChatContent> parts;
        try { parts = ImagePlaceholders.UserParts(row.Question, images.Length, i => Image(images[i], row.Id)); }
        catch (ArgumentException e) { throw new InvalidDataException($"row {row.Id}: {e.Message}", e); }
        var messages = new List<ChatMessage>();
        if (systemPrompt.Length > 0) messages.Add(ChatMessage.System(systemPrompt));
        messages.Add(ChatMessage.User([.. parts]));
        return (messages, images);
    }

    /// <summary>The grid the processor will produce: smart_resize to multiples of patch × merge, T = 1 for a still image.</summary>
    ImageContent Image(RgbImage im, string rowId)
    {
        try
        {
            var (h, w) = QwenImageProcessor.PatchGrid(im.Height, im.Width, processor);
            return new ImageContent(1, h, w);
        }
        catch (ArgumentException e) { throw new InvalidDataException($"row {rowId}: image {im.Width}×{im.Height} cannot be processed: {e.Message}", e); }
    }
}
