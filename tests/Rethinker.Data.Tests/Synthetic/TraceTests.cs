// The four trace formats: layout of each, the final boxed answer, key steps for StepRAR, arithmetic that
// is true wherever the trace claims it, and rethinking segments that genuinely re-derive the answer.
using System.Text.RegularExpressions;
using Rethinker.Data.Rows;
using Rethinker.Data.Synthetic;
using Rethinker.Data.Synthetic.Traces;

namespace Rethinker.Data.Tests.Synthetic;

public partial class TraceTests
{
    static IEnumerable<(SyntheticExample Ex, string Name, string Text)> AllTraces()
    {
        foreach (var ex in Examples.All)
        {
            var t = ex.Row.Traces!;
            yield return (ex, "cot", t.Cot!);
            yield return (ex, "think", t.Think!);
            yield return (ex, "llava_cot", t.LlavaCot!);
            yield return (ex, "r1vl", t.R1Vl!);
        }
    }

    [GeneratedRegex(@"\\boxed\{([^{}]*)\}")] private static partial Regex Boxed();

    [Fact]
    public void EveryFormat_HasExactlyOneBoxedAnswer_TheGold_AtTheEnd()
    {
        foreach (var (ex, name, text) in AllTraces())
        {
            var boxes = Boxed().Matches(text);
            Assert.True(boxes.Count == 1, $"{name}: {boxes.Count} boxed answers in {text}");
            Assert.Equal(ex.Row.Answer, boxes[0].Groups[1].Value);
            string tail = text[(boxes[0].Index + boxes[0].Length)..];
            Assert.True(tail.Length <= ".</CONCLUSION>".Length, $"{name}: text after the boxed answer: '{tail}'");
        }
    }

    [Fact]
    public void Think_WrapsReasoningThenBoxed()
        => Assert.All(Examples.All, ex => Assert.Matches(@"^<think>\n[\s\S]+\n</think>\n\\boxed\{[^{}]+\}$", ex.Row.Traces!.Think!));

    [Fact]
    public void LlavaCot_HasTheFourStagesInOrder()
        => Assert.All(Examples.All, ex => Assert.Matches(
            @"^<SUMMARY>[^<]+</SUMMARY>\n\n<CAPTION>[^<]+</CAPTION>\n\n<REASONING>[\s\S]+</REASONING>\n\n<CONCLUSION>[^<]+</CONCLUSION>$", ex.Row.Traces!.LlavaCot!));

    [Fact]
    public void R1Vl_HasDescriptionThenNumberedStepsThenFinalAnswer()
    {
        foreach (var ex in Examples.All)
        {
            string t = ex.Row.Traces!.R1Vl!;
            Assert.StartsWith("### Image Description:\n", t);
            int rationale = t.IndexOf("### Rationales:", StringComparison.Ordinal), final = t.IndexOf("### The final answer is:", StringComparison.Ordinal);
            Assert.True(rationale > 0 && final > rationale);
            var steps = Regex.Matches(t, @"### Step (\d+):").Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.NotEmpty(steps);
            Assert.Equal(Enumerable.Range(1, steps.Count), steps);
            Assert.True(t.IndexOf("### Step 1:", StringComparison.Ordinal) > rationale && t.LastIndexOf("### Step", StringComparison.Ordinal) < final);
        }
    }

    [Fact]
    public void KeySteps_EveryGroupOccursInTheStepsOfACorrectTrace()
    {
        foreach (var ex in Examples.All.Where(e => e.Row.Rethink != "self_correct"))
        {
            string steps = ex.Row.Traces!.R1Vl!;
            Assert.NotEmpty(ex.Row.KeySteps!);
            foreach (var group in ex.Row.KeySteps!)
                Assert.True(group.Any(p => steps.Contains(p, StringComparison.OrdinalIgnoreCase)), $"no phrasing of [{string.Join(" | ", group)}] in {steps}");
        }
    }

    [GeneratedRegex(@"(?<![\^\d.])(\d+(?: [-+×/] \d+)+) = (\d+)(?![\^\d])")] private static partial Regex Equation();

    static IEnumerable<(string Claim, bool True)> Equations(string text)
    {
        foreach (Match m in Equation().Matches(text))
        {
            var tokens = m.Groups[1].Value.Split(' ');
            double acc = double.Parse(tokens[0]);
            for (int i = 1; i < tokens.Length; i += 2)
            {
                double v = double.Parse(tokens[i + 1]);
                acc = tokens[i] switch { "+" => acc + v, "-" => acc - v, "×" => acc * v, _ => acc / v };
            }
            yield return (m.Value, acc == double.Parse(m.Groups[2].Value));
        }
    }

    [Fact]
    public void EveryEquationInACorrectTrace_IsArithmeticallyTrue()
    {
        int checkedCount = 0;
        foreach (var ex in Examples.All.Where(e => e.Row.Rethink != "self_correct"))
            foreach (var (claim, ok) in Equations(ex.Row.Traces!.Cot!))
            {
                Assert.True(ok, $"false equation '{claim}' in {ex.Row.Traces!.Cot}");
                checkedCount++;
            }
        Assert.True(checkedCount > 500, $"only {checkedCount} equations checked");
    }

    static string AfterWait(string cot)
    {
        int w = cot.IndexOf("\n\nWait", StringComparison.Ordinal);
        Assert.True(w > 0, $"no rethinking segment in {cot}");
        return cot[w..];
    }

    [Fact]
    public void SelfCheck_RederivesTheGoldByAnotherRouteAfterWait()
    {
        var checks = Examples.All.Where(e => e.Row.Rethink == "self_check").ToList();
        Assert.True(checks.Count > 50);
        foreach (var ex in checks)
        {
            string cot = ex.Row.Traces!.Cot!, after = AfterWait(cot), before = cot[..cot.IndexOf("\n\nWait", StringComparison.Ordinal)];
            string gold = AnswerTests.GoldValue(ex);
            Assert.Contains(gold, after);
            // A genuine re-derivation: the segment is not a restatement of a step line.
            foreach (var line in before.Split('\n').Where(l => l.Length > 12)) Assert.DoesNotContain(line, after);
            Assert.All(Equations(after), e => Assert.True(e.True, e.Claim));
            Assert.Single(Regex.Matches(cot, @"\bWait\b"));
        }
    }

    [Fact]
    public void SelfCorrect_MakesAWrongClaimThenCatchesItAndEndsOnTheGold()
    {
        var corrections = Examples.All.Where(e => e.Row.Rethink == "self_correct").ToList();
        Assert.True(corrections.Count > 30);
        foreach (var ex in corrections)
        {
            string cot = ex.Row.Traces!.Cot!, after = AfterWait(cot), before = cot[..cot.IndexOf("\n\nWait", StringComparison.Ordinal)];
            string gold = AnswerTests.GoldValue(ex);
            var m = Regex.Match(before, @"This gives ([^\n]+?)\.$");
            Assert.True(m.Success, before);
            string slip = m.Groups[1].Value;
            Assert.NotEqual(gold, slip);
            Assert.Contains($"the correct result is {gold}, not {slip}.", after);
            // The option is chosen for the corrected value, never for the slip.
            if (ex.Row.Choices is not null) Assert.EndsWith($"So the option is ({ex.Row.Answer}).", after[..after.IndexOf("\n\nTherefore", StringComparison.Ordinal)]);
            Assert.All(Equations(after), e => Assert.True(e.True, e.Claim));
        }
    }

    [Fact]
    public void MultipleChoice_ChecksEveryOptionInOrder_AndNamesTheOneMatchingTheValue()
    {
        var mc = Examples.All.Where(e => e.Row.Choices is not null && e.Row.Rethink != "self_correct").ToList();
        Assert.True(mc.Count > 30);
        foreach (var ex in mc)
        {
            string cot = ex.Row.Traces!.Cot!, gold = AnswerTests.GoldValue(ex);
            var choices = ex.Row.Choices!;
            string expected = "Checking the choices: " + string.Join(", ", choices.Select((c, i) => $"({(char)('A' + i)}) {c} {(c == gold ? "matches" : "does not")}"))
                              + $".\nSo the option is ({ex.Row.Answer}).";
            Assert.Contains($"This gives {gold}.\n{expected}", cot);
            Assert.Single(Regex.Matches(cot, @"\bmatches\b"));
            Assert.EndsWith($"\\boxed{{{ex.Row.Answer}}}.", cot);
        }
    }

    [Fact]
    public void ChoiceCheck_RejectsAValueMissingFromTheChoices() =>
        Assert.Throws<ArgumentException>(() => TraceFormatter.ChoiceCheck(["1", "2"], "3"));

    [Fact]
    public void Shares_FollowTheOptions()
    {
        var o = new SynthOptions { Seed = 5, ChoiceShare = 0.3, SelfCheckShare = 0.25, SelfCorrectShare = 0.1 };
        var xs = Enumerable.Range(0, 1200).Select(i => SyntheticGenerator.Make(o, 0, i).Row).ToList();
        Assert.InRange(xs.Count(r => r.Choices is not null) / 1200.0, 0.25, 0.35);
        Assert.InRange(xs.Count(r => r.Rethink == "self_check") / 1200.0, 0.21, 0.29);
        Assert.InRange(xs.Count(r => r.Rethink == "self_correct") / 1200.0, 0.07, 0.13);
        var none = new SynthOptions { Seed = 5, SelfCheckShare = 0, SelfCorrectShare = 0 };
        Assert.All(Enumerable.Range(0, 100), i => Assert.DoesNotContain("Wait", SyntheticGenerator.Make(none, 0, i).Row.Traces!.Cot!));
    }
}
