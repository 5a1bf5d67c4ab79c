// Reads a trainer's metrics.jsonl (one flat JSON object per step, TRL-style slash keys) into per-key series.
using System.Text.Json;

namespace Rethinker.Cli.Quickstart;

public static class MetricsFile
{
    public static Dictionary<string, List<(double Step, double Value)>> Read(string path)
    {
        var series = new Dictionary<string, List<(double, double)>>(StringComparer.Ordinal);
        if (!File.Exists(path)) return series;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            double step = doc.RootElement.TryGetProperty("step", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : series.Count;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number) continue;
                if (!series.TryGetValue(p.Name, out var list)) series[p.Name] = list = [];
                list.Add((step, p.Value.GetDouble()));
            }
        }
        return series;
    }
}
