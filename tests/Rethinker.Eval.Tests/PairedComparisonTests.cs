// The paired comparison behind `rethinker eval compare`: exact McNemar p-values (references from Python's exact
// integer binomial sums), the paired standard error from its definition, matching on (id, sample index).
using Rethinker.Eval.Runner;

namespace Rethinker.Eval.Tests;

public class PairedComparisonTests
{
    static ScoredResponse R(string id, bool correct, string category = "c", int sample = 0) => new(id, sample, category, correct);

    [Theory]
    [InlineData(3, 7, 0.34375)]
    [InlineData(0, 12, 0.00048828125)]
    [InlineData(638, 737, 0.008197533129951777)]
    [InlineData(10000, 10400, 0.005211904014324274)]
    [InlineData(1, 0, 1.0)]
    [InlineData(0, 0, 1.0)]
    [InlineData(5, 5, 1.0)]
    public void McNemarExactP_MatchesExactBinomialTail(int wins, int losses, double expected) =>
        Assert.Equal(expected, PairedComparison.McNemarExactP(wins, losses), 1e-12);

    [Fact]
    public void StandardError_IsThatOfThePerPairDifferences()
    {
        // differences +1, +1, +1, −1 and six zeros: mean 0.2, sample variance (4 − 10·0.04) / 9 = 0.4
        Assert.Equal(Math.Sqrt(0.4 / 10), PairedComparison.StandardError(10, 3, 1), 12);
        Assert.Equal(0, PairedComparison.StandardError(10, 0, 0));
        Assert.True(double.IsNaN(PairedComparison.StandardError(1, 1, 0)));
    }

    [Fact]
    public void Compare_CountsWinsAndLosses_PerCategory_AndLeavesUnpairedOut()
    {
        var baseline = new[] { R("a", true, "x"), R("b", false, "x"), R("c", false, "y"), R("d", true, "y"), R("only-baseline", true, "y") };
        var candidate = new[] { R("d", false, "y"), R("c", true, "y"), R("b", true, "x"), R("a", true, "x"), R("only-candidate", false, "x") };
        var result = PairedComparison.Compare(baseline, candidate);
        Assert.Equal("all", result.Overall.Category);
        Assert.Equal(4, result.Overall.Pairs);
        Assert.Equal((1, 1), (result.BaselineOnly, result.CandidateOnly));
        Assert.Equal(0.5, result.Overall.BaselineAccuracy, 12);
        Assert.Equal(0.75, result.Overall.CandidateAccuracy, 12);
        Assert.Equal((2, 1), (result.Overall.Wins, result.Overall.Losses));
        Assert.Equal(0.25, result.Overall.Difference, 12);
        Assert.Equal(["x", "y"], result.PerCategory.Select(c => c.Category));
        var x = result.PerCategory[0];
        Assert.Equal((2, 1, 0), (x.Pairs, x.Wins, x.Losses));
        Assert.Equal(0.5, x.Difference, 12);
        var (low, high) = result.ConfidenceInterval95;
        Assert.Equal(result.Overall.Difference, (low + high) / 2, 12);
        Assert.Equal(1.959964 * result.StandardError, high - result.Overall.Difference, 9);
    }

    [Fact]
    public void Compare_PairsSamplesOfTheSameItemSeparately()
    {
        var baseline = new[] { R("a", true, sample: 0), R("a", false, sample: 1) };
        var candidate = new[] { R("a", false, sample: 1), R("a", true, sample: 0) };
        var result = PairedComparison.Compare(baseline, candidate);
        Assert.Equal((2, 0, 0), (result.Overall.Pairs, result.Overall.Wins, result.Overall.Losses));
    }

    [Fact]
    public void Compare_RejectsDuplicateResponses_AndDisjointEvaluations()
    {
        var duplicate = Assert.Throws<InvalidDataException>(() => PairedComparison.Compare([R("a", true), R("a", false)], [R("a", true)]));
        Assert.Contains("baseline has response (a, sample 0) twice", duplicate.Message);
        var disjoint = Assert.Throws<InvalidDataException>(() => PairedComparison.Compare([R("a", true)], [R("b", true)]));
        Assert.Contains("share no (id, sample index)", disjoint.Message);
    }

    [Fact]
    public void PredictionsReader_SkipsBadLines_NamingFileAndLine()
    {
        string dir = Directory.CreateTempSubdirectory("rethinker-predictions-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "predictions.jsonl"),
            [
                """{"id":"a","category":"x","sample_index":0,"correct":true}""",
                "not json",
                """{"id":"b","correct":"yes"}""",
                "",
                """{"id":7,"correct":false,"sample_index":2}""",
                """{"correct":true}""",
                """{"id":"c","correct":true,"sample_index":-1}""",
            ]);
            var file = PredictionsReader.Read(dir);
            Assert.Equal([("a", 0, "x", true), ("7", 2, "", false)], file.Responses.Select(r => (r.Id, r.SampleIndex, r.Category, r.Correct)));
            Assert.Equal(4, file.Issues.Count);
            Assert.EndsWith("line 2: not valid JSON", file.Issues[0]);
            Assert.EndsWith("line 3: (id b) field \"correct\" must be true or false", file.Issues[1]);
            Assert.EndsWith("line 6: field \"id\" must be a non-empty string or a number", file.Issues[2]);
            Assert.EndsWith("line 7: (id c) field \"sample_index\" must be a non-negative integer", file.Issues[3]);
            Assert.Throws<FileNotFoundException>(() => PredictionsReader.Read(Path.Combine(dir, "missing")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
