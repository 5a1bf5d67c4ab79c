// R1-VL StepRAR / StepRVR (DESIGN.md §4): StepRAR = 1[correct] + 0.1·matched/|K| at its boundaries (no match, all
// matched, |K| = 0, wrong answer with matched steps), soft matching of phrasings; StepRVR needs description, steps
// 1..n and the answer in that order.
using Rethinker.Rewards.Functions;

namespace Rethinker.Rewards.Tests.Functions;

public class StepRewardTests
{
    [Theory]
    [InlineData(true, 0, 4, 1.0)]
    [InlineData(true, 4, 4, 1.1)]
    [InlineData(true, 2, 4, 1.05)]
    [InlineData(false, 4, 4, 0.1)]
    [InlineData(false, 0, 4, 0.0)]
    [InlineData(true, 0, 0, 1.0)]
    [InlineData(false, 0, 0, 0.0)]
    public void StepRar_Formula(bool correct, int matched, int k, double expected) =>
        Assert.Equal(expected, StepRarReward.Value(correct, matched, k), 12);

    [Fact]
    public void StepRar_RejectsImpossibleCounts() => Assert.Throws<ArgumentOutOfRangeException>(() => StepRarReward.Value(true, 5, 4));

    const string Response = "Image Description: a right triangle with legs 6 and 8.\nStep 1: By the Pythagorean theorem, AB = \\sqrt{6^2 + 8^2} = 10.\n" +
                            "Step 2: The area is 6 × 8 / 2 = 24.\nStep 3: Hence CD = 2·24/10 = 4.8.\nThe final answer is \\boxed{4.8}.";

    static readonly IReadOnlyList<IReadOnlyList<string>> Keys =
    [
        ["hypotenuse is 10", "AB = \\sqrt{6^2+8^2} = 10"],
        ["area equals 24", "area is 6 \\times 8 / 2 = 24"],
        ["CD = 2 \\cdot 24 / 10 = 4.8"],
        ["angle C is 90 degrees"],
    ];

    [Fact]
    public void StepRar_CountsMatchedKeyStepGroups()
    {
        var s = new StepRarReward().Score(new RewardInput(Response, "4.8", keySteps: Keys));
        Assert.Equal(3, s.Details["matched_steps"]);
        Assert.Equal(1.0 + 0.1 * 3 / 4, s.Value, 12);
    }

    [Fact]
    public void StepRar_SoftMatch_IgnoresCaseSpacingAndLatex()
    {
        int m = StepRarReward.MatchedGroups("so ab=\\sqrt{100}=10 and the AREA  IS 24", [["AB = \\sqrt{100}"], ["area is 24"]], 0.8);
        Assert.Equal(2, m);
    }

    [Fact]
    public void StepRar_SoftMatch_AcceptsMostWordsOfALongPhrasing() =>
        Assert.Equal(1, StepRarReward.MatchedGroups("the legs of the right triangle are six and eight units", [["legs of right triangle are six and eight"]], 0.8));

    [Fact]
    public void StepRvr_AcceptsDescriptionStepsAnswer() => Assert.Equal(1.0, new StepRvrReward().Score(new RewardInput(Response, "4.8")).Value);

    [Theory]
    [InlineData("Step 1: x.\nStep 2: y.\nThe final answer is 3.")]                                          // no description
    [InlineData("Image Description: d.\nStep 1: x.\nStep 3: y.\nThe final answer is 3.")]                  // skips step 2
    [InlineData("Image Description: d.\nStep 2: x.\nStep 1: y.\nThe final answer is 3.")]                  // out of order
    [InlineData("Image Description: d.\nThe final answer is 3.\nStep 1: x.\nStep 2: y.")]                  // answer before steps
    [InlineData("Step 1: x.\nImage Description: d.\nStep 2: y.\nThe final answer is 3.")]                  // description after a step
    [InlineData("Image Description: d.\nStep 1: x.\nStep 2: y.")]                                          // no final answer
    public void StepRvr_RejectsBrokenLayouts(string response) => Assert.Equal(0.0, new StepRvrReward().Score(new RewardInput(response, "3")).Value);

    [Fact]
    public void StepRvr_TruncatedResponse_ScoresZero() =>
        Assert.Equal(0.0, new StepRvrReward().Score(new RewardInput(Response, "4.8", truncated: true)).Value);
}
