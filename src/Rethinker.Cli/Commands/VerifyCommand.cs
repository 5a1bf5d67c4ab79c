// `rethinker verify`: grades model responses against gold answers with the Rethinker verifier (DESIGN.md §4).
// Reads JSONL rows {"id","response","gold","choices"?,"answer_type"?}, writes {"id","correct","extracted","status"}.
// Bad rows are skipped, counted and reported with their line numbers; verification runs on all cores.
using System.CommandLine;
using System.Text.Json;
using Rethinker.Rewards.Batch;
using Rethinker.Rewards.Io;
using Rethinker.Rewards.Verification;

namespace Rethinker.Cli.Commands;

public sealed class VerifyCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var input = new Option<string>("--in") { Description = "Input JSONL: {\"id\",\"response\",\"gold\",\"choices\"?,\"answer_type\"?,\"finish_reason\"?}.", Required = true };
        var output = new Option<string>("--out") { Description = "Output JSONL: {\"id\",\"correct\",\"extracted\",\"status\"} per good input row.", Required = true };
        var tol = new Option<double>("--rel-tol") { Description = "Relative tolerance for numbers (default 1e-4).", DefaultValueFactory = _ => 1e-4 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => -1 };
        var cmd = new Command("verify", "Grade responses against gold answers (boxed / tagged / phrased answers, numbers, LaTeX, intervals, sets, options; hedges are wrong).\n\nExample:\n  rethinker verify --in rollouts.jsonl --out verdicts.jsonl")
        { input, output, tol, threads };
        cmd.SetAction(pr => Run(pr.GetValue(input)!, pr.GetValue(output)!, pr.GetValue(tol), pr.GetValue(threads), Console.Out, Console.Error));
        return cmd;
    }

    internal static int Run(string inPath, string outPath, double relTol, int threads, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(inPath)) { stderr.WriteLine($"error: input file '{inPath}' does not exist"); return ExitCodes.BadInput; }
        var opts = new VerifierOptions { RelativeTolerance = relTol };
        try { opts.Validate(); } catch (ArgumentException e) { stderr.WriteLine($"error: --rel-tol: {e.Message}"); return ExitCodes.BadInput; }
        var rows = JsonlInput.Read(inPath, stderr, out int bad);
        var inputs = rows.Select(r => new VerifyInput(r.Response, r.Gold, r.Choices, r.AnswerType, r.Truncated, r.GoldAlternatives)).ToList();
        var results = BatchScoring.Verify(inputs, new AnswerVerifier(opts), threads);
        using (var fs = File.Create(outPath))
        using (var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            for (int i = 0; i < rows.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("id", rows[i].Id);
                w.WriteBoolean("correct", results[i].Correct);
                if (results[i].Extracted is { } e) w.WriteString("extracted", e); else w.WriteNull("extracted");
                w.WriteString("status", results[i].Status.ToString().ToLowerInvariant());
                w.WriteEndObject();
                w.Flush();
                fs.WriteByte((byte)'\n');
                w.Reset();
            }
        }
        int correct = results.Count(r => r.Correct);
        stdout.WriteLine($"verified {rows.Count} rows: {correct} correct ({(rows.Count == 0 ? 0 : 100.0 * correct / rows.Count):0.0}%), {bad} bad rows skipped → {outPath}");
        return rows.Count == 0 && bad > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }
}

/// <summary>Reads answer rows, reporting each bad one on stderr with its line number (at most 20 printed).</summary>
internal static class JsonlInput
{
    public static List<AnswerRow> Read(string path, TextWriter stderr, out int bad)
    {
        var rows = new List<AnswerRow>();
        bad = 0;
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var row = AnswerRows.Parse(line, lineNo, out var err);
            if (row is null)
            {
                if (++bad <= 20) stderr.WriteLine($"warning: {path}: skipped {err}");
                continue;
            }
            rows.Add(row);
        }
        if (bad > 20) stderr.WriteLine($"warning: {path}: {bad - 20} more bad rows skipped");
        return rows;
    }
}
