// A problem found in one input row: where (file, 1-based line, field) and what was expected.
// Readers collect these instead of throwing, so one bad row never kills a training run.
namespace Rethinker.Data.Rows;

public sealed record RowIssue(string File, int Line, string Field, string Problem)
{
    public override string ToString() => $"{File}:{Line}: {Field}: {Problem}";
}

/// <summary>The rows that parsed, and every problem met (rows with a problem are skipped, not half-read).</summary>
public sealed record DatasetLoad(IReadOnlyList<DatasetRow> Rows, IReadOnlyList<RowIssue> Issues, int LinesRead, int RowsSkipped)
{
    /// <summary>One line per issue, at most <paramref name="max"/>, then a count of the rest.</summary>
    public string Report(int max = 20)
    {
        var lines = Issues.Take(max).Select(i => i.ToString()).ToList();
        if (Issues.Count > max) lines.Add($"… and {Issues.Count - max} more issues");
        lines.Add($"{Rows.Count} rows read, {RowsSkipped} skipped, from {LinesRead} lines");
        return string.Join(Environment.NewLine, lines);
    }
}
