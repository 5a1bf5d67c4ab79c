// Format rewards (think + boxed, LLaVA-CoT stages, R1-VL layout), the accuracy reward's invalid value, the native
// rethinking detector (markers, segment span) and VL-Rethinker's rethinking shaping values.
using Rethinker.Rewards.Functions;

namespace Rethinker.Rewards.Tests.Functions;

public class FormatAndRethinkingTests
{
    [Theory]
    [InlineData("<think>6·8/2 = 24</think>\nThe area is \\boxed{24}.", 1.0)]
    [InlineData("  <think>work</think>\\boxed{24}", 1.0)]
    [InlineData("<think></think>\\boxed{24}", 0.0)]                       // empty reasoning
    [InlineData("The area is \\boxed{24}.", 0.0)]                         // no think block
    [InlineData("<think>\\boxed{24}</think> so 24", 0.0)]                  // box inside think only
    [InlineData("<think>a</think><think>b</think>\\boxed{24}", 0.0)]      // two blocks
    [InlineData("<think>a</think>\\boxed{", 0.0)]                          // unclosed box
    [InlineData("Sure. <think>a</think>\\boxed{24}", 0.0)]                // think not first
    public void ThinkBoxedFormat(string response, double expected) =>
        Assert.Equal(expected, new FormatReward(FormatMode.ThinkBoxed).Score(new RewardInput(response, "24")).Value);

    [Theory]
    [InlineData("<SUMMARY>s</SUMMARY><CAPTION>c</CAPTION><REASONING>r</REASONING><CONCLUSION>24</CONCLUSION>", 1.0)]
    [InlineData("<CAPTION>c</CAPTION><SUMMARY>s</SUMMARY><REASONING>r</REASONING><CONCLUSION>24</CONCLUSION>", 0.0)]
    [InlineData("<SUMMARY>s</SUMMARY><CAPTION>c</CAPTION><REASONING>r</REASONING>", 0.0)]
    [InlineData("<SUMMARY>s</SUMMARY><CAPTION></CAPTION><REASONING>r</REASONING><CONCLUSION>24</CONCLUSION>", 0.0)]
    [InlineData("<SUMMARY>s</SUMMARY><SUMMARY>s</SUMMARY><CAPTION>c</CAPTION><REASONING>r</REASONING><CONCLUSION>24</CONCLUSION>", 0.0)]
    public void LlavaCotFormat(string response, double expected) =>
        Assert.Equal(expected, new FormatReward(FormatMode.LlavaCot).Score(new RewardInput(response, "24")).Value);

    [Fact]
    public void R1VlFormat_FollowsTheStepLayout()
    {
        var f = new FormatReward(FormatMode.R1VlSteps);
        Assert.Equal(1.0, f.Score(new RewardInput("Description: a bar chart.\nStep 1: read 63.\nStep 2: 63-38=25.\nThe answer is 25.", "25")).Value);
        Assert.Equal(0.0, f.Score(new RewardInput("Step 1: read 63.\nThe answer is 25.", "25")).Value);
    }

    [Theory]
    [InlineData("The answer is \\boxed{24}.", 1.0)]
    [InlineData("The answer is \\boxed{25}.", 0.0)]
    [InlineData("The answer is 24 or 25.", 0.0)]
    [InlineData("I am not sure.", -0.1)]
    public void AccuracyReward_UsesInvalidRewardForNoAnswer(string response, double expected) =>
        Assert.Equal(expected, new AccuracyReward(invalidReward: -0.1).Score(new RewardInput(response, "24")).Value);

    [Fact]
    public void AccuracyReward_TruncatedResponse_IsInvalid() =>
        Assert.Equal(-0.1, new AccuracyReward().Score(new RewardInput("The answer is \\boxed{24}.", "24", truncated: true)).Value);

    [Fact]
    public void Detector_CountsMarkers_AndFindsTheSegment()
    {
        string r = "The area is 24. Wait, let me double check: 6*8/2 = 24. Alternatively, use Heron. Hmm, re-examine the legs. So 24.";
        var rep = RethinkingDetector.Detect(r);
        Assert.Equal(["Wait", "let me double check", "Alternatively", "Hmm", "re-examine"], rep.Markers.Select(m => m.Text));
        Assert.Equal(r.IndexOf("Wait", StringComparison.Ordinal), rep.SegmentStart);
        Assert.Equal(r.Length, rep.SegmentEnd);
        var none = RethinkingDetector.Detect("6 * 8 / 2 = 24, awaiting nothing.");
        Assert.Equal(0, none.Count);
        Assert.False(none.HasSegment);
    }

    [Theory]
    [InlineData(true, true, 0, 1.0)]
    [InlineData(true, true, 1, 1.1)]
    [InlineData(true, true, 2, 1.1)]
    [InlineData(true, true, 3, 0.4)]
    [InlineData(true, true, 4, 0.2)]
    [InlineData(true, true, 5, 0.0)]
    [InlineData(true, true, 6, -0.1)]
    [InlineData(false, true, 1, 0.0)]
    [InlineData(false, true, 9, -0.1)]
    [InlineData(false, false, 0, -0.1)]
    public void RethinkingShaping_Values(bool correct, bool valid, int markers, double expected) =>
        Assert.Equal(expected, RethinkingShapingReward.Value(correct, valid, markers), 12);

    [Fact]
    public void RethinkingShaping_RewardsNativeRethinkingOnCorrectAnswers()
    {
        var s = new RethinkingShapingReward().Score(new RewardInput("6·8/2 = 24. Wait, does it seem right? Yes. \\boxed{24}", "24"));
        Assert.Equal(1.1, s.Value, 12);
        Assert.Equal(1, s.Details["markers"]);
    }
}
