// Vanishing-advantage statistics of a rollout batch (VL-Rethinker §3.2): the share of groups that are
// all-correct, all-wrong or mixed, and of groups / samples with a non-zero advantage ("effective").
namespace Rethinker.Training.Grpo;

public sealed record GroupStats(int Groups, int AllCorrect, int AllWrong, int Mixed, int EffectiveGroups, int Samples, int EffectiveSamples)
{
    public double AllCorrectRatio => Ratio(AllCorrect, Groups);
    public double AllWrongRatio => Ratio(AllWrong, Groups);
    public double MixedRatio => Ratio(Mixed, Groups);
    public double EffectiveGroupRatio => Ratio(EffectiveGroups, Groups);
    public double EffectiveSampleRatio => Ratio(EffectiveSamples, Samples);

    static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;

    /// <summary>Call after advantages are assigned. |A| ≤ tolerance counts as zero.</summary>
    public static GroupStats Of(IReadOnlyList<RolloutSample> samples, float tolerance)
    {
        int groups = 0, allCorrect = 0, allWrong = 0, mixed = 0, effGroups = 0, effSamples = 0;
        foreach (var g in samples.GroupBy(s => s.GroupId))
        {
            groups++;
            int correct = g.Count(s => s.Correct), n = g.Count();
            if (correct == n) allCorrect++; else if (correct == 0) allWrong++; else mixed++;
            int eff = g.Count(s => IsEffective(s, tolerance));
            if (eff > 0) effGroups++;
            effSamples += eff;
        }
        return new GroupStats(groups, allCorrect, allWrong, mixed, effGroups, samples.Count, effSamples);
    }

    public static bool IsEffective(RolloutSample s, float tolerance) => MathF.Abs(s.Advantage) > tolerance;
}
