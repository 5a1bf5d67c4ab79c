// `rethinker tokenizer train` then `rethinker tokenize` (and --decode) end to end on temp files: round trip,
// bad rows skipped with their line numbers, missing inputs → exit code 2.
using System.Text.Json;
using Rethinker.Cli;

namespace Rethinker.Cli.Tests;

[Collection("Console")]
public sealed class TokenizeCommandTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "rethinker-tokcli-" + Guid.NewGuid().ToString("N"));

    public TokenizeCommandTests() => Directory.CreateDirectory(dir);
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    internal static (int Code, string Err) Run(params string[] args)
    {
        var err = Console.Error;
        var sw = new StringWriter();
        try { Console.SetError(sw); return (Program.Run(args), sw.ToString()); }
        finally { Console.SetError(err); }
    }

    string TrainTiny()
    {
        var rnd = new Random(5);
        string[] words = ["the", "model", "answer", "is", "你好", "世界", "x", "=", "42", "😀", "\\frac{1}{2}", "rethink"];
        File.WriteAllLines(P("corpus.txt"), Enumerable.Range(0, 400).Select(_ => string.Join(" ", Enumerable.Range(0, rnd.Next(3, 12)).Select(_ => words[rnd.Next(words.Length)]))));
        var (code, err) = Run("tokenizer", "train", "--in", P("corpus.txt"), "--vocab-size", "300", "--out", P("tok"));
        Assert.True(code == 0, err);
        Assert.True(File.Exists(P("tok/tokenizer.json")));
        Assert.True(File.Exists(P("tok/tokenizer_config.json")));
        return P("tok");
    }

    [Fact]
    public void TokenizeThenDecode_RoundTrips_AndSkipsBadRowsWithLineNumbers()
    {
        string tok = TrainTiny();
        File.WriteAllLines(P("in.jsonl"), [
            """{"id": "a", "text": "the answer is 42 😀"}""",
            """{"id": 7, "text": "<|im_start|>user\n你好 unseen ✓<|im_end|>"}""",
            """not json""",
            "",
            """{"id": "b"}""",
            """{"id": "c", "text": "rethink"}""",
        ]);
        var (code, err) = Run("tokenize", "--tokenizer", tok, "--in", P("in.jsonl"), "--out", P("ids.jsonl"));
        Assert.Equal(0, code);
        Assert.Contains("line 3", err);
        Assert.Contains("line 5", err);
        Assert.Contains("2 bad rows", err);
        var rows = File.ReadAllLines(P("ids.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(7, rows[1].GetProperty("id").GetInt32());
        Assert.Equal(1, rows[1].GetProperty("ids")[0].GetInt32()); // <|im_start|>: the default specials start <|endoftext|>, <|im_start|>

        File.AppendAllText(P("ids.jsonl"), """{"id": "bad", "ids": [1, 999999]}""" + "\n");
        (code, err) = Run("tokenize", "--tokenizer", Path.Combine(tok, "tokenizer.json"), "--in", P("ids.jsonl"), "--out", P("text.jsonl"), "--decode");
        Assert.Equal(0, code);
        Assert.Contains("line 4", err);
        var texts = File.ReadAllLines(P("text.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(new[] { "the answer is 42 😀", "<|im_start|>user\n你好 unseen ✓<|im_end|>", "rethink" }, texts);
    }

    [Fact]
    public void MissingInputOrTokenizer_ExitsWithBadInput()
    {
        string tok = TrainTiny();
        var (code, err) = Run("tokenize", "--tokenizer", tok, "--in", P("nope.jsonl"), "--out", P("o.jsonl"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("nope.jsonl", err);
        File.WriteAllText(P("in.jsonl"), "{\"id\":1,\"text\":\"x\"}\n");
        (code, err) = Run("tokenize", "--tokenizer", P("missing-dir"), "--in", P("in.jsonl"), "--out", P("o.jsonl"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("missing-dir", err);
    }
}
