// Writes one example's structured reasoning in the four trace formats the trainers use: chain of thought
// ending in \boxed{}; <think>…</think> then \boxed{}; LLaVA-CoT's SUMMARY/CAPTION/REASONING/CONCLUSION
// stages (2411.10440); R1-VL / Mulberry's layout (image description, rationale, numbered steps, final
// answer). A share of traces carries a genuine rethinking segment (VL-Rethinker): "Wait, …" followed by a
// re-derivation of the answer by another route (self-check), or one that catches an earlier slip (self-correct).
// The final \boxed{} appears once, after any rethinking, so the verifier never sees two different answers.
using System.Text;
using Rethinker.Data.Rows;
using Rethinker.Data.Synthetic.Tasks;

namespace Rethinker.Data.Synthetic.Traces;

public enum RethinkMode { None, SelfCheck, SelfCorrect }

public static class TraceFormatter
{
    /// <summary>Triggers in VL-Rethinker's vocabulary (self-verification, double check, possible mistake).</summary>
    public static readonly IReadOnlyList<string> SelfCheckTriggers = ["Wait, let me verify:", "Wait, let's double check:", "Wait, does it seem right? Let me check:"];
    public static readonly IReadOnlyList<string> SelfCorrectTriggers = ["Wait, there might be a mistake. Let me check:", "Wait, let's double check:", "Wait, let me verify:"];

    static int IndexOf(IReadOnlyList<string> choices, string value)
    {
        for (int i = 0; i < choices.Count; i++) if (choices[i] == value) return i;
        return -1;
    }

    static string OptionLetter(int index) => index >= 0 ? ((char)('A' + index)).ToString()
        : throw new ArgumentException("the gold value is not among the choices");

    /// <summary>The letter of the option equal to <paramref name="value"/>; throws when none is.</summary>
    public static string LetterOf(IReadOnlyList<string> choices, string value) => OptionLetter(IndexOf(choices, value));

    /// <summary>
    /// "Checking the choices: (A) 2 matches, (B) 4 does not, …\nSo the option is (A)." A small decoder cannot look
    /// a value up among the options and emit the letter written before it (measured: letters at chance with the value
    /// right); copying the options in order, marking the one equal to the value, then reading the letter beside the
    /// one mark is a chain of copies it can learn.
    /// </summary>
    public static string ChoiceCheck(IReadOnlyList<string> choices, string value)
    {
        var marks = choices.Select((c, i) => $"({OptionLetter(i)}) {c} {(c == value ? "matches" : "does not")}");
        return $"Checking the choices: {string.Join(", ", marks)}.\nSo the option is ({LetterOf(choices, value)}).";
    }

    public static string ModeName(RethinkMode mode) => mode switch { RethinkMode.SelfCheck => "self_check", RethinkMode.SelfCorrect => "self_correct", _ => "none" };

    /// <param name="value">The gold value (free-form form of the answer).</param>
    /// <param name="choices">The options in the order the question lists them when the row is multiple choice, else null.</param>
    public static ReasoningTraces Format(Reasoning r, string value, IReadOnlyList<string>? choices, RethinkMode mode, SynthRng rng)
    {
        bool slip = mode == RethinkMode.SelfCorrect;
        var steps = slip ? r.SlipSteps : r.Steps;
        string got = slip ? r.SlipValue : value;
        string? letter = choices is null ? null : LetterOf(choices, value);
        string check = choices is null ? "" : "\n" + ChoiceCheck(choices, value);
        string result = slip ? $"This gives {got}." : $"This gives {got}.{check}";
        string? rethink = mode switch
        {
            RethinkMode.SelfCheck => $"{rng.Pick(SelfCheckTriggers)} {r.Verification} Yes, {value} is correct.",
            RethinkMode.SelfCorrect => $"{rng.Pick(SelfCorrectTriggers)} {r.Verification} So the correct result is {value}, not {got}.{check}",
            _ => null,
        };
        string final = letter ?? value;
        string boxed = $"\\boxed{{{final}}}";
        string body = string.Join("\n", steps) + "\n" + result + (rethink is null ? "" : "\n\n" + rethink);

        string cot = $"{r.Caption}\n{body}\n\nTherefore, the answer is {boxed}.";
        string think = $"<think>\n{r.Caption}\n{body}\n</think>\n{boxed}";
        string llava = $"<SUMMARY>{r.Summary}</SUMMARY>\n\n<CAPTION>{r.Caption}</CAPTION>\n\n<REASONING>{body}</REASONING>\n\n<CONCLUSION>The answer is {boxed}.</CONCLUSION>";

        var sb = new StringBuilder();
        sb.Append("### Image Description:\n").Append(r.Caption).Append("\n\n### Rationales:\n").Append(r.Summary).Append("\n\n### Let's think step by step.\n\n");
        for (int i = 0; i < steps.Count; i++)
        {
            sb.Append("### Step ").Append(i + 1).Append(":\n").Append(steps[i]);
            if (i == steps.Count - 1) sb.Append('\n').Append(result);
            sb.Append("\n\n");
        }
        if (rethink is not null) sb.Append("### Step ").Append(steps.Count + 1).Append(":\n").Append(rethink).Append("\n\n");
        sb.Append("### The final answer is: ").Append(boxed);
        return new ReasoningTraces { Cot = cot, Think = think, LlavaCot = llava, R1Vl = sb.ToString() };
    }
}
