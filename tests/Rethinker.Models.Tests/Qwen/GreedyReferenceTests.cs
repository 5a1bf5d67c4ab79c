// Greedy decoding (full recompute) on the fixtures: the 8 tokens transformers' generate() picked with ids
// ≥ 280 suppressed, exactly, and each step's raw logits within 1e-4.
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;

namespace Rethinker.Models.Tests.Qwen;

public sealed class GreedyReferenceTests
{
    public static TheoryData<string, string> AllCases() => TestFiles.AllCases();

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Generate_MatchesTransformersGreedy(string arch, string caseName)
    {
        var model = QwenVlModel.Load(TestFiles.ModelDir(arch));
        using var f = SafeTensorsFile.Open(TestFiles.Case(arch, caseName));
        int[] expected = f.ReadInt32("generated_ids");
        var r = GreedyReference.Generate(model, FixtureParityTests.Inputs(f), expected.Length, GreedyReference.ParseTokenRanges("280-299"));
        Assert.Equal(expected, r.Tokens);
        float d = TestFiles.MaxAbsDiff(f.ReadSingle("generate_step_logits"), r.StepLogits);
        Assert.True(d <= 1e-4f, $"step logits max |diff| {d:E3}");
    }

    [Theory]
    [InlineData("280-282", new[] { 280, 281, 282 })]
    [InlineData("5, 7-8", new[] { 5, 7, 8 })]
    public void ParseTokenRanges_AcceptsRangesAndIds(string spec, int[] ids) => Assert.Equal(ids, GreedyReference.ParseTokenRanges(spec));

    [Theory]
    [InlineData("9-3")]
    [InlineData("a-b")]
    [InlineData("-4")]
    public void ParseTokenRanges_RejectsBadSpecs(string spec) => Assert.Throws<FormatException>(() => GreedyReference.ParseTokenRanges(spec));
}
