// The Qwen2-VL chat template: the exact prompt ids of the HF transformers 4.50 model fixtures (toy vocabulary:
// ids 0-255 are UTF-8 bytes, Qwen specials from 280; copied from ../shared/fixtures/hf-qwen-vl/*/manifest.json),
// the assistant mask, and the image pad count.
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class ChatTemplateTests
{
    // The fixtures' toy tokenizer: byte b has id b (no merges); specials keep Qwen's order from id 280.
    static BpeTokenizer ByteTokenizer()
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[ByteLevel.ByteToChar[b].ToString()] = b;
        string[] specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>",
            "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];
        var added = specials.Select((s, i) => new AddedToken(280 + i, s)).ToList();
        return new BpeTokenizer(new BpeModel(vocab, []), added, TokenizerPipeline.Qwen2);
    }

    static int[] Header => [281, 115, 121, 115, 116, 101, 109, 10, 89, 111, 117, 32, 97, 114, 101, 32, 97, 32, 104, 101, 108, 112, 102, 117, 108, 32, 97, 115, 115, 105, 115, 116, 97, 110, 116, 46, 282, 10, 281, 117, 115, 101, 114, 10];
    static int[] GenerationPrompt => [282, 10, 281, 97, 115, 115, 105, 115, 116, 97, 110, 116, 10];

    [Fact]
    public void TwoImages_MatchHfFixturePromptIds()
    {
        var template = new Qwen2VlChatTemplate(ByteTokenizer());
        var enc = template.Encode([ChatMessage.User(new ImageContent(1, 4, 6), new ImageContent(1, 2, 2), new TextContent("Compare."))], addGenerationPrompt: true);
        int[] expected = [.. Header, 289, 292, 292, 292, 292, 292, 292, 290, 289, 292, 290, 67, 111, 109, 112, 97, 114, 101, 46, .. GenerationPrompt];
        Assert.Equal(expected, enc.Ids);
        Assert.Equal(76, enc.Ids.Length);
        Assert.DoesNotContain(true, enc.AssistantMask);
    }

    [Fact]
    public void TextOnly_MatchesHfFixturePromptIds()
    {
        var template = new Qwen2VlChatTemplate(ByteTokenizer());
        var enc = template.Encode([ChatMessage.User("Hello there.")], addGenerationPrompt: true);
        int[] expected = [.. Header, 72, 101, 108, 108, 111, 32, 116, 104, 101, 114, 101, 46, .. GenerationPrompt];
        Assert.Equal(expected, enc.Ids);
    }

    [Fact]
    public void AssistantMask_CoversAssistantContentAndImEnd_Only()
    {
        var tok = TokenizerTestData.Qwen;
        var template = new Qwen2VlChatTemplate(tok);
        var enc = template.Encode([
            ChatMessage.System("Be brief."),
            ChatMessage.User(new ImageContent(1, 4, 4), new TextContent("What is 2+2?")),
            ChatMessage.Assistant("<think>2+2=4</think> \\boxed{4}"),
            ChatMessage.User("Sure?"),
            ChatMessage.Assistant("\nYes, 4."),
        ]);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n<|vision_start|>" + string.Concat(Enumerable.Repeat("<|image_pad|>", 4))
            + "<|vision_end|>What is 2+2?<|im_end|>\n<|im_start|>assistant\n<think>2+2=4</think> \\boxed{4}<|im_end|>\n<|im_start|>user\nSure?<|im_end|>\n"
            + "<|im_start|>assistant\n\nYes, 4.<|im_end|>\n", enc.Text);
        Assert.Equal(tok.Encode(enc.Text), enc.Ids);
        Assert.Equal(4, enc.Ids.Count(i => i == tok.RequireId("<|image_pad|>")));

        // The masked tokens decode to exactly the assistant turns' content with their <|im_end|>; the boundary token
        // "\n\n" (header newline + content newline) is one token and counts as assistant, as with TRL's char mask.
        string masked = tok.Decode(enc.Ids.Where((_, i) => enc.AssistantMask[i]).ToArray());
        Assert.Equal("<think>2+2=4</think> \\boxed{4}<|im_end|>\n\nYes, 4.<|im_end|>", masked);
        int imEnd = tok.RequireId("<|im_end|>");
        Assert.Equal(2, enc.Ids.Where((id, i) => id == imEnd && enc.AssistantMask[i]).Count());
        Assert.False(enc.AssistantMask[^1]); // the "\n" after the last <|im_end|>
    }

    [Fact]
    public void ImageGrid_NotDivisibleByMerge_IsRejected()
    {
        var template = new Qwen2VlChatTemplate(ByteTokenizer());
        var e = Assert.Throws<ArgumentException>(() => template.Render([ChatMessage.User(new ImageContent(1, 3, 3))], false));
        Assert.Contains("(1, 3, 3)", e.Message);
    }

    [Fact]
    public void ExplicitSystemMessage_ReplacesDefault_AndVisionIdsAreOptional()
    {
        var template = new Qwen2VlChatTemplate(ByteTokenizer()) { AddVisionId = true };
        string text = template.Render([ChatMessage.System("S"), ChatMessage.User(new ImageContent(2, 2, 2), new VideoContent(2, 2, 2))], addGenerationPrompt: false);
        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nPicture 1: <|vision_start|><|image_pad|><|image_pad|><|vision_end|>"
            + "Video 1: <|vision_start|><|video_pad|><|video_pad|><|vision_end|><|im_end|>\n", text);
    }
}
