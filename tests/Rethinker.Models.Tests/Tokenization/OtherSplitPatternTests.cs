// The cl100k / Llama 3 split (\p{N}{1,3}) and GPT-2's ByteLevel(use_regex) split on the Qwen vocabulary, against
// HF's Rust tokenizer on 739 corpus strings (TestData/tokenizer/other_splits.jsonl); likewise a TemplateProcessing
// post-processor's special tokens around the ids.
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class OtherSplitPatternTests
{
    [Theory]
    [InlineData("cl100k", SplitPatternKind.Cl100k)]
    [InlineData("gpt2", SplitPatternKind.Gpt2)]
    public void SplitPattern_MatchesHuggingFaceIds(string key, SplitPatternKind kind)
    {
        var qwen = TokenizerTestData.Qwen;
        var tok = new BpeTokenizer(qwen.Model, qwen.AddedTokens, qwen.Pipeline with { Split = kind });
        int n = 0;
        foreach (var row in TokenizerTestData.ReadJsonl("other_splits.jsonl"))
        {
            string text = row.GetProperty("text").GetString()!;
            Assert.True(TokenizerTestData.Ids(row.GetProperty(key)).AsSpan().SequenceEqual(tok.Encode(text)), $"{key}: {System.Text.Json.JsonSerializer.Serialize(text)}");
            n++;
        }
        Assert.True(n > 700);
    }

    [Fact]
    public void TemplateProcessing_WrapsEncodings_AsHuggingFace()
    {
        var qwen = TokenizerTestData.Qwen;
        var tok = new BpeTokenizer(qwen.Model, qwen.AddedTokens, qwen.Pipeline with { PrefixIds = [151644], SuffixIds = [151645] });
        foreach (var row in TokenizerTestData.ReadJsonl("other_splits.jsonl"))
        {
            string text = row.GetProperty("text").GetString()!;
            Assert.Equal(TokenizerTestData.Ids(row.GetProperty("template")), tok.Encode(text));
            Assert.Equal(qwen.Encode(text), tok.Encode(text, addSpecialTokens: false));
        }
    }

    [Fact]
    public void EncodeFromManyThreads_EqualsSequential()
    {
        var tok = TokenizerTestData.Qwen;
        var texts = TokenizerTestData.ReadJsonl("parity.jsonl").Select(r => r.GetProperty("text").GetString()!).ToArray();
        var parallel = new int[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = tok.Encode(texts[i]));
        for (int i = 0; i < texts.Length; i++) Assert.Equal(tok.Encode(texts[i]), parallel[i]);
    }
}
