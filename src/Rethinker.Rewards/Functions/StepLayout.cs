// R1-VL (2503.12937) reasoning layout: an image description, then numbered steps 1..n, then the final answer, in that
// order. "Step k" markers are preferred; numbered lines ("1.", "2)") count when there are none. Linear-time regexes.
using System.Text.RegularExpressions;

namespace Rethinker.Rewards.Functions;

public sealed record StepLayoutResult(bool HasDescription, int Steps, bool StepsConsecutive, bool HasFinalAnswer, int FirstStepAt, int FinalAnswerAt)
{
    public bool Valid => HasDescription && Steps >= 1 && StepsConsecutive && HasFinalAnswer;
}

public static partial class StepLayout
{
    [GeneratedRegex(@"(?:image\s+)?description\s*\**\s*[:：]|#+\s*(?:image\s+)?description", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex DescriptionRegex();

    [GeneratedRegex(@"\bstep\s*(\d{1,3})\b", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex StepWordRegex();

    [GeneratedRegex(@"(?m)^[ \t]*(?:\*\*)?(\d{1,3})[.)]\s", RegexOptions.NonBacktracking)]
    private static partial Regex NumberedLineRegex();

    [GeneratedRegex(@"final\s+answer|the\s+answer\s+is|\\boxed\s*\{|<answer>|\banswer\s*\**\s*[:：]|答案", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex FinalAnswerRegex();

    public static StepLayoutResult Analyse(string response)
    {
        string r = response.Length > 64 * 1024 ? response[^(64 * 1024)..] : response;
        var steps = new List<(int num, int at)>();
        foreach (Match m in StepWordRegex().Matches(r)) steps.Add((int.Parse(m.Groups[1].Value), m.Index));
        if (steps.Count == 0) foreach (Match m in NumberedLineRegex().Matches(r)) steps.Add((int.Parse(m.Groups[1].Value), m.Index));
        // a step may be mentioned again ("as in step 2"): keep first mentions, which must read 1, 2, …, n
        var firsts = new List<(int num, int at)>();
        foreach (var s in steps) if (!firsts.Any(f => f.num == s.num)) firsts.Add(s);
        bool consecutive = firsts.Count > 0;
        for (int i = 0; i < firsts.Count && consecutive; i++) consecutive = firsts[i].num == i + 1 && (i == 0 || firsts[i].at > firsts[i - 1].at);
        int firstStep = firsts.Count > 0 ? firsts[0].at : -1;
        int lastStep = firsts.Count > 0 ? firsts[^1].at : -1;
        var d = DescriptionRegex().Match(r);
        bool description = d.Success && firstStep >= 0 && d.Index < firstStep && !string.IsNullOrWhiteSpace(r[(d.Index + d.Length)..firstStep]);
        int finalAt = -1;
        if (lastStep >= 0)
            foreach (Match m in FinalAnswerRegex().Matches(r)) if (m.Index > lastStep) { finalAt = m.Index; break; }
        return new StepLayoutResult(description, firsts.Count, consecutive, finalAt >= 0, firstStep, finalAt);
    }
}
