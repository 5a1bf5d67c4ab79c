// `imaging` suite: decode throughput of our PNG and JPEG decoders (output RGB MB/s) and Qwen2-VL image processor
// images/s, with PIL 9.4 (Debian python3-pil, when /usr/bin/python3 has it) timed on the same files in the same run.
// Inputs: a 1280×960 synthetic photo as PNG (our encoder) and as cjpeg JPEG (bench/Rethinker.Bench/Data/imaging,
// made by tools/codec-corpus/make_bench_images.py). Extra arg --quick: fewer repetitions.
using System.Diagnostics;
using System.Globalization;
using Rethinker.Models.Imaging;

namespace Rethinker.Bench.Suites;

public sealed class ImagingSuite : IBenchSuite
{
    public string Name => "imaging";

    public void Run(BenchReport report)
    {
        bool quick = report.Options.Rest.Contains("--quick");
        int reps = quick ? 5 : 20;
        string dataDir = FindDataDir();
        var jpegs = new[] { "baseline420", "progressive420" }
            .Select(n => (Name: $"jpeg_{n}", Path: Path.Combine(dataDir, $"photo_1280x960_{n}.jpg"))).ToArray();
        var photo = ImageLoader.Load(jpegs[0].Path);
        string tmp = Path.Combine(Path.GetTempPath(), $"rethinker-imaging-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(tmp);
        try
        {
            string pngPath = Path.Combine(tmp, "photo_1280x960.png");
            PngEncoder.Save(pngPath, photo.Pixels, photo.Width, photo.Height);
            var files = new List<(string Name, string Path)> { ("png_rgb8", pngPath) };
            files.AddRange(jpegs);
            var pil = PilDecodeSeconds(files.Select(f => f.Path).ToArray(), reps);
            foreach (var (name, path) in files)
            {
                byte[] bytes = File.ReadAllBytes(path);
                double s = MedianSeconds(reps, () => ImageLoader.Decode(bytes, name));
                double mb = photo.Pixels.Length / 1e6;
                double? reference = pil.TryGetValue(path, out var ps) ? mb / ps : null;
                report.Add($"decode_{name}", new Dictionary<string, object> { ["size"] = "1280x960", ["file_kB"] = bytes.Length / 1024 },
                    1, mb / s, "MB/s (RGB out)", reference: reference, referenceName: "PIL 9.4");
            }
            var processor = new QwenImageProcessor(new QwenImageProcessorOptions { MinPixels = 3136, MaxPixels = 12845056 });
            double sp = MedianSeconds(reps, () => processor.Process([photo]));
            var (th, tw) = processor.TargetSize(photo);
            report.Add("qwen2vl_process", new Dictionary<string, object> { ["in"] = "1280x960", ["out"] = $"{tw}x{th}" }, 1, 1 / sp, "images/s");
            var small = new QwenImageProcessor(new QwenImageProcessorOptions { MinPixels = 3136, MaxPixels = 1003520 });
            double ss = MedianSeconds(reps, () => small.Process([photo]));
            var (sh, sw) = small.TargetSize(photo);
            report.Add("qwen2vl_process", new Dictionary<string, object> { ["in"] = "1280x960", ["out"] = $"{sw}x{sh}" }, 1, 1 / ss, "images/s");
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    static double MedianSeconds(int reps, Action action)
    {
        // Warm-up for at least 1 s so the tiered JIT has promoted the hot loops before timing.
        var warm = Stopwatch.StartNew();
        do action(); while (warm.Elapsed.TotalSeconds < 1);
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }

    /// <summary>Median seconds of PIL's open + load + convert("RGB") per file, or empty when PIL is not installed.</summary>
    static Dictionary<string, double> PilDecodeSeconds(string[] paths, int reps)
    {
        const string script = """
            import sys, time
            from PIL import Image
            reps = int(sys.argv[1])
            for p in sys.argv[2:]:
                Image.open(p).convert("RGB")
                ts = []
                for _ in range(reps):
                    t = time.perf_counter(); Image.open(p).convert("RGB"); ts.append(time.perf_counter() - t)
                ts.sort()
                print(p, ts[len(ts) // 2])
            """;
        var result = new Dictionary<string, double>();
        if (!File.Exists("/usr/bin/python3")) return result;
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(script); psi.ArgumentList.Add(reps.ToString(CultureInfo.InvariantCulture));
            foreach (var p in paths) psi.ArgumentList.Add(p);
            using var proc = Process.Start(psi)!;
            string stdout = proc.StandardOutput.ReadToEnd();
            proc.WaitForExit(120_000);
            if (proc.ExitCode != 0) return result;
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                result[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or FormatException)
        {
            Console.WriteLine($"# PIL reference unavailable: {e.Message}");
        }
        return result;
    }

    static string FindDataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "Rethinker.Bench", "Data", "imaging");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("bench/Rethinker.Bench/Data/imaging not found above " + AppContext.BaseDirectory);
    }
}
