// The generated traces through the rewards project's verifier and reward functions: every final answer is
// judged correct against the independently recomputed gold, every format scores 1 on its format reward,
// key steps match for StepRAR, and a self-correction's slip is judged wrong when it is the final answer.
using Rethinker.Rewards.Functions;
using Rethinker.Rewards.Verification;

namespace Rethinker.Data.Tests.Synthetic;

public class VerifierTests
{
    static readonly AnswerVerifier Verifier = AnswerVerifier.Default;

    [Fact]
    public void EveryTraceFinalAnswer_IsJudgedCorrect_AgainstTheRecomputedGold()
    {
        var failures = new List<string>();
        foreach (var ex in Examples.All)
        {
            var row = ex.Row;
            string recomputed = SceneSolver.Solve(row.Scene!);
            // Gold as the recomputed value; for multiple choice the verifier maps it to its option letter.
            string gold = row.Choices is null ? recomputed : ((char)('A' + row.Choices.ToList().IndexOf(recomputed))).ToString();
            Assert.NotEqual("@", gold);
            foreach (var (name, text) in new[] { ("cot", row.Traces!.Cot!), ("think", row.Traces.Think!), ("llava_cot", row.Traces.LlavaCot!), ("r1vl", row.Traces.R1Vl!) })
            {
                var v = Verifier.Verify(new VerifyInput(text, gold, row.Choices, row.Choices is null ? row.AnswerType : null));
                if (!v.Correct) failures.Add($"{row.Task}/{row.Difficulty} {name}: {v.Status} extracted '{v.Extracted}' gold '{gold}'");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void SelfCorrectionSlip_IsJudgedWrong_WhenItIsTheFinalAnswer()
    {
        int n = 0;
        foreach (var ex in Examples.All.Where(e => e.Row.Rethink == "self_correct" && e.Row.Choices is null))
        {
            string cot = ex.Row.Traces!.Cot!;
            string before = cot[..cot.IndexOf("\n\nWait", StringComparison.Ordinal)];
            string slip = System.Text.RegularExpressions.Regex.Match(before, @"This gives ([^\n]+?)\.$").Groups[1].Value;
            var v = Verifier.Verify(new VerifyInput(before + $"\n\nTherefore, the answer is \\boxed{{{slip}}}.", ex.Row.Answer, null, ex.Row.AnswerType));
            Assert.False(v.Correct, $"slip '{slip}' judged correct against gold '{ex.Row.Answer}'");
            n++;
        }
        Assert.True(n > 20);
    }

    [Fact]
    public void EveryFormat_ScoresOneOnItsFormatReward_AndR1VlPassesStepRvr()
    {
        foreach (var ex in Examples.All)
        {
            var t = ex.Row.Traces!;
            RewardInput In(string s) => new(s, ex.Row.Answer, ex.Row.Choices, null, false, ex.Row.KeySteps);
            Assert.Equal(1.0, new FormatReward(FormatMode.ThinkBoxed).Score(In(t.Think!)).Value);
            Assert.Equal(1.0, new FormatReward(FormatMode.LlavaCot).Score(In(t.LlavaCot!)).Value);
            Assert.Equal(1.0, new FormatReward(FormatMode.R1VlSteps).Score(In(t.R1Vl!)).Value);
            Assert.Equal(1.0, new StepRvrReward().Score(In(t.R1Vl!)).Value);
        }
    }

    [Fact]
    public void StepRar_MatchesEveryKeyStepGroup_OnCorrectTraces()
    {
        foreach (var ex in Examples.All.Where(e => e.Row.Rethink != "self_correct"))
        {
            var input = new RewardInput(ex.Row.Traces!.R1Vl!, ex.Row.Answer, ex.Row.Choices, null, false, ex.Row.KeySteps);
            Assert.Equal(1.1, new StepRarReward().Score(input).Value, 1e-9);
        }
    }

    [Fact]
    public void RethinkingTraces_EarnTheShapingBonus_OthersHaveNoMarker()
    {
        foreach (var ex in Examples.All)
        {
            string cot = ex.Row.Traces!.Cot!;
            int markers = RethinkingDetector.Detect(cot).Count;
            if (ex.Row.Rethink == "none") { Assert.Equal(0, markers); continue; }
            // "Wait, let me verify" is two markers (wait + let me verify): still in VL-Rethinker's rewarded band of 1–2.
            Assert.InRange(markers, 1, 2);
            Assert.Equal(1.1, new RethinkingShapingReward().Score(new RewardInput(cot, ex.Row.Answer, ex.Row.Choices)).Value, 1e-9);
        }
    }
}
