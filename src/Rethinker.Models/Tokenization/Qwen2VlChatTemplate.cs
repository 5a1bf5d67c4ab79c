// The Qwen2-VL chat template (chat_template.json of Qwen2-VL-*-Instruct) written out in C#, not a Jinja
// engine: a default system turn when the first message is not one, `<|im_start|>role\n…<|im_end|>\n` turns,
// images as <|vision_start|><|image_pad|>×(t·h·w/merge²)<|vision_end|> (the processor's expansion applied),
// and the generation prompt. Encode also returns TRL's assistant-token mask (assistant content + <|im_end|>).
using System.Text;

namespace Rethinker.Models.Tokenization;

public abstract record ChatContent;
public sealed record TextContent(string Text) : ChatContent;
/// <summary>An image whose processor output has the given grid (image_grid_thw row).</summary>
public sealed record ImageContent(int GridT, int GridH, int GridW) : ChatContent;
/// <summary>A video whose processor output has the given grid (video_grid_thw row).</summary>
public sealed record VideoContent(int GridT, int GridH, int GridW) : ChatContent;

public sealed record ChatMessage(string Role, IReadOnlyList<ChatContent> Content)
{
    public static ChatMessage System(string text) => new("system", [new TextContent(text)]);
    public static ChatMessage User(string text) => new("user", [new TextContent(text)]);
    public static ChatMessage Assistant(string text) => new("assistant", [new TextContent(text)]);
    public static ChatMessage User(params ChatContent[] parts) => new("user", parts);
}

/// <summary>Token ids of a rendered conversation; <see cref="AssistantMask"/>[i] is true for tokens of assistant
/// content and its closing &lt;|im_end|&gt; (the tokens an SFT loss trains on).</summary>
public sealed record ChatEncoding(int[] Ids, bool[] AssistantMask, string Text);

public sealed class Qwen2VlChatTemplate(BpeTokenizer tokenizer, int mergeSize = 2, string defaultSystemPrompt = Qwen2VlChatTemplate.DefaultSystemPrompt)
{
    public const string DefaultSystemPrompt = "You are a helpful assistant.";
    const string ImStart = "<|im_start|>", ImEnd = "<|im_end|>", VisionStart = "<|vision_start|>", VisionEnd = "<|vision_end|>";
    const string ImagePad = "<|image_pad|>", VideoPad = "<|video_pad|>";

    /// <summary>When true, "Picture k: " / "Video k: " precede each image / video (the template's add_vision_id).</summary>
    public bool AddVisionId { get; init; }

    /// <summary>Renders the conversation text with image pads expanded; <paramref name="assistantSpans"/> receives the
    /// (start, end) char ranges of assistant content + &lt;|im_end|&gt;.</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, List<(int Start, int End)>? assistantSpans = null)
    {
        var sb = new StringBuilder();
        int images = 0, videos = 0;
        for (int m = 0; m < messages.Count; m++)
        {
            var msg = messages[m];
            if (m == 0 && msg.Role != "system") sb.Append(ImStart).Append("system\n").Append(defaultSystemPrompt).Append(ImEnd).Append('\n');
            sb.Append(ImStart).Append(msg.Role).Append('\n');
            int contentStart = sb.Length;
            foreach (var part in msg.Content)
            {
                switch (part)
                {
                    case TextContent t: sb.Append(NfcNormalizer.Normalize(t.Text)); break;
                    case ImageContent i:
                        if (AddVisionId) sb.Append("Picture ").Append(++images).Append(": ");
                        AppendVision(sb, ImagePad, Pads(i.GridT, i.GridH, i.GridW, "image"));
                        break;
                    case VideoContent v:
                        if (AddVisionId) sb.Append("Video ").Append(++videos).Append(": ");
                        AppendVision(sb, VideoPad, Pads(v.GridT, v.GridH, v.GridW, "video"));
                        break;
                    default: throw new ArgumentException($"message {m}: unsupported content part {part.GetType().Name}");
                }
            }
            sb.Append(ImEnd);
            if (msg.Role == "assistant") assistantSpans?.Add((contentStart, sb.Length));
            sb.Append('\n');
        }
        if (addGenerationPrompt) sb.Append(ImStart).Append("assistant\n");
        return sb.ToString();
    }

    /// <summary>Renders and tokenises; the mask marks every token that covers a char of an assistant span, as
    /// transformers' return_assistant_tokens_mask does with TRL's {% generation %} blocks.</summary>
    public ChatEncoding Encode(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = false)
    {
        var spans = new List<(int Start, int End)>();
        string text = Render(messages, addGenerationPrompt, spans);
        int[] ids = tokenizer.Encode(text, addSpecialTokens: false);
        var mask = new bool[ids.Length];
        if (spans.Count == 0) return new ChatEncoding(ids, mask, text);

        // Text parts are NFC already, so the tokens' bytes concatenate to the UTF-8 of the text: token k covers
        // bytes [offset_k, offset_k + length_k). Map each span's chars to bytes and mark overlapping tokens.
        var byteSpans = spans.Select(s => (Start: Encoding.UTF8.GetByteCount(text.AsSpan(0, s.Start)), End: Encoding.UTF8.GetByteCount(text.AsSpan(0, s.End)))).ToArray();
        long offset = 0;
        int span = 0;
        for (int k = 0; k < ids.Length; k++)
        {
            int len = TokenByteLength(ids[k]);
            long end = offset + len;
            while (span < byteSpans.Length && byteSpans[span].End <= offset) span++;
            if (span < byteSpans.Length && byteSpans[span].Start < end && offset < byteSpans[span].End) mask[k] = true;
            offset = end;
        }
        return new ChatEncoding(ids, mask, text);
    }

    int TokenByteLength(int id)
    {
        string tok = tokenizer.IdToToken(id) ?? throw new InvalidOperationException($"token id {id} has no text");
        if (tokenizer.IsAdded(id)) return Encoding.UTF8.GetByteCount(tok);
        return tok.Length; // a byte-level token has one char per byte
    }

    int Pads(int t, int h, int w, string what)
    {
        long n = (long)t * h * w;
        int m2 = mergeSize * mergeSize;
        if (t <= 0 || h <= 0 || w <= 0 || n % m2 != 0)
            throw new ArgumentException($"{what} grid ({t}, {h}, {w}) must be positive with t·h·w divisible by merge_size² = {m2}");
        return checked((int)(n / m2));
    }

    static void AppendVision(StringBuilder sb, string pad, int count)
    {
        sb.Append(VisionStart);
        for (int i = 0; i < count; i++) sb.Append(pad);
        sb.Append(VisionEnd);
    }
}
