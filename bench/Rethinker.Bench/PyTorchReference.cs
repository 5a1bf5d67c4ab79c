// Runs one of the PyTorch reference scripts (bench/pytorch) in the same job as our measurement, "tuned" as
// PERFORMANCE.md defines it, and returns its JSON records. Absent Python/torch, returns none and says why.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Rethinker.Bench;

public static class PyTorchReference
{
    public static IReadOnlyList<JsonObject> Run(string script, string args, int threads, int timeoutSeconds = 900)
    {
        string dir = FindScripts();
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        psi.ArgumentList.Add(script);
        foreach (var a in args.Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--threads"); psi.ArgumentList.Add(threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        psi.Environment["MALLOC_MMAP_THRESHOLD_"] = "33554432";
        psi.Environment["MALLOC_TRIM_THRESHOLD_"] = "4294967296";
        psi.Environment["MALLOC_TOP_PAD_"] = "268435456";
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            var lines = new List<JsonObject>();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null)
                if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject o) lines.Add(o);
            if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); Console.WriteLine("# pytorch reference timed out"); }
            if (p.ExitCode != 0) Console.WriteLine($"# pytorch reference failed: {err.Result.Split('\n').LastOrDefault(l => l.Length > 0)}");
            return lines;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"# pytorch reference unavailable: {e.Message}");
            return [];
        }
    }

    static string FindScripts()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "bench", "pytorch");
            if (File.Exists(Path.Combine(candidate, "tiny_vlm_bench.py"))) return candidate;
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "bench", "pytorch");
    }
}
