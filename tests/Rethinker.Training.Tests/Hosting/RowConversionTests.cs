using Rethinker.Data.Rows;
using Rethinker.Models.Imaging;
using Rethinker.Models.Tokenization;
using Rethinker.Training.Hosting;

namespace Rethinker.Training.Tests.Hosting;

public class RowConversionTests
{
    static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>"];
    static readonly Lazy<BpeTokenizer> Tok = new(() =>
    {
        var t = new BpeTrainer(new BpeTrainerOptions(400, Specials));
        t.Feed("system user assistant You are a helpful assistant. How many circles? Count them: there are 3 circles. Wait, recount. \\boxed{3}");
        return t.Train();
    });

    static RowConversion Conversion(string system = "") => new(new Qwen2VlChatTemplate(Tok.Value), new QwenImageProcessorOptions(), "/data", system,
        path => path == "/data/img/a.png" ? RgbImage.Create(84, 56, new byte[84 * 56 * 3]) : throw new FileNotFoundException(path));

    static DatasetRow Row(string question, params string[] images) => new()
    {
        Id = "r1", Question = question, Answer = "3", Images = images,
        Traces = new ReasoningTraces { Think = "<think>there are 3 circles</think> \\boxed{3}" },
    };

    [Fact]
    public void Prompt_ExpandsImagePadsPerMergedPatchAndEndsWithGenerationPrompt()
    {
        var p = Conversion().ToPrompt(Row("Count: <image> How many circles?", "img/a.png"));
        int pad = Tok.Value.RequireId("<|image_pad|>");
        // 56×84 → smart_resize keeps it (multiples of 28) → grid 4×6 patches → 24 / (2×2) = 6 merged tokens.
        Assert.Equal(6, p.PromptTokenIds.Count(id => id == pad));
        string text = Tok.Value.Decode(p.PromptTokenIds);
        Assert.StartsWith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nCount: <|vision_start|><|image_pad|>", text);
        Assert.EndsWith("<|vision_end|> How many circles?<|im_end|>\n<|im_start|>assistant\n", text);
        Assert.Single(p.Images);
        Assert.Equal("3", p.Answer);
    }

    [Fact]
    public void SftExample_MasksExactlyTheAssistantTurn()
    {
        var ex = Conversion("Think first.").ToSftExample(Row("<image>How many circles?", "img/a.png"), TraceFormat.Think)!;
        var assistant = ex.TokenIds.Where((_, i) => ex.AssistantMask[i]).ToArray();
        Assert.Equal("<think>there are 3 circles</think> \\boxed{3}<|im_end|>", Tok.Value.Decode(assistant));
        Assert.StartsWith("<|im_start|>system\nThink first.<|im_end|>", Tok.Value.Decode(ex.TokenIds));
        Assert.Null(Conversion().ToSftExample(Row("q"), TraceFormat.LlavaCot));
    }

    [Fact]
    public void UnplacedImagesLead_TooManyPlaceholdersIsAnError()
    {
        string text = Tok.Value.Decode(Conversion().ToPrompt(Row("How many circles?", "img/a.png")).PromptTokenIds);
        Assert.Contains("user\n<|vision_start|>", text);
        var e = Assert.Throws<InvalidDataException>(() => Conversion().ToPrompt(Row("<image> and <image>", "img/a.png")));
        Assert.Contains("r1", e.Message);
    }
}
