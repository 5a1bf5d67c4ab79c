// Detects native rethinking (VL-Rethinker 2504.08837): counts self-reflection markers ("wait", "alternatively",
// "let me double check", "re-examine", "on second thought", …) and locates the rethinking segment — the character span
// from the first marker to the end of the response (after </think> markup is ignored: markers are counted anywhere).
using System.Text.RegularExpressions;

namespace Rethinker.Rewards.Functions;

public readonly record struct RethinkMarker(int Start, int Length, string Text);

public sealed record RethinkingReport(IReadOnlyList<RethinkMarker> Markers, int SegmentStart, int SegmentEnd)
{
    public int Count => Markers.Count;
    public bool HasSegment => SegmentStart >= 0;
}

public static partial class RethinkingDetector
{
    [GeneratedRegex(@"\b(?:wait|alternatively|on second thought|let me (?:double[- ]?check|re-?check|re-?examine|re-?evaluate|reconsider|verify|check again|think again)|re-?examin(?:e|ing)|re-?evaluat(?:e|ing)|double[- ]check(?:ing)?|upon (?:further )?reflection|hmm+)\b|等等|不对|再检查|重新检查",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerRegex();

    /// <summary>Markers in <paramref name="response"/>; counting stops at <paramref name="maxMarkers"/> (shaping needs ≤ 6).</summary>
    public static RethinkingReport Detect(string response, int maxMarkers = 1000)
    {
        var list = new List<RethinkMarker>();
        foreach (var m in MarkerRegex().EnumerateMatches(response))
        {
            list.Add(new RethinkMarker(m.Index, m.Length, response.Substring(m.Index, m.Length)));
            if (list.Count >= maxMarkers) break;
        }
        return list.Count == 0 ? new RethinkingReport(list, -1, -1) : new RethinkingReport(list, list[0].Start, response.Length);
    }
}
