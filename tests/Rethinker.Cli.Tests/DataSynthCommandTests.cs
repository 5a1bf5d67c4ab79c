// `rethinker data synth`: writes the dataset, rejects bad input with exit code 2 and one error line.
using Rethinker.Cli;

namespace Rethinker.Cli.Tests;

[Collection("console")]
public class DataSynthCommandTests
{
    static (int Code, string Out, string Err) Run(params string[] args) => CliConsole.Run(args);

    [Fact]
    public void Synth_WritesSplitsImagesAndManifest()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-cli-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, _) = Run("data", "synth", "--out", dir, "--n", "24", "--seed", "3", "--heldout", "6", "--tasks", "counting,bar_chart", "--difficulty", "easy,3", "--image-size", "84");
            Assert.Equal(ExitCodes.Ok, code);
            Assert.Contains("wrote 24 train + 6 held-out examples", stdout);
            Assert.Contains("question-only baseline on held-out:", stdout);
            Assert.Equal(24 * 5, File.ReadAllLines(Path.Combine(dir, "corpus.jsonl")).Length);   // question + 4 traces per training example
            Assert.Equal(24, File.ReadAllLines(Path.Combine(dir, "train.jsonl")).Length);
            Assert.Equal(6, File.ReadAllLines(Path.Combine(dir, "heldout.jsonl")).Length);
            Assert.Equal(24, Directory.GetFiles(Path.Combine(dir, "images", "train"), "*.png").Length);
            var rows = Rethinker.Data.Rows.JsonlDatasetReader.Read(Path.Combine(dir, "train.jsonl"));
            Assert.Empty(rows.Issues);
            Assert.All(rows.Rows, r => Assert.Contains(r.Task, new[] { "counting", "bar_chart" }));
            Assert.All(rows.Rows, r => Assert.Contains(r.Difficulty, new int?[] { 1, 3 }));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("--tasks", "counting,poetry", "unknown task 'poetry'")]
    [InlineData("--difficulty", "extreme", "--difficulty: 'extreme' is not a level")]
    [InlineData("--image-size", "100", "multiple of 28")]
    [InlineData("--self-check", "0.95", "self-check share + self-correct share must be ≤ 1")]
    public void Synth_BadInput_ExitsTwoWithOneClearLine(string option, string value, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-cli-bad-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = Run("data", "synth", "--out", dir, "--n", "5", option, value);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, err);
        Assert.StartsWith("error: ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Synth_HelpShowsAnExample()
    {
        var (code, stdout, _) = Run("data", "synth", "--help");
        Assert.Equal(0, code);
        Assert.Contains("rethinker data synth --out", stdout);
        Assert.Contains("--heldout", stdout);
    }
}
