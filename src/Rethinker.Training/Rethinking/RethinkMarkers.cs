// Counts rethinking markers ("wait", "alternatively" by default): case-insensitive whole words, so
// "Wait," and "WAIT" count and "awaited" does not. Used for the native rethinking rate and the keep rule.
namespace Rethinker.Training.Rethinking;

public static class RethinkMarkers
{
    public static int Count(string text, IReadOnlyList<string> markers)
    {
        int n = 0;
        foreach (var m in markers)
        {
            int at = 0;
            while ((at = text.IndexOf(m, at, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                bool startOk = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                int end = at + m.Length;
                bool endOk = end == text.Length || !char.IsLetterOrDigit(text[end]);
                if (startOk && endOk) n++;
                at = end;
            }
        }
        return n;
    }
}
