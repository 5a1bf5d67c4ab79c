// Reason-RFT rewards (DESIGN.md §4): boundary values of the mathematical (cosine) reward — d exactly 0.05|a| and
// 0.20|a|, the midpoint, a = 0 — and the discrete and function-call rewards.
using Rethinker.Rewards.Functions;

namespace Rethinker.Rewards.Tests.Functions;

public class ReasonRftTests
{
    [Theory]
    [InlineData(100, 100, 1.0)]        // d = 0
    [InlineData(104.999, 100, 1.0)]    // d < 0.05|a|
    [InlineData(105, 100, 1.0)]        // d = 0.05|a|: cosine branch at its start, ½(cos 0 + 1) = 1 (continuous)
    [InlineData(95, 100, 1.0)]         // below the gold, same distance
    [InlineData(112.5, 100, 0.5)]      // midpoint of [0.05, 0.20]: ½(cos(π/2) + 1)
    [InlineData(120, 100, 0.0)]        // d = 0.20|a|: ½(cos π + 1) = 0 (continuous)
    [InlineData(120.001, 100, 0.0)]    // d > 0.20|a|
    [InlineData(-105, -100, 1.0)]      // negative gold uses |a|
    [InlineData(-112.5, -100, 0.5)]
    [InlineData(0, 0, 1.0)]            // a = 0: only an exact zero earns credit
    [InlineData(1e-9, 0, 0.0)]
    public void MathReward_Boundaries(double pred, double gold, double expected) =>
        Assert.Equal(expected, ReasonRftMathReward.Value(pred, gold), 9);

    [Fact]
    public void MathReward_IsMonotoneBetweenTheThresholds()
    {
        double prev = 1.0;
        for (double d = 5; d <= 20; d += 0.25)
        {
            double v = ReasonRftMathReward.Value(100 + d, 100);
            Assert.True(v <= prev + 1e-12, $"not monotone at d={d}");
            prev = v;
        }
    }

    [Fact]
    public void MathReward_ReadsTheFinalAnswerOfAResponse()
    {
        var r = new ReasonRftMathReward().Score(new RewardInput("The speed is about... so the answer is \\boxed{110}.", "100"));
        Assert.Equal(ReasonRftMathReward.Value(110, 100), r.Value, 12);
        Assert.Equal(0.0, new ReasonRftMathReward().Score(new RewardInput("I cannot tell.", "100")).Value);
    }

    [Theory]
    [InlineData("There are \\boxed{7} cubes.", "7", 1.0)]
    [InlineData("There are \\boxed{7.0001} cubes.", "7", 0.0)]
    [InlineData("There are \\boxed{6} cubes.", "7", 0.0)]
    public void DiscreteReward_IsExactMatch(string response, string gold, double expected) =>
        Assert.Equal(expected, new ReasonRftDiscreteReward().Score(new RewardInput(response, gold)).Value);

    [Theory]
    [InlineData("move(cube, left)", "move(cube, left)", 1.0)]
    [InlineData("move(cube, right)", "move(cube, left)", 0.5)]     // function + object
    [InlineData("move(ball, left)", "move(cube, left)", 0.5)]      // function + value
    [InlineData("move(ball, right)", "move(cube, left)", 0.25)]    // function only
    [InlineData("paint(cube, left)", "move(cube, left)", 0.0)]
    [InlineData("move(cube, left), paint(ball, red)", "move(cube, left)", 0.5)]                    // extra call: ÷ max(2, 1)
    [InlineData("move(cube, left)", "move(cube, left), paint(ball, red)", 0.5)]                    // missing call
    [InlineData("paint(ball, red), move(cube, left)", "move(cube, left), paint(ball, red)", 1.0)]  // order-free
    [InlineData("move(cube, left), move(cube, left)", "move(cube, left)", 0.5)]                    // a gold call is used once
    [InlineData("no calls here", "move(cube, left)", 0.0)]
    public void FunctionReward_PartialCredit(string pred, string gold, double expected) =>
        Assert.Equal(expected, ReasonRftFunctionReward.Value(ReasonRftFunctionReward.Parse(pred), ReasonRftFunctionReward.Parse(gold)), 9);

    [Fact]
    public void FunctionReward_ScoresTheAnswerPart() =>
        Assert.Equal(1.0, new ReasonRftFunctionReward().Score(new RewardInput("<think>try rotate(x, 1)</think><answer>move(cube, left)</answer>", "move(cube, left)")).Value);
}
