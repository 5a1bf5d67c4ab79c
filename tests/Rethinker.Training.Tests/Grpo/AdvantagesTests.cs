using Rethinker.Training.Config;
using Rethinker.Training.Grpo;

namespace Rethinker.Training.Tests.Grpo;

public class AdvantagesTests
{
    static float[] Run(float[] r, AdvantageMode mode, float eps = 0f)
    {
        var a = new float[r.Length];
        Advantages.ComputeGroup(r, a, mode, eps);
        return a;
    }

    [Fact]
    public void MeanCentered_SubtractsGroupMean()
    {
        Assert.Equal([0.5f, -0.5f, -0.5f, 0.5f], Run([1, 0, 0, 1], AdvantageMode.MeanCentered));
        Assert.Equal([0.7f, -0.3f, -0.4f], Run([1.1f, 0.1f, 0f], AdvantageMode.MeanCentered), new FloatTol(1e-6f));
    }

    [Fact]
    public void StdNormalized_DividesByUnbiasedStdPlusEpsilon()
    {
        // mean 0.25; unbiased var = (0.5625 + 3·0.0625)/3 = 0.25 → std 0.5.
        Assert.Equal([1.5f, -0.5f, -0.5f, -0.5f], Run([1, 0, 0, 0], AdvantageMode.StdNormalized), new FloatTol(1e-6f));
        // ε = 0.5 → divisor 1.0.
        Assert.Equal([0.75f, -0.25f, -0.25f, -0.25f], Run([1, 0, 0, 0], AdvantageMode.StdNormalized, 0.5f), new FloatTol(1e-6f));
    }

    [Fact]
    public void LeaveOneOut_UsesMeanOfOthers()
    {
        Assert.Equal([1f, -1f / 3, -1f / 3, -1f / 3], Run([1, 0, 0, 0], AdvantageMode.LeaveOneOut), new FloatTol(1e-6f));
        Assert.Equal([2f, -1f, -1f], Run([2, 0, 0], AdvantageMode.LeaveOneOut), new FloatTol(1e-6f));
    }

    [Theory]
    [InlineData(AdvantageMode.MeanCentered)]
    [InlineData(AdvantageMode.StdNormalized)]
    [InlineData(AdvantageMode.LeaveOneOut)]
    public void EqualRewards_GiveZeroAdvantage(AdvantageMode mode) =>
        Assert.All(Run([1, 1, 1, 1], mode, 1e-6f), a => Assert.Equal(0f, a));

    [Fact]
    public void Assign_GroupsByGroupIdNotPromptId()
    {
        // The same dataset row twice in one batch: two groups, each with its own baseline.
        var s = new[]
        {
            Make("g0", "row7", 1), Make("g0", "row7", 0),
            Make("g1", "row7", 1), Make("g1", "row7", 1),
        };
        Advantages.Assign(s, AdvantageMode.MeanCentered, 0);
        Assert.Equal([0.5f, -0.5f, 0f, 0f], s.Select(x => x.Advantage).ToArray());
    }

    [Fact]
    public void GroupStats_ClassifiesAllCorrectAllWrongMixed()
    {
        var s = new[]
        {
            Make("a", "a", 1, true), Make("a", "a", 1, true),
            Make("b", "b", 0, false), Make("b", "b", 0, false),
            Make("c", "c", 1, true), Make("c", "c", 0, false),
        };
        Advantages.Assign(s, AdvantageMode.MeanCentered, 0);
        var st = GroupStats.Of(s, 1e-6f);
        Assert.Equal((3, 1, 1, 1, 1, 2), (st.Groups, st.AllCorrect, st.AllWrong, st.Mixed, st.EffectiveGroups, st.EffectiveSamples));
        Assert.Equal(1.0 / 3, st.AllCorrectRatio, 12);
        Assert.Equal(2.0 / 6, st.EffectiveSampleRatio, 12);
    }

    internal static RolloutSample Make(string group, string prompt, float reward, bool correct = false, int index = 0) => new()
    {
        GroupId = group, PromptId = prompt, SampleIndex = index, PromptTokenIds = [1], ResponseTokenIds = [2], PolicyMask = [1f],
        Text = "", Step = 0, Reward = reward, Correct = correct,
    };
}

public sealed class FloatTol(float tol) : IEqualityComparer<float>
{
    public bool Equals(float a, float b) => MathF.Abs(a - b) <= tol * MathF.Max(1f, MathF.Abs(b));
    public int GetHashCode(float obj) => 0;
}
