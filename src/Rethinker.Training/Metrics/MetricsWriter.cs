// Metrics as JSONL, one object per step, with TRL-style slash keys ("reward/mean", "replay/effective_ratio").
// Appends and flushes each line so a killed run keeps every finished step; on resume, lines of steps after
// the checkpoint are dropped so the file reads as one uninterrupted run.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rethinker.Training.Metrics;

public sealed class MetricsWriter : IDisposable
{
    readonly StreamWriter writer;

    public string Path { get; }

    public MetricsWriter(string path, int resumeAfterStep = -1)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        if (resumeAfterStep >= 0 && File.Exists(path))
        {
            var keep = File.ReadAllLines(path).Where(l => StepOf(l) is int s && s <= resumeAfterStep).ToArray();
            File.WriteAllLines(path, keep);
        }
        else if (resumeAfterStep < 0 && File.Exists(path)) File.Delete(path);
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    public void Write(IReadOnlyDictionary<string, double> metrics)
    {
        writer.WriteLine(Format(metrics));
        writer.Flush();
    }

    /// <summary>One JSON object; keys in insertion order; non-finite values as null.</summary>
    public static string Format(IReadOnlyDictionary<string, double> metrics)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var (k, v) in metrics)
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(JsonSerializer.Serialize(k)).Append(": ");
            sb.Append(double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        return sb.Append('}').ToString();
    }

    public static Dictionary<string, double> Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : double.NaN);
    }

    static int? StepOf(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try { return Parse(line).TryGetValue("step", out double s) ? (int)s : null; }
        catch (JsonException) { return null; } // a line cut by a kill
    }

    public void Dispose() => writer.Dispose();
}
