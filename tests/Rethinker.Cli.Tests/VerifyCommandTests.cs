// `rethinker verify`: grades a JSONL file, writes {"id","correct","extracted","status"} in input order, skips and
// reports bad rows with their line numbers, and exits 2 on a missing input or bad options.
using System.Text.Json;
using Rethinker.Cli.Commands;

namespace Rethinker.Cli.Tests;

public class VerifyCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("rethinker-verify-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Write(string name, params string[] lines)
    {
        string p = Path.Combine(dir, name);
        File.WriteAllLines(p, lines);
        return p;
    }

    [Fact]
    public void Verify_WritesVerdicts_InInputOrder_AndReportsBadRows()
    {
        string input = Write("in.jsonl",
            """{"id":"a","response":"So the answer is \\boxed{24}.","gold":"24"}""",
            """{"id":"b","response":"The answer is (C).","gold":"C","choices":["30°","45°","60°","90°"]}""",
            "this is not json",
            """{"id":"c","response":"The answer is 3 or 4.","gold":"4","answer_type":"integer"}""",
            """{"id":"d","gold":"1"}""",
            """{"id":7,"response":"\\boxed{24}","gold":24,"finish_reason":"length"}""",
            "");
        string output = Path.Combine(dir, "out.jsonl");
        var stdout = new StringWriter(); var stderr = new StringWriter();
        int rc = VerifyCommand.Run(input, output, 1e-4, 2, stdout, stderr);
        Assert.Equal(ExitCodes.Ok, rc);
        var rows = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["a", "b", "c", "7"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([true, true, false, false], rows.Select(r => r.GetProperty("correct").GetBoolean()));
        Assert.Equal("24", rows[0].GetProperty("extracted").GetString());
        Assert.Equal("C", rows[1].GetProperty("extracted").GetString());
        Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("extracted").ValueKind);
        Assert.Equal("truncated", rows[3].GetProperty("status").GetString());
        string err = stderr.ToString();
        Assert.Contains("line 3: not valid JSON", err);
        Assert.Contains("line 5 (id d): field \"response\"", err);
        Assert.Contains("2 bad rows skipped", stdout.ToString());
    }

    [Fact]
    public void Verify_MissingInput_ExitsBadInput()
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, VerifyCommand.Run(Path.Combine(dir, "nope.jsonl"), Path.Combine(dir, "o.jsonl"), 1e-4, 1, new StringWriter(), stderr));
        Assert.Contains("does not exist", stderr.ToString());
    }

    [Fact]
    public void Verify_OnlyBadRows_ExitsBadInput() =>
        Assert.Equal(ExitCodes.BadInput, VerifyCommand.Run(Write("bad.jsonl", "{}", "[1]"), Path.Combine(dir, "o.jsonl"), 1e-4, 1, new StringWriter(), new StringWriter()));

    [Fact]
    public void Verify_BadTolerance_ExitsBadInput() =>
        Assert.Equal(ExitCodes.BadInput, VerifyCommand.Run(Write("ok.jsonl", """{"id":"a","response":"1","gold":"1"}"""), Path.Combine(dir, "o.jsonl"), -1, 1, new StringWriter(), new StringWriter()));

    [Fact]
    public void Verify_ThroughTheRootCommand()
    {
        string input = Write("in2.jsonl", """{"id":"a","response":"\\boxed{\\frac{1}{2}}","gold":"0.5"}""");
        string output = Path.Combine(dir, "out2.jsonl");
        var oldOut = Console.Out;
        try
        {
            Console.SetOut(new StringWriter());
            Assert.Equal(0, Program.Run(["verify", "--in", input, "--out", output]));
        }
        finally { Console.SetOut(oldOut); }
        Assert.True(JsonDocument.Parse(File.ReadAllLines(output)[0]).RootElement.GetProperty("correct").GetBoolean());
    }
}
