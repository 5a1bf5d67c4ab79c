// Parity with Hugging Face's Rust tokenizer (npm `tokenizers` 0.23.2) on the real Qwen vocabulary:
// 2,217 varied strings (tools/tokenizer-reference/corpus.js) must give the same ids, decode to the same text,
// and round-trip up to NFC.
using FsCheck;
using FsCheck.Fluent;
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class QwenParityTests
{
    [Fact]
    public void Encode_MatchesHuggingFaceIds_OnEveryReferenceString()
    {
        var tok = TokenizerTestData.Qwen;
        int count = 0;
        var failures = new List<string>();
        foreach (var row in TokenizerTestData.ReadJsonl("parity.jsonl"))
        {
            string text = row.GetProperty("text").GetString()!;
            int[] expected = TokenizerTestData.Ids(row.GetProperty("ids"));
            int[] actual = tok.Encode(text);
            count++;
            if (!expected.AsSpan().SequenceEqual(actual) && failures.Count < 10)
                failures.Add($"{System.Text.Json.JsonSerializer.Serialize(text)}\n  expected [{string.Join(",", expected)}]\n  actual   [{string.Join(",", actual)}]");
        }
        Assert.True(count >= 2000, $"only {count} reference strings");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Decode_MatchesHuggingFace_AndRoundTripsUpToNfc()
    {
        var tok = TokenizerTestData.Qwen;
        foreach (var row in TokenizerTestData.ReadJsonl("parity.jsonl"))
        {
            string text = row.GetProperty("text").GetString()!;
            int[] ids = TokenizerTestData.Ids(row.GetProperty("ids"));
            Assert.Equal(row.GetProperty("decoded").GetString(), tok.Decode(ids));
            Assert.Equal(row.GetProperty("decoded_skip").GetString(), tok.Decode(ids, skipSpecialTokens: true));
            Assert.Equal(NfcNormalizer.Normalize(text), tok.Decode(ids));
        }
    }

    [Fact]
    public void Decode_OfRandomIdSequences_MatchesHuggingFace_IncludingBrokenUtf8()
    {
        var tok = TokenizerTestData.Qwen;
        foreach (var row in TokenizerTestData.ReadJsonl("decode.jsonl"))
        {
            int[] ids = TokenizerTestData.Ids(row.GetProperty("ids"));
            Assert.Equal(row.GetProperty("decoded").GetString(), tok.Decode(ids));
            Assert.Equal(row.GetProperty("decoded_skip").GetString(), tok.Decode(ids, skipSpecialTokens: true));
        }
    }

    [Fact]
    public void DecodeOfEncode_IsNfcOfInput_ForRandomUnicode()
    {
        var tok = TokenizerTestData.Qwen;
        // Code points from every plane (no surrogates), biased towards ASCII, spaces and combining marks.
        var cp = Gen.OneOf(Gen.Choose(0x20, 0x7E), Gen.Elements(' ', '\n', '\t', '\u0085', '\u00A0', '\u3000').Select(c => (int)c),
            Gen.Choose(0x300, 0x36F), Gen.Choose(0x80, 0xD7FF), Gen.Choose(0xE000, 0x10FFFF));
        var gen = Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(cp, n)).Select(a => string.Concat(a.Select(char.ConvertFromUtf32)));
        Prop.ForAll(gen.ToArbitrary(), s => tok.Decode(tok.Encode(s)) == NfcNormalizer.Normalize(s))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Config_KeepsSpecialTokensAndChatTemplate()
    {
        var tok = TokenizerTestData.Qwen;
        Assert.Equal("<|im_end|>", tok.Config.EosToken);
        Assert.Equal("<|endoftext|>", tok.Config.PadToken);
        Assert.Contains("<|vision_start|>", tok.Config.AdditionalSpecialTokens);
        Assert.Contains("<|im_start|>", tok.Config.ChatTemplate);
        Assert.Equal(151645, tok.RequireId("<|im_end|>"));
        Assert.True(tok.IsSpecial(151655));
        Assert.False(tok.IsSpecial(151657)); // <tool_call> is added but not special
        Assert.Equal(151669, tok.VocabSize);
    }
}
