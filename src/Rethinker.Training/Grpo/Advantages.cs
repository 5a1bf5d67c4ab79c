// Group-relative advantages (DESIGN.md §5 GRPO): A_i = r_i − mean(r) (VL-Rethinker, default),
// ÷ (std(r) + ε) (original GRPO; std is the unbiased sample std, as torch.std and TRL use), or the
// leave-one-out baseline A_i = r_i − mean(r_{j≠i}) (RLOO). Groups are keyed by RolloutSample.GroupId.
using Rethinker.Training.Config;

namespace Rethinker.Training.Grpo;

public static class Advantages
{
    /// <summary>Writes advantages of one group: rewards [G] → advantages [G].</summary>
    public static void ComputeGroup(ReadOnlySpan<float> rewards, Span<float> advantages, AdvantageMode mode, float epsilon)
    {
        int G = rewards.Length;
        if (advantages.Length != G) throw new ArgumentException($"advantages length {advantages.Length} != rewards length {G}");
        if (G == 0) return;
        double sum = 0;
        foreach (float r in rewards) sum += r;
        double mean = sum / G;
        switch (mode)
        {
            case AdvantageMode.MeanCentered:
                for (int i = 0; i < G; i++) advantages[i] = (float)(rewards[i] - mean);
                break;
            case AdvantageMode.StdNormalized:
                double ss = 0;
                foreach (float r in rewards) ss += (r - mean) * (r - mean);
                double std = G > 1 ? Math.Sqrt(ss / (G - 1)) : 0;
                for (int i = 0; i < G; i++) advantages[i] = (float)((rewards[i] - mean) / (std + epsilon));
                break;
            case AdvantageMode.LeaveOneOut:
                // A group of one has no "others": its advantage is 0, like a vanished one.
                for (int i = 0; i < G; i++) advantages[i] = G > 1 ? (float)(rewards[i] - (sum - rewards[i]) / (G - 1)) : 0f;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(mode));
        }
    }

    /// <summary>Sets Advantage on every sample, grouping by GroupId (order within a group = list order).</summary>
    public static void Assign(IReadOnlyList<RolloutSample> samples, AdvantageMode mode, float epsilon)
    {
        foreach (var group in samples.GroupBy(s => s.GroupId))
        {
            var members = group.ToArray();
            var rewards = members.Select(s => s.Reward).ToArray();
            var adv = new float[members.Length];
            ComputeGroup(rewards, adv, mode, epsilon);
            for (int i = 0; i < members.Length; i++) members[i].Advantage = adv[i];
        }
    }
}
