using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;
using Rethinker.Tensors;
using Rethinker.Training.Config;
using Rethinker.Training.Grpo;
using Rethinker.Training.Prompts;
using Rethinker.Training.Rethinking;
using Rethinker.Training.Scoring;
using Rethinker.Training.Tests.Fakes;

namespace Rethinker.Training.Tests.Rethinking;

public class ForcedRethinkingTests
{
    // Reward: correct iff the text's last \boxed{...} holds the gold answer.
    static readonly IRewardFunction Reward = new DelegateReward((p, text, _) =>
    {
        int at = text.LastIndexOf("\\boxed{", StringComparison.Ordinal);
        bool ok = at >= 0 && text[(at + 7)..].StartsWith(p.Answer + "}", StringComparison.Ordinal);
        return RewardOutcome.Of(ok ? 1 : 0, ok);
    });

    static readonly RgbImage Img = RgbImage.Create(1, 1, [1, 2, 3]);
    static readonly string Long = new('x', 40); // a continuation body of 40 tokens

    static RethinkingOptions Always => new() { Probability = 1, TruncateProbability = 0, VerificationProbability = 1, VerificationTriggers = ["\n\nWait"] };

    static (RolloutSample[] Samples, Dictionary<string, TrainingPrompt> Prompts) Group(string gold, params (string Text, bool Eos)[] responses)
    {
        var prompt = new TrainingPrompt { Id = "row", PromptTokenIds = [7, 8], Images = [Img], Answer = gold };
        var samples = responses.Select((r, i) =>
        {
            var s = new RolloutSample
            {
                GroupId = "g", PromptId = "row", SampleIndex = i, PromptTokenIds = prompt.PromptTokenIds, Images = prompt.Images,
                ResponseTokenIds = CharGenerator.Tokens(r.Text, r.Eos), PolicyMask = new float[r.Text.Length + (r.Eos ? 1 : 0)],
                Text = r.Text, Finish = r.Eos ? FinishReason.StopToken : FinishReason.Length, Step = 1,
            };
            var o = Reward.Score(prompt, r.Text, s.Finish);
            s.Reward = o.Total; s.Correct = o.Correct;
            return s;
        }).ToArray();
        return (samples, new Dictionary<string, TrainingPrompt> { ["g"] = prompt });
    }

    static (RethinkStats, CharGenerator) Run(RethinkingOptions o, RolloutSample[] samples, Dictionary<string, TrainingPrompt> prompts,
        Func<GenerationRequest, int, Completion> reply, ulong seed = 1)
    {
        var gen = new CharGenerator(reply);
        var stats = new ForcedRethinking(o, gen, Reward).Apply(samples, prompts, new SamplingOptions { StopTokenIds = [0] }, new Rng(seed));
        return (stats, gen);
    }

    [Fact]
    public void KeptContinuation_ReplacesOriginalWithPrefixTriggerAndContinuation_TriggerMasked()
    {
        var (samples, prompts) = Group("5", ("a \\boxed{4}", true), ("b \\boxed{5}", true));
        var (stats, gen) = Run(Always, samples, prompts, (r, k) => CharGenerator.Reply(r, k, $" {Long} so \\boxed{{5}}"));

        Assert.Equal(2, stats.Forced);
        Assert.Equal(2, stats.Kept);
        Assert.Equal(1, stats.Improved);
        var (req, opts) = gen.Calls[0];
        Assert.Equal(0.9f, opts.Temperature);
        Assert.Equal(1024, opts.MaxNewTokens);
        Assert.Equal([0], opts.StopTokenIds);
        Assert.Same(Img, Assert.Single(req.Images));
        Assert.Equal([7, 8], req.PromptTokenIds);
        Assert.Equal(CharGenerator.Tokens("a \\boxed{4}\n\nWait", eos: false), req.PrefixTokenIds); // y1 without its EOS, then trigger

        var s = samples[0];
        string cont = $" {Long} so \\boxed{{5}}";
        Assert.Equal(CharGenerator.Tokens("a \\boxed{4}\n\nWait" + cont), s.ResponseTokenIds);
        Assert.True(s.Rethought);
        Assert.False(s.OriginalCorrect);
        Assert.True(s.Correct);
        Assert.Equal(1f, s.Reward);
        Assert.Equal((11, 6), (s.TriggerStart, s.TriggerLength));
        for (int t = 0; t < s.PolicyMask.Length; t++) Assert.Equal(t is >= 11 and < 17 ? 0f : 1f, s.PolicyMask[t]);
        Assert.Empty(s.RolloutLogProbs); // old log-probs must be recomputed
    }

    [Fact]
    public void MaskTriggerTokensOff_TrainsOnTriggerTokens()
    {
        var (samples, prompts) = Group("5", ("\\boxed{4}", true), ("\\boxed{5}", true));
        Run(Always with { MaskTriggerTokens = false }, samples, prompts, (r, k) => CharGenerator.Reply(r, k, $"{Long} \\boxed{{5}}"));
        Assert.All(samples, s => Assert.All(s.PolicyMask, m => Assert.Equal(1f, m)));
    }

    [Fact]
    public void Eligibility_SkipsUnfinishedAndEasyGroupWrongAnswers()
    {
        // accuracy 3/4 = 0.75 > 0.7: easy group, its wrong answer is not rethought; the truncated one is never eligible.
        var (samples, prompts) = Group("5", ("\\boxed{5}", true), ("\\boxed{5}", true), ("\\boxed{5}", false), ("\\boxed{4}", true));
        samples[2].Correct = true;
        var (stats, gen) = Run(Always, samples, prompts, (r, k) => CharGenerator.Reply(r, k, $"{Long} \\boxed{{5}}"));
        Assert.Equal(1, stats.SkippedEasyWrong);
        Assert.Equal(2, stats.Eligible);
        Assert.Equal(2, gen.Calls.Count);
        Assert.False(samples[2].Rethought);
        Assert.False(samples[3].Rethought);
    }

    [Fact]
    public void Probability_TakesEligibleResponsesWithProbabilityQ()
    {
        var responses = Enumerable.Range(0, 8).Select(_ => ("\\boxed{4}", true)).ToArray();
        int forced = 0, eligible = 0;
        for (ulong seed = 0; seed < 250; seed++)
        {
            var (samples, prompts) = Group("5", responses);
            var (stats, _) = Run(Always with { Probability = 0.65f }, samples, prompts, (r, k) => CharGenerator.Reply(r, k, "no"), seed);
            forced += stats.Forced; eligible += stats.Eligible;
        }
        Assert.Equal(2000, eligible);
        Assert.InRange(forced / 2000.0, 0.62, 0.68);
    }

    [Fact]
    public void NoRoomToContinue_IsNotEligible()
    {
        var (samples, prompts) = Group("5", ("\\boxed{4}", true), ("\\boxed{5}", true));
        var (stats, gen) = Run(Always with { MaxTotalTokens = 40, MinContinuationTokens = 30 }, samples, prompts, (r, k) => CharGenerator.Reply(r, k, "x"));
        Assert.Equal(0, stats.Eligible); // 9 + 6 + 30 > 40
        Assert.Empty(gen.Calls);
    }

    [Fact]
    public void Truncation_CutsY1BeforeConclusionAtBlankLine()
    {
        var (samples, prompts) = Group("5", ("Think.\n\nSo \\boxed{4}", true), ("\\boxed{5}", true));
        var (stats, gen) = Run(Always with { TruncateProbability = 1 }, samples, prompts, (r, k) => CharGenerator.Reply(r, k, $"{Long} \\boxed{{5}}"));
        Assert.Equal(1, stats.Truncated); // "\boxed{5}" alone has no blank line and the marker is at 0
        Assert.Equal(CharGenerator.Tokens("Think.\n\nWait", eos: false), gen.Calls[0].Request.PrefixTokenIds);
        Assert.Equal(CharGenerator.Tokens($"Think.\n\nWait{Long} \\boxed{{5}}"), samples[0].ResponseTokenIds);
    }

    [Theory]
    [InlineData("short \\boxed{5}", FinishReason.StopToken, RethinkRejection.TooShort)]
    [InlineData("LONG \\boxed{5}", FinishReason.StopToken, RethinkRejection.TooLong)]
    [InlineData("BODY \\boxed{5}", FinishReason.Length, RethinkRejection.NotFinished)]
    [InlineData("BODY wait wait wait alternatively wait \\boxed{5}", FinishReason.StopToken, RethinkRejection.TooManyMarkers)]
    [InlineData("BODY wait wait wait alternatively \\boxed{5}", FinishReason.StopToken, null)]
    [InlineData("BODY \\boxed{6}", FinishReason.StopToken, RethinkRejection.Wrong)]
    public void KeepRules_RejectEachViolation(string cont, FinishReason finish, RethinkRejection? expected)
    {
        cont = cont.Replace("LONG", new string('y', 1100)).Replace("BODY", Long);
        // The second response is truncated, so only the first is continued.
        var (samples, prompts) = Group("5", ("\\boxed{4}", true), ("\\boxed{4}", false));
        var (stats, gen) = Run(Always, samples, prompts, (r, k) => CharGenerator.Reply(r, k, cont, finish));
        Assert.Single(gen.Calls);
        if (expected is { } e)
        {
            Assert.Equal(1, stats.Rejected[e]);
            Assert.False(samples[0].Rethought);
            Assert.Equal(CharGenerator.Tokens("\\boxed{4}"), samples[0].ResponseTokenIds); // original untouched
        }
        else Assert.True(samples[0].Rethought);
    }

    [Fact]
    public void AtMostTwoKeptPerPrompt()
    {
        var responses = Enumerable.Range(0, 5).Select(_ => ("\\boxed{4}", true)).ToArray();
        var (samples, prompts) = Group("5", responses);
        var (stats, _) = Run(Always, samples, prompts, (r, k) => CharGenerator.Reply(r, k, $"{Long} \\boxed{{5}}"));
        Assert.Equal(5, stats.Forced);
        Assert.Equal(2, stats.Kept);
        Assert.Equal(3, stats.Rejected[RethinkRejection.PromptLimit]);
        Assert.Equal([true, true, false, false, false], samples.Select(s => s.Rethought));
    }

    [Fact]
    public void Disabled_OnlyCountsNativeRethinking()
    {
        var (samples, prompts) = Group("5", ("\\boxed{4}", true), ("\\boxed{5}", true));
        samples[1].NativeMarkers = 2;
        var (stats, gen) = Run(Always with { Enabled = false }, samples, prompts, (r, k) => throw new InvalidOperationException());
        Assert.Equal((2, 1, 0), (stats.Responses, stats.NativeRethinking, stats.Forced));
        Assert.Empty(gen.Calls);
    }
}
