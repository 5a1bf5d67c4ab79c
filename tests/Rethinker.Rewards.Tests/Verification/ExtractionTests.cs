// Answer extraction (DESIGN.md §4): boxed (nested, \fbox), <answer> tags, "the answer is", "Answer:", option letters,
// Chinese markers; the last one wins; <think> content is not the answer; an unclosed <think> is truncated; none → null.
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Tests.Verification;

public class ExtractionTests
{
    static VerifyResult V(string response, string gold, string[]? choices = null, string? type = null) =>
        AnswerVerifier.Default.Verify(new VerifyInput(response, gold, choices, type));

    static readonly string[] Opts = ["30°", "45°", "60°", "90°"];

    [Theory]
    [InlineData("so \\boxed{\\frac{1}{2}} done", "0.5")]
    [InlineData("\\boxed{\\boxed{7}}", "7")]
    [InlineData("\\fbox{24}", "24")]
    [InlineData("<answer>25</answer>", "25")]
    [InlineData("The final answer is 42.", "42")]
    [InlineData("Answer: 13", "13")]
    [InlineData("故答案为：10", "10")]
    [InlineData("因此，答案是 \\sqrt{3}。", "\\sqrt{3}")]
    [InlineData("所以最终结果为 -2。", "-2")]
    [InlineData("<|begin_of_box|>25<|end_of_box|>", "25")]
    [InlineData("Highest = 63, lowest = 38, difference = 63 - 38 = 25.", "25")]
    [InlineData("Putting it together:\n$$\n-\\frac{3}{4}\n$$", "-0.75")]
    public void FindsTheFinalAnswer(string response, string gold) => Assert.True(V(response, gold).Correct);

    [Theory]
    [InlineData("The answer is (C).")]
    [InlineData("\\boxed{(C)}")]
    [InlineData("**C**")]
    [InlineData("故选：C")]
    [InlineData("答案：Ｃ")]
    [InlineData("The correct option is C) 60°")]
    [InlineData("The correct choice is C: 60°")]
    [InlineData("Answer: C. A and B are too small, D is a right angle.")]
    [InlineData("The measure is 60 degrees, which corresponds to choice C.")]
    [InlineData("So, among the options, only C matches.\nTherefore, C.")]
    public void ReadsOptionLetterSpellings(string response) => Assert.True(V(response, "C", Opts).Correct);

    [Fact]
    public void LastAnswerWins_AfterRethinking()
    {
        var r = V("So the answer is \\boxed{40}.\n\nWait, I used the wrong bar. Recomputing: 63 - 38 = 25, so the answer is \\boxed{25}.", "25");
        Assert.True(r.Correct);
        Assert.Equal("25", r.Extracted);
    }

    [Fact]
    public void BoxedInsideThink_IsNotTheAnswer() => Assert.False(V("<think>\nI first thought \\boxed{40}.\n</think>\nThe answer is 25.", "40").Correct);

    [Fact]
    public void UnclosedThink_IsTruncated()
    {
        var r = V("<think>\nThe minimum value is -4. Let me double-check", "-4");
        Assert.Equal(VerifyStatus.Truncated, r.Status);
        Assert.Null(r.Extracted);
    }

    [Fact]
    public void TruncatedFinishReason_HasNoAnswer() =>
        Assert.Equal(VerifyStatus.Truncated, AnswerVerifier.Default.Verify(new VerifyInput("The answer is 24", "24", Truncated: true)).Status);

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n ")]
    [InlineData("The displacement is 24 m. But the question asks for the average velocity, so we divide by")]
    [InlineData("<answer></answer>")]
    [InlineData("The answer is $\\boxed{\\text{answer}}$.")]
    public void NoAnswer_GivesNullExtraction(string response)
    {
        var r = V(response, "24");
        Assert.False(r.Correct);
        Assert.Null(r.Extracted);
    }

    [Fact]
    public void OptionTextWithoutLetter_MapsToItsLetter() =>
        Assert.True(V("Both curves fall.\n\nThe best explanation is a contagious disease spreading along trade routes.", "B",
            ["A sudden change in the measurement method", "A contagious disease spreading along trade routes", "The opening of a new harbour"]).Correct);
}
