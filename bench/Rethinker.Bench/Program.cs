// One benchmark program (DESIGN.md §9): `dotnet run -c Release --project bench/Rethinker.Bench -- <suite> [--threads N] [--json]`.
// Suites are IBenchSuite classes discovered by reflection, one per file.
using System.Reflection;

namespace Rethinker.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        var suites = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
            .ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: Rethinker.Bench <suite> [--threads N] [--json]\nsuites: " + string.Join(", ", suites.Keys.Order()));
            return 0;
        }
        if (!suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine($"error: unknown suite '{args[0]}'; known: {string.Join(", ", suites.Keys.Order())}");
            return 2;
        }
        var options = BenchOptions.Parse(args.Skip(1).ToArray());
        suite.Run(new BenchReport(suite.Name, options));
        return 0;
    }
}

public interface IBenchSuite
{
    string Name { get; }
    void Run(BenchReport report);
}

public sealed record BenchOptions(int Threads, bool Json, IReadOnlyList<string> Rest)
{
    public static BenchOptions Parse(string[] args)
    {
        int threads = Environment.ProcessorCount; bool json = false; var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads" && i + 1 < args.Length) threads = int.Parse(args[++i]);
            else if (args[i] == "--json") json = true;
            else rest.Add(args[i]);
        }
        return new BenchOptions(threads, json, rest);
    }
}

/// <summary>Prints one measurement per line: a readable table row, or with --json the DESIGN.md §9 record.</summary>
public sealed class BenchReport(string suite, BenchOptions options)
{
    public BenchOptions Options => options;

    public void Add(string name, IReadOnlyDictionary<string, object>? parameters, int threads, double value, string unit,
        double? limit = null, double? reference = null, string? referenceName = null)
    {
        double? fraction = limit is > 0 ? value / limit : null;
        double? ratio = reference is > 0 ? value / reference : null;
        if (options.Json)
        {
            var rec = new Dictionary<string, object?>
            {
                ["suite"] = suite, ["name"] = name, ["params"] = parameters ?? new Dictionary<string, object>(),
                ["threads"] = threads, ["value"] = value, ["unit"] = unit,
            };
            if (limit is not null) { rec["limit"] = limit; rec["fraction_of_limit"] = fraction; }
            if (reference is not null) { rec["reference"] = reference; rec["ratio"] = ratio; if (referenceName is not null) rec["reference_name"] = referenceName; }
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(rec));
            return;
        }
        string p = parameters is null ? "" : string.Join(" ", parameters.Select(kv => $"{kv.Key}={kv.Value}"));
        string extra = (fraction is null ? "" : $"  {fraction:P0} of {limit:0.##}") + (ratio is null ? "" : $"  ×{ratio:0.00} vs {referenceName ?? "reference"} ({reference:0.##})");
        Console.WriteLine($"{suite,-10} {name,-28} {p,-36} t={threads} {value,12:0.###} {unit}{extra}");
    }
}
