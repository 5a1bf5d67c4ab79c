// `rethinker reward`: composite reward from YAML with a per-component breakdown per row; a bad config exits 2 with
// a one-line error naming the file and the problem.
using System.Text.Json;
using Rethinker.Cli.Commands;

namespace Rethinker.Cli.Tests;

public class RewardCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("rethinker-reward-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Write(string name, string text)
    {
        string p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void Reward_WritesTotalAndComponents()
    {
        string config = Write("r.yaml", """
            components:
              - { type: accuracy, weight: 1.0, invalid_reward: -0.1 }
              - { type: format, weight: 0.5, mode: think_boxed }
              - { type: step_rar, weight: 0.0 }
            """);
        string input = Write("in.jsonl", string.Join('\n',
            """{"id":"a","response":"<think>6*8/2 = 24, area is 24</think> \\boxed{24}","gold":"24","key_steps":[["area is 24"],["perimeter is 24"]]}""",
            """{"id":"b","response":"I do not know.","gold":"24"}""",
            """{"id":"c","response":"oops","gold":{"x":1}}"""));
        string output = Path.Combine(dir, "out.jsonl");
        var stdout = new StringWriter(); var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Ok, RewardCommand.Run(config, input, output, 2, stdout, stderr));
        var rows = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows.Count);
        var a = rows[0].GetProperty("components");
        Assert.Equal(1.0, a.GetProperty("accuracy").GetDouble());
        Assert.Equal(1.0, a.GetProperty("format").GetDouble());
        Assert.Equal(1.05, a.GetProperty("step_rar").GetDouble(), 9);
        Assert.Equal(1.5, rows[0].GetProperty("reward").GetDouble(), 9);
        Assert.Equal(-0.1, rows[1].GetProperty("reward").GetDouble(), 9);
        Assert.Equal("24", rows[0].GetProperty("details").GetProperty("accuracy").GetProperty("extracted").GetString());
        Assert.Contains("line 3 (id c): field \"gold\"", stderr.ToString());
    }

    [Fact]
    public void Reward_BadConfig_ExitsBadInput_WithOneLineError()
    {
        string config = Write("bad.yaml", "components:\n  - { type: acuracy }\n");
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, RewardCommand.Run(config, Write("in.jsonl", "{}"), Path.Combine(dir, "o.jsonl"), 1, new StringWriter(), stderr));
        string err = stderr.ToString().Trim();
        Assert.StartsWith("error:", err);
        Assert.Contains("unknown type 'acuracy'", err);
        Assert.DoesNotContain('\n', err);
    }

    [Fact]
    public void Reward_MissingConfig_ExitsBadInput() =>
        Assert.Equal(ExitCodes.BadInput, RewardCommand.Run(Path.Combine(dir, "none.yaml"), Path.Combine(dir, "in.jsonl"), Path.Combine(dir, "o.jsonl"), 1, new StringWriter(), new StringWriter()));
}
