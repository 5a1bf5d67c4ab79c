// `rethinker eval compare` end to end through the CLI parser: it sits under `eval` without needing eval's options,
// prints the paired figures, writes --json, and a missing input is bad input (exit 2).
using System.Text.Json;

namespace Rethinker.Cli.Tests;

[Collection("console")]
public class EvalCompareCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("rethinker-compare-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string EvalDir(string name, params bool[] correct)
    {
        string d = Path.Combine(dir, name);
        Directory.CreateDirectory(d);
        File.WriteAllLines(Path.Combine(d, "predictions.jsonl"),
            correct.Select((c, i) => $$"""{"id":"q{{i}}","category":"{{(i % 2 == 0 ? "even" : "odd")}}","sample_index":0,"correct":{{(c ? "true" : "false")}}}"""));
        return d;
    }

    [Fact]
    public void Compare_PrintsPairedDifference_AndWritesJson()
    {
        string sft = EvalDir("sft", true, false, false, true, false, false);
        string rl = EvalDir("rl", true, true, true, false, true, false);
        string json = Path.Combine(dir, "cmp.json");
        var (code, stdout, _) = CliConsole.Run("eval", "compare", "--baseline", sft, "--candidate", rl, "--json", json);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("pairs 6", stdout);
        Assert.Contains("accuracy 0.333 → 0.667: difference +0.333", stdout);
        Assert.Contains("wins 3, losses 1; McNemar exact p = 0.6250", stdout);
        Assert.Contains("even", stdout);
        var doc = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(3, doc.GetProperty("wins").GetInt32());
        Assert.Equal(2, doc.GetProperty("per_category").GetArrayLength());
    }

    [Fact]
    public void Compare_MissingPredictions_IsBadInput()
    {
        var (code, _, stderr) = CliConsole.Run("eval", "compare", "--baseline", Path.Combine(dir, "nope"), "--candidate", EvalDir("x", true));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("nope does not exist (expected an eval output directory", stderr);
    }
}
