// Finds the final-answer candidates of a prepared response (DESIGN.md §4): \boxed{…} / \fbox{…} (brace-matched, outermost),
// <answer>…</answer>, "the answer is …", "Answer: …", "the correct option is …", Chinese markers (答案是, 故选, 最终结果为).
// The last candidate wins; the "final segment" (text after the last rethinking marker before it) is where a second,
// different answer makes the response a hedge. No candidate → the last sentence is returned as a weak fallback.
using System.Text.RegularExpressions;

namespace Rethinker.Rewards.Verification;

public enum CandidateKind { Boxed, AnswerTag, Phrase, Fallback, Mentions }

public readonly record struct Candidate(string Text, int Start, CandidateKind Kind);

public sealed record Extraction(IReadOnlyList<Candidate> Candidates, int SegmentStart, bool Truncated)
{
    public static readonly Extraction Empty = new([], 0, false);
}

public static partial class AnswerExtractor
{
    const int MaxCandidateLength = 600;
    const int MaxCandidates = 256;
    const int MaxMentionText = 6000;

    // "the final answer is", "Answer:", "correct option is", "answer would be", Chinese markers. Non-backtracking: linear time.
    [GeneratedRegex(@"(?:\b(?:final\s+|correct\s+|best\s+|right\s+)?answer(?:\s+(?:choice|option))?\**\s*(?:is|would\s+be|should\s+be|will\s+be|:|=)\**\s*:?|\b(?:correct|best|right|final)\s+(?:option|choice)\**\s*(?:is|would\s+be|:)\**\s*:?|\bfinal\s+result\s+is|答案(?:是|为|應為|应为|:|：)|最终答案(?:是|为)?[:：]?|最终结果(?:是|为)|故选|应选|所以选|故答案为[:：]?|结果为)",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    private static partial Regex PhraseRegex();

    // Native rethinking markers: an answer given before one of these has been reconsidered.
    [GeneratedRegex(@"\b(?:wait|alternatively|actually|hmm|on second thought|let me (?:double[- ]?check|re-?check|re-?examine|re-?evaluate|reconsider|verify|check again)|re-?examin(?:e|ing)|re-?evaluat(?:e|ing)|upon (?:re-?evaluation|closer)|double[- ]check(?:ing)?|but wait)\b|等等|不对|重新检查",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    internal static partial Regex RethinkRegex();

    public static Extraction Extract(in PreparedResponse prepared)
    {
        if (prepared.Truncated) return Extraction.Empty with { Truncated = true };
        string t = prepared.Text;
        if (t.Length == 0) return Extraction.Empty;
        var list = new List<Candidate>();
        AddBoxed(t, list);
        AddAnswerTags(t, list);
        AddPhrases(t, list);
        if (list.Count == 0)
        {
            // weakest first: option texts mentioned anywhere (multiple choice only), then the last sentence
            list.Add(new Candidate(t.Length > MaxMentionText ? t[^MaxMentionText..] : t, 0, CandidateKind.Mentions));
            var fb = Fallback(t);
            if (fb is { } f) list.Add(f);
            return new Extraction(list, 0, false);
        }
        list.Sort((a, b) => a.Start.CompareTo(b.Start));
        int lastStart = list[^1].Start;
        int segment = 0;
        foreach (Match m in RethinkRegex().Matches(t.Length > lastStart ? t[..lastStart] : t)) segment = m.Index;
        return new Extraction(list, segment, false);
    }

    static void AddBoxed(string t, List<Candidate> list)
    {
        int from = 0, coveredUntil = -1;
        while (from < t.Length && list.Count < MaxCandidates)
        {
            int i = t.IndexOf('\\', from);
            if (i < 0) break;
            from = i + 1;
            int nameLen = t.AsSpan(i).StartsWith("\\boxed") ? 6 : t.AsSpan(i).StartsWith("\\fbox") ? 5 : 0;
            if (nameLen == 0 || i < coveredUntil) continue;
            int j = i + nameLen;
            while (j < t.Length && t[j] == ' ') j++;
            if (j >= t.Length || t[j] != '{') continue;
            int close = Expressions.LatexToPlain.MatchBrace(t, j, t.Length);
            if (close < 0) continue; // unclosed box: cut off, not an answer
            coveredUntil = close;
            string inner = t.Substring(j + 1, close - j - 1);
            if (inner.Length <= MaxCandidateLength) list.Add(new Candidate(inner, i, CandidateKind.Boxed));
            from = close + 1;
        }
    }

    static void AddAnswerTags(string t, List<Candidate> list)
    {
        int from = 0;
        while (list.Count < MaxCandidates)
        {
            int i = t.IndexOf("<answer>", from, StringComparison.OrdinalIgnoreCase);
            if (i < 0) break;
            int j = t.IndexOf("</answer>", i + 8, StringComparison.OrdinalIgnoreCase);
            if (j < 0) break;
            string inner = t.Substring(i + 8, j - i - 8).Trim();
            if (inner.Length <= MaxCandidateLength && !inner.Contains("\\boxed", StringComparison.Ordinal))
                list.Add(new Candidate(inner, i, CandidateKind.AnswerTag));
            from = j + 9;
        }
    }

    static void AddPhrases(string t, List<Candidate> list)
    {
        foreach (var m in PhraseRegex().EnumerateMatches(t))
        {
            if (list.Count >= MaxCandidates) break;
            int start = m.Index + m.Length;
            string cap = CaptureClause(t, start);
            if (cap.Length == 0)
            {
                // "Answer:" alone on its line: the answer is on the next non-empty line
                int nl = t.IndexOf('\n', start);
                while (nl >= 0 && nl + 1 < t.Length && cap.Length == 0)
                {
                    int next = t.IndexOf('\n', nl + 1);
                    string line = (next < 0 ? t[(nl + 1)..] : t[(nl + 1)..next]).Trim();
                    if (line.Length > 0) { cap = CaptureClause(line, 0); break; }
                    nl = next;
                }
            }
            cap = cap.Trim().Trim('*').Trim();
            if (PhraseRegex().IsMatch(cap)) continue; // "Answer: The final answer is 5": the inner phrase is its own candidate
            if (cap.Length == 0 || cap.Contains("\\boxed", StringComparison.Ordinal) || cap.Contains("\\fbox", StringComparison.Ordinal)) continue;
            list.Add(new Candidate(cap, m.Index, CandidateKind.Phrase));
        }
    }

    /// <summary>The text from <paramref name="start"/> to the end of its sentence (kept going over "Or …" continuations).</summary>
    internal static string CaptureClause(string t, int start)
    {
        int end = Math.Min(t.Length, start + MaxCandidateLength);
        int nl = t.IndexOf('\n', start, end - start);
        if (nl >= 0) end = nl;
        int i = start;
        while (i < end)
        {
            char c = t[i];
            bool stop = c is '。' or '；' || (c is '.' or '!' or '?' or ';' && (i + 1 >= end || char.IsWhiteSpace(t[i + 1])));
            if (stop)
            {
                // "25%. Or 25. Or 0.25": an "or" right after the full stop continues the same answer (a hedge)
                int k = i + 1;
                while (k < end && t[k] == ' ') k++;
                if (k + 2 < end && (t[k] is 'O' or 'o') && t[k + 1] == 'r' && t[k + 2] == ' ') { i = k + 2; continue; }
                if (k < end && t[k] == '或') { i = k + 1; continue; }
                end = i;
                break;
            }
            i++;
        }
        return t[start..end];
    }

    /// <summary>No explicit marker: the trailing display-math block, else the last sentence that is not a pleasantry.</summary>
    static Candidate? Fallback(string t)
    {
        string trimmed = t.TrimEnd();
        if (trimmed.EndsWith("$$", StringComparison.Ordinal) || trimmed.EndsWith("\\]", StringComparison.Ordinal))
        {
            bool dollars = trimmed.EndsWith("$$", StringComparison.Ordinal);
            int open = dollars ? trimmed.LastIndexOf("$$", trimmed.Length - 3, StringComparison.Ordinal) : trimmed.LastIndexOf("\\[", StringComparison.Ordinal);
            if (open >= 0 && trimmed.Length - open < MaxCandidateLength)
                return new Candidate(trimmed[(open + 2)..(trimmed.Length - 2)].Trim(), open, CandidateKind.Fallback);
        }
        // the last sentence that is not a pleasantry, looking back over trailing pleasantry-only paragraphs
        int end = trimmed.Length;
        for (int para = 0; para < 4 && end > 0; para++)
        {
            int paraStart = end <= 2 ? -1 : trimmed.LastIndexOf("\n\n", end - 1, StringComparison.Ordinal);
            paraStart = paraStart < 0 ? 0 : paraStart + 2;
            var sentences = Sentences(trimmed, paraStart, end);
            for (int s = sentences.Count - 1; s >= 0; s--)
            {
                var (a, b) = sentences[s];
                string sent = trimmed[a..b].Trim();
                if (sent.Length == 0 || IsPleasantry(sent)) continue;
                return sent.Length <= MaxCandidateLength ? new Candidate(sent, a, CandidateKind.Fallback) : null;
            }
            end = Math.Max(0, paraStart - 2);
        }
        return null;
    }

    static List<(int, int)> Sentences(string t, int from, int to)
    {
        var res = new List<(int, int)>();
        int st = from;
        for (int i = from; i < to; i++)
        {
            char c = t[i];
            bool end = c is '。' or '！' or '？' or '\n' || (c is '.' or '!' or '?' && (i + 1 >= to || char.IsWhiteSpace(t[i + 1])));
            if (end) { res.Add((st, i + 1)); st = i + 1; }
        }
        if (st < to) res.Add((st, to));
        return res;
    }

    static bool IsPleasantry(string s) =>
        s.Contains("hope this helps", StringComparison.OrdinalIgnoreCase) || s.Contains("let me know", StringComparison.OrdinalIgnoreCase) ||
        s.Contains("other questions", StringComparison.OrdinalIgnoreCase) || s.Contains("I hope it is correct", StringComparison.OrdinalIgnoreCase) ||
        s.Contains("any questions", StringComparison.OrdinalIgnoreCase) || s.Contains("happy to help", StringComparison.OrdinalIgnoreCase) ||
        s.Contains("other requests", StringComparison.OrdinalIgnoreCase) || s.Contains("anything else", StringComparison.OrdinalIgnoreCase) ||
        s.Contains("hope this answers", StringComparison.OrdinalIgnoreCase);
}
