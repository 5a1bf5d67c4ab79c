// A blind (question-only) baseline for the synthetic tasks: predict, for each held-out question, the most
// frequent training answer among rows with the same question text, falling back to the same task and
// answer type. This is the best any model can do from answer priors and question wording alone, so a
// held-out accuracy near it (and far below 100%) means the tasks need the image.
using Rethinker.Data.Rows;

namespace Rethinker.Data.Synthetic;

public sealed record BlindBaselineResult(double Accuracy, IReadOnlyDictionary<string, double> PerTask, int Count);

public static class BlindBaseline
{
    public static BlindBaselineResult Evaluate(IReadOnlyList<DatasetRow> train, IReadOnlyList<DatasetRow> heldOut)
    {
        var byQuestion = Majority(train, r => r.Question);
        var byType = Majority(train, TypeKey);
        int correct = 0;
        var perTask = new Dictionary<string, (int Right, int All)>();
        foreach (var r in heldOut)
        {
            string? guess = byQuestion.GetValueOrDefault(r.Question) ?? byType.GetValueOrDefault(TypeKey(r));
            bool ok = guess == r.Answer;
            if (ok) correct++;
            string task = r.Task ?? r.Category ?? "?";
            var (right, all) = perTask.GetValueOrDefault(task);
            perTask[task] = (right + (ok ? 1 : 0), all + 1);
        }
        return new BlindBaselineResult(heldOut.Count == 0 ? 0 : (double)correct / heldOut.Count,
            perTask.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => (double)kv.Value.Right / kv.Value.All), heldOut.Count);
    }

    static string TypeKey(DatasetRow r) => $"{r.Task}|{r.AnswerType}|{r.Choices?.Count ?? 0}";

    /// <summary>Most frequent answer per key (ties: ordinal-smallest answer, so the result is deterministic).</summary>
    static Dictionary<string, string> Majority(IEnumerable<DatasetRow> rows, Func<DatasetRow, string> key)
        => rows.GroupBy(key).ToDictionary(g => g.Key,
            g => g.GroupBy(r => r.Answer).OrderByDescending(a => a.Count()).ThenBy(a => a.Key, StringComparer.Ordinal).First().Key);
}
