// Added tokens with lstrip / rstrip / single_word / normalized flags on the Qwen vocabulary, against ids
// from HF's Rust tokenizer (TestData/tokenizer/added_tokens.json, made by tools/tokenizer-reference/generate.js).
using System.Text.Json;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class AddedTokenTests
{
    static readonly Lazy<(BpeTokenizer Tok, List<(string Text, int[] Ids)> Cases)> data = new(Load);

    static (BpeTokenizer, List<(string, int[])>) Load()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(TokenizerTestData.Dir, "added_tokens.json"))).RootElement;
        var qwen = TokenizerTestData.Qwen;
        var extra = root.GetProperty("tokens").EnumerateArray().Select(t => new AddedToken(t.GetProperty("id").GetInt32(), t.GetProperty("content").GetString()!,
            t.GetProperty("special").GetBoolean(), t.GetProperty("lstrip").GetBoolean(), t.GetProperty("rstrip").GetBoolean(),
            t.GetProperty("single_word").GetBoolean(), t.GetProperty("normalized").GetBoolean()));
        var tok = new BpeTokenizer(qwen.Model, qwen.AddedTokens.Concat(extra).ToList(), qwen.Pipeline);
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => (c.GetProperty("text").GetString()!, TokenizerTestData.Ids(c.GetProperty("ids")))).ToList();
        return (tok, cases);
    }

    public static TheoryData<int> CaseIndices() => new(Enumerable.Range(0, data.Value.Cases.Count));

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void AddedTokenFlags_MatchHuggingFace(int index)
    {
        var (tok, cases) = data.Value;
        var (text, expected) = cases[index];
        Assert.Equal(expected, tok.Encode(text));
    }

    [Fact]
    public void SpecialTokenInsideText_IsOneId_AndPartialOnesAreNot()
    {
        var tok = TokenizerTestData.Qwen;
        var ids = tok.Encode("a<|im_start|>b<|im_sta");
        Assert.Contains(151644, ids);
        Assert.Equal(1, ids.Count(i => i >= 151643));
        Assert.Equal("a<|im_start|>b<|im_sta", tok.Decode(ids));
        Assert.Equal("ab<|im_sta", tok.Decode(ids, skipSpecialTokens: true));
    }
}
