// Format rewards (DESIGN.md §4): ThinkBoxed — one <think>…</think> block first, then a \boxed{} answer after it (R1-style);
// LlavaCot — <SUMMARY>, <CAPTION>, <REASONING>, <CONCLUSION> each once, non-empty, in that order (LLaVA-CoT 2411.10440);
// R1VlSteps — description, numbered steps 1..n, final answer in order (R1-VL's StepRVR layout). Scores are 1 or 0.
using Rethinker.Rewards.Expressions;

namespace Rethinker.Rewards.Functions;

public enum FormatMode { ThinkBoxed, LlavaCot, R1VlSteps }

public sealed class FormatReward(FormatMode mode) : IReward
{
    static readonly string[] Stages = ["SUMMARY", "CAPTION", "REASONING", "CONCLUSION"];

    public string Name { get; init; } = "format";
    public FormatMode Mode => mode;

    public RewardScore Score(RewardInput input) => mode switch
    {
        FormatMode.ThinkBoxed => ThinkBoxed(input.Response),
        FormatMode.LlavaCot => LlavaCot(input.Response),
        _ => R1Vl(input.Response),
    };

    RewardScore ThinkBoxed(string r)
    {
        string t = r.TrimStart();
        int open = t.IndexOf("<think>", StringComparison.Ordinal), close = t.IndexOf("</think>", StringComparison.Ordinal);
        bool one = open == 0 && close > open
            && t.IndexOf("<think>", open + 1, StringComparison.Ordinal) < 0 && t.IndexOf("</think>", close + 1, StringComparison.Ordinal) < 0;
        bool thought = one && !string.IsNullOrWhiteSpace(t[7..close]);
        bool boxed = false;
        if (one)
        {
            string after = t[(close + 8)..];
            int b = after.IndexOf("\\boxed", StringComparison.Ordinal);
            if (b >= 0)
            {
                int brace = after.IndexOf('{', b);
                boxed = brace >= 0 && brace - b <= 7 && LatexToPlain.MatchBrace(after, brace, after.Length) > brace + 1;
            }
        }
        bool ok = one && thought && boxed;
        return RewardScore.Of(Name, ok ? 1 : 0, ("think_block", one && thought), ("boxed_after_think", boxed));
    }

    RewardScore LlavaCot(string r)
    {
        int pos = 0, found = 0;
        bool ordered = true;
        foreach (var s in Stages)
        {
            string open = $"<{s}>", close = $"</{s}>";
            int o = r.IndexOf(open, StringComparison.Ordinal), c = r.IndexOf(close, StringComparison.Ordinal);
            bool once = o >= 0 && c > o && r.IndexOf(open, o + 1, StringComparison.Ordinal) < 0 && r.IndexOf(close, c + 1, StringComparison.Ordinal) < 0;
            if (!once || string.IsNullOrWhiteSpace(r[(o + open.Length)..c])) { ordered = false; continue; }
            if (o < pos) ordered = false;
            pos = c + close.Length;
            found++;
        }
        bool ok = ordered && found == Stages.Length;
        return RewardScore.Of(Name, ok ? 1 : 0, ("stages_found", found), ("in_order", ordered));
    }

    RewardScore R1Vl(string r)
    {
        var layout = StepLayout.Analyse(r);
        return RewardScore.Of(Name, layout.Valid ? 1 : 0, ("description", layout.HasDescription), ("steps", layout.Steps), ("final_answer", layout.HasFinalAnswer));
    }
}
