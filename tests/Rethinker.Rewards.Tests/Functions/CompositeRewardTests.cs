// Composite rewards: weighted totals with per-component scores, YAML configuration with actionable errors, and the
// batch API giving the same results on several threads as on one.
using Rethinker.Rewards.Batch;
using Rethinker.Rewards.Functions;
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Tests.Functions;

public class CompositeRewardTests
{
    const string Yaml = """
        verifier: { relative_tolerance: 1e-4 }
        components:
          - { type: accuracy, weight: 1.0, invalid_reward: -0.1 }
          - { type: format, weight: 0.5, mode: think_boxed }
          - { type: format, name: stages, weight: 0.25, mode: llava_cot }
          - { type: rethinking, weight: 0.0 }
        """;

    [Fact]
    public void Composite_IsTheWeightedSum_WithEachComponentKept()
    {
        var c = RewardConfig.Parse(Yaml);
        var s = c.ScoreAll(new RewardInput("<think>6*8/2</think> Wait, yes. \\boxed{24}", "24"));
        Assert.Equal(["accuracy", "format", "stages", "rethinking"], s.Components.Select(x => x.Name));
        Assert.Equal([1.0, 1.0, 0.0, 1.1], s.Components.Select(x => x.Value));
        Assert.Equal(1.0 * 1 + 0.5 * 1 + 0.25 * 0 + 0.0 * 1.1, s.Total, 12);
    }

    [Theory]
    [InlineData("components: []", "non-empty")]
    [InlineData("components: [{type: nope}]", "unknown type 'nope'")]
    [InlineData("components: [{weight: 1}]", "missing 'type'")]
    [InlineData("components: [{type: accuracy, weight: heavy}]", "'weight' must be a number")]
    [InlineData("components: [{type: accuracy, mode: x}]", "key 'mode' is not valid for type 'accuracy'")]
    [InlineData("components: [{type: format, mode: fancy}]", "format mode 'fancy'")]
    [InlineData("components: [{type: accuracy}, {type: accuracy}]", "used twice")]
    [InlineData("weights: 1", "unknown key 'weights'")]
    [InlineData("verifier: {relative_tolerance: 2}\ncomponents: [{type: accuracy}]", "RelativeTolerance")]
    [InlineData("components: [{type: accuracy", "invalid YAML")]
    public void Config_Errors_NameTheProblem(string yaml, string expected)
    {
        var e = Assert.ThrowsAny<Exception>(() => RewardConfig.Parse(yaml, "r.yaml"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Batch_MatchesSequential_OnSeveralThreads()
    {
        var rows = LabelledRows();
        var seq = rows.Select(r => AnswerVerifier.Default.Verify(r)).ToArray();
        var par = BatchScoring.Verify(rows, maxThreads: 4);
        Assert.Equal(seq, par);
        var reward = RewardConfig.Parse(Yaml);
        var inputs = rows.Select(r => new RewardInput(r.Response, r.Gold, r.Choices, r.AnswerType)).ToList();
        var one = BatchScoring.Score(reward, inputs, maxThreads: 1).Select(s => s.Total).ToArray();
        var many = BatchScoring.Score(reward, inputs, maxThreads: 3).Select(s => s.Total).ToArray();
        Assert.Equal(one, many);
    }

    static List<VerifyInput> LabelledRows() =>
        Tests.Verification.LabelledData.Load("dev_cases.jsonl", "human_verdict").Select(r => r.Input).ToList();
}
