// Weighted sum of reward components (DESIGN.md §4): total = Σ wᵢ·sᵢ, with every component's raw score kept so it can be
// logged on its own (reward/accuracy, reward/format, …). Built in code or from YAML (RewardConfig).
namespace Rethinker.Rewards.Functions;

public sealed record WeightedReward(IReward Reward, double Weight);

/// <summary>A composite result: the weighted total and each component's unweighted score.</summary>
public sealed record CompositeScore(double Total, IReadOnlyList<RewardScore> Components, IReadOnlyList<double> Weights);

public sealed class CompositeReward : IReward
{
    readonly WeightedReward[] parts;

    public CompositeReward(IEnumerable<WeightedReward> components)
    {
        parts = components.ToArray();
        if (parts.Length == 0) throw new ArgumentException("A composite reward needs at least one component.");
        var dup = parts.GroupBy(p => p.Reward.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Reward component name '{dup.Key}' is used twice; give each component a distinct name.");
        foreach (var p in parts)
            if (!double.IsFinite(p.Weight)) throw new ArgumentException($"Weight of '{p.Reward.Name}' must be finite, got {p.Weight}.");
    }

    public string Name { get; init; } = "total";
    public IReadOnlyList<WeightedReward> Components => parts;

    public CompositeScore ScoreAll(RewardInput input)
    {
        var scores = new RewardScore[parts.Length];
        var weights = new double[parts.Length];
        double total = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            scores[i] = parts[i].Reward.Score(input);
            weights[i] = parts[i].Weight;
            total += parts[i].Weight * scores[i].Value;
        }
        return new CompositeScore(total, scores, weights);
    }

    public RewardScore Score(RewardInput input)
    {
        var s = ScoreAll(input);
        var details = new Dictionary<string, object?>();
        foreach (var c in s.Components) details[c.Name] = c.Value;
        return new RewardScore(Name, s.Total, details);
    }
}
