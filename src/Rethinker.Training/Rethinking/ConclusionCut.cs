// Where forced rethinking cuts y1 "before its conclusion" (DESIGN.md §5 forced rethinking step 2):
// at the last "Wait", else the last "\boxed", else the first "answer" (case-insensitive), then back to
// the last blank line before that point; with no blank line, at the marker itself. Token alignment maps
// the character cut to the longest token prefix that decodes within it, so y1' keeps the sampled tokens.
namespace Rethinker.Training.Rethinking;

public static class ConclusionCut
{
    /// <summary>Character index to cut at (text[..cut] is kept), or null when no marker is found or the cut would leave nothing.</summary>
    public static int? Find(string text)
    {
        int marker = text.LastIndexOf("Wait", StringComparison.Ordinal);
        if (marker < 0) marker = text.LastIndexOf("\\boxed", StringComparison.Ordinal);
        if (marker < 0) marker = text.IndexOf("answer", StringComparison.OrdinalIgnoreCase);
        if (marker <= 0) return null;
        int blank = text.LastIndexOf("\n\n", marker - 1, StringComparison.Ordinal);
        int cut = blank >= 0 ? blank : marker;
        return cut > 0 ? cut : null;
    }

    /// <summary>
    /// Largest k such that decode(tokens[..k]) has at most <paramref name="charCut"/> characters. Decoded length
    /// grows with k (a token never shortens the text), so a binary search needs O(log T) decodes.
    /// </summary>
    public static int AlignToTokens(ReadOnlySpan<int> tokens, int charCut, Func<int[], string> decode)
    {
        int lo = 0, hi = tokens.Length;
        var arr = tokens.ToArray();
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (decode(arr[..mid]).Length <= charCut) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
