// The JSONL reader: good rows round-trip through the writer; every kind of bad row is skipped and
// reported with file, line, field and what was expected; arbitrary input never throws.
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Rethinker.Data.Rows;

namespace Rethinker.Data.Tests.Rows;

public class JsonlReaderTests
{
    static DatasetLoad ReadText(string text, string? baseDir = null)
        => JsonlDatasetReader.Read(new StringReader(text), "data.jsonl", baseDir);

    const string Good = """{"id":"g","question":"<image>\nHow many?","answer":"3","images":["x.png"]}""";

    [Fact]
    public void WrittenRows_ReadBackEqual()
    {
        var row = new DatasetRow
        {
            Id = "r1", Question = "<image>\nWhich?\nChoices:\n(A) 1\n(B) 2", Answer = "B", Images = ["images/r1.png"], Choices = ["1", "2"],
            Category = "counting", Source = "unit", PassRate = 0.25, Task = "counting", Difficulty = 2, AnswerType = "choice", Rethink = "self_check",
            Traces = new ReasoningTraces { Cot = "x \\boxed{B}", Think = "<think>t</think>\\boxed{B}", LlavaCot = "<SUMMARY>s</SUMMARY>", R1Vl = "### Step 1:\n…" },
            KeySteps = [["2 red", "two red"], ["1 + 1 = 2"]],
            Scene = new JsonObject { ["type"] = "counting", ["shapes"] = new JsonArray(1, 2) },
        };
        var ms = new MemoryStream();
        JsonlDatasetWriter.Write(ms, [row, row with { Id = "r2" }]);
        string text = System.Text.Encoding.UTF8.GetString(ms.ToArray());
        Assert.Contains("<image>", text);   // not escaped to \u003C
        var load = ReadText(text);
        Assert.Empty(load.Issues);
        Assert.Equal(2, load.Rows.Count);
        var back = load.Rows[0];
        Assert.Equal(JsonlDatasetWriter.ToJson(row), JsonlDatasetWriter.ToJson(back));
        Assert.Equal(row.KeySteps![1][0], back.KeySteps![1][0]);
        Assert.Equal(0.25, back.PassRate);
    }

    [Theory]
    [InlineData("{not json", "(row)", "not valid JSON")]
    [InlineData("[1,2]", "(row)", "expected a JSON object, got an array")]
    [InlineData("""{"question":"q","answer":"1","images":[]}""", "id", "missing")]
    [InlineData("""{"id":"a","answer":"1","images":[]}""", "question", "missing")]
    [InlineData("""{"id":"a","question":"  ","answer":"1","images":[]}""", "question", "empty")]
    [InlineData("""{"id":"a","question":"q","answer":["1"],"images":[]}""", "answer", "expected a string, got an array")]
    [InlineData("""{"id":"a","question":"q","answer":"1"}""", "images", "missing; expected an array of strings")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":"x.png"}""", "images", "expected an array of strings, got a string")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":["x.png", 3]}""", "images[1]", "expected a non-empty string, got a number")]
    [InlineData("""{"id":"a","question":"<image><image>q","answer":"1","images":["x.png"]}""", "question", "2 <image> placeholders but the row lists 1 images")]
    [InlineData("""{"id":"a","question":"q","answer":"E","images":[],"choices":["1","2","3"]}""", "answer", "neither an option letter A–C nor one of the choices")]
    [InlineData("""{"id":"a","question":"q","answer":"A","images":[],"choices":["1"]}""", "choices", "at least 2 options")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"pass_rate":1.5}""", "pass_rate", "expected a number in [0, 1]")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"pass_rate":true}""", "pass_rate", "expected a number or null, got a boolean")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"difficulty":1.5}""", "difficulty", "non-negative integer")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"traces":{"cot":5}}""", "traces.cot", "expected a string, got a number")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"key_steps":[["x"],[]]}""", "key_steps[1]", "non-empty array of equivalent phrasings")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"rethink":"maybe"}""", "rethink", "expected one of none, self_check, self_correct")]
    [InlineData("""{"id":"a","question":"q","answer":"1","images":[],"scene":[1]}""", "scene", "expected a JSON object, got an array")]
    public void BadRow_IsSkippedAndReportedWithLineFieldAndExpectation(string bad, string field, string expected)
    {
        var load = ReadText(Good + "\n\n" + bad + "\n" + Good.Replace("\"g\"", "\"h\""));
        Assert.Equal(2, load.Rows.Count);
        Assert.Equal(1, load.RowsSkipped);
        var issue = Assert.Single(load.Issues);
        Assert.Equal("data.jsonl", issue.File);
        Assert.Equal(3, issue.Line);
        Assert.Equal(field, issue.Field);
        Assert.Contains(expected, issue.Problem);
        Assert.Contains($"data.jsonl:3: {field}:", load.Report());
    }

    [Fact]
    public void DuplicateId_SecondRowSkippedWithPointerToFirst()
    {
        var load = ReadText(Good + "\n" + Good);
        Assert.Single(load.Rows);
        var issue = Assert.Single(load.Issues);
        Assert.Equal(("id", 2), (issue.Field, issue.Line));
        Assert.Contains("first on line 1", issue.Problem);
    }

    [Fact]
    public void NumericIdsAndAnswers_AreAccepted()
    {
        var load = ReadText("""{"id":17,"question":"q","answer":2.5,"images":[]}""");
        Assert.Empty(load.Issues);
        Assert.Equal(("17", "2.5"), (load.Rows[0].Id, load.Rows[0].Answer));
    }

    [Fact]
    public void MissingImageFile_IsReportedWhenABaseFolderIsGiven()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-jsonl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "x.png"), [1]);
            string path = Path.Combine(dir, "d.jsonl");
            File.WriteAllText(path, Good + "\n" + Good.Replace("\"g\"", "\"h\"").Replace("x.png", "missing.png") + "\n");
            var load = JsonlDatasetReader.Read(path);
            Assert.Single(load.Rows);
            var issue = Assert.Single(load.Issues);
            Assert.Equal((path, 2, "images[0]"), (issue.File, issue.Line, issue.Field));
            Assert.Contains("'missing.png' not found", issue.Problem);
            Assert.Empty(JsonlDatasetReader.Read(path, new JsonlReadOptions { CheckImagesExist = false }).Issues);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MissingFile_ThrowsWithItsPath()
        => Assert.Contains("/no/such.jsonl", Assert.Throws<FileNotFoundException>(() => JsonlDatasetReader.Read("/no/such.jsonl")).Message);

    [Fact]
    public void ArbitraryLines_NeverThrow_AndEveryNonBlankLineIsEitherARowOrReported()
    {
        Prop.ForAll((string[] lines) =>
        {
            var clean = (lines ?? []).Select(l => (l ?? "").Replace("\n", " ").Replace("\r", " ")).ToArray();
            var load = ReadText(string.Join("\n", clean));
            int nonBlank = clean.Count(l => !string.IsNullOrWhiteSpace(l));
            return load.Rows.Count + load.RowsSkipped == nonBlank && load.Issues.Count >= load.RowsSkipped;
        }).QuickCheckThrowOnFailure();
    }
}
