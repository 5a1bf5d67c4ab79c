// `synth` suite: synthetic dataset throughput (Rethinker.Data.Synthetic), examples per second.
// "generate" = scene + rendering + traces + content hash in memory; "generate+png" adds PNG encoding;
// "write" is the whole `data synth` path (PNG files and JSONL on disk). Target: ≥ 500 examples/s on two cores.
// Each case also reports examples per CPU-second of this process (user + system), which stays meaningful when
// other jobs share the machine: on T dedicated cores the wall rate approaches T × that figure.
using System.Diagnostics;
using Rethinker.Data.Synthetic;

namespace Rethinker.Bench.Suites;

public sealed class SynthSuite : IBenchSuite
{
    public string Name => "synth";

    public void Run(BenchReport report)
    {
        int threads = report.Options.Threads;
        int n = report.Options.Rest.Count > 0 && int.TryParse(report.Options.Rest[0], out int parsed) ? parsed : 2000;
        foreach (int size in new[] { 56, 112 })
        {
            var o = new SynthOptions { Seed = 1, Count = n, HeldOut = 0, ImageSize = size, Threads = threads };
            var p = new Dictionary<string, object> { ["n"] = n, ["image_size"] = size };
            foreach (var (name, run) in new (string, Action)[]
                     {
                         ("generate", () => InMemory(o, n, threads, png: false)),
                         ("generate+png", () => InMemory(o, n, threads, png: true)),
                         ("write", () => Write(o)),
                     })
            {
                var (wall, cpu) = Median(run);
                report.Add(name, p, threads, n / wall, "examples/s");
                report.Add(name + " (cpu)", p, threads, n / cpu, "examples/cpu-s");
                CleanUp();
            }
        }
        SynthTinyModel.Run(report);
    }

    /// <summary>Median wall seconds and median CPU seconds of three runs after a warm-up.</summary>
    static (double Wall, double Cpu) Median(Action run)
    {
        run();   // warm-up (JIT, tiered compilation, file cache)
        var proc = Process.GetCurrentProcess();
        var walls = new List<double>(); var cpus = new List<double>();
        for (int r = 0; r < 3; r++)
        {
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            walls.Add(sw.Elapsed.TotalSeconds);
            proc.Refresh();
            cpus.Add((proc.TotalProcessorTime - cpu0).TotalSeconds);
        }
        return (walls.Order().ElementAt(1), cpus.Order().ElementAt(1));
    }

    static void InMemory(SynthOptions o, int n, int threads, bool png)
    {
        long bytes = 0;
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => Interlocked.Add(ref bytes, SyntheticGenerator.Make(o, 0, i, png).Png.Length));
    }

    static readonly List<string> Written = [];

    /// <summary>The whole `data synth` path; folders are deleted after the timing, outside the measured runs.</summary>
    static void Write(SynthOptions o)
    {
        string dir = Path.Combine(Path.GetTempPath(), "rethinker-bench-synth-" + Guid.NewGuid().ToString("N"));
        Written.Add(dir);
        SyntheticGenerator.Generate(dir, o);
    }

    static void CleanUp()
    {
        foreach (var dir in Written) if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Written.Clear();
    }
}
