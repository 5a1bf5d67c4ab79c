// `rethinker tokenizer train`: the written tokenizer loads and covers every byte; bad options → exit code 2.
using Rethinker.Cli;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Tests;

[Collection("Console")]
public sealed class TokenizerTrainCommandTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "rethinker-toktrain-" + Guid.NewGuid().ToString("N"));

    public TokenizerTrainCommandTests() => Directory.CreateDirectory(dir);
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    [Fact]
    public void Train_OnTextAndJsonl_WritesLoadableTokenizerWithConfig()
    {
        File.WriteAllLines(P("a.txt"), Enumerable.Repeat("the quick brown fox jumps over the lazy dog 123", 50));
        File.WriteAllLines(P("b.jsonl"), Enumerable.Repeat("""{"text": "答案是 \\boxed{4}"}""", 50));
        var (code, err) = TokenizeCommandTests.Run("tokenizer", "train", "--in", P("a.txt"), P("b.jsonl"), "--vocab-size", "300",
            "--special-tokens", "<|endoftext|>", "<|im_end|>", "--out", P("tok"));
        Assert.True(code == 0, err);
        var tok = BpeTokenizer.Load(P("tok"));
        Assert.Equal(300, tok.VocabSize);
        Assert.Equal("<|im_end|>", tok.Config.EosToken);
        Assert.Equal("<|endoftext|>", tok.Config.PadToken);
        Assert.True(tok.Encode("the quick").Length <= 3);
        Assert.Equal("答案是 \\boxed{4}", tok.Decode(tok.Encode("答案是 \\boxed{4}")));
    }

    [Fact]
    public void Train_WithTooSmallVocab_ExitsWithBadInput()
    {
        File.WriteAllText(P("c.txt"), "hello\n");
        var (code, err) = TokenizeCommandTests.Run("tokenizer", "train", "--in", P("c.txt"), "--vocab-size", "100", "--special-tokens", "<a>", "--out", P("t"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("257", err);
    }
}
