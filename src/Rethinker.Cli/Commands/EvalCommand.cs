// `rethinker eval`: a checkpoint on a JSONL benchmark (DESIGN.md §7 rows): greedy or sampled decoding, answers
// judged by the verifier, accuracy per category, optional test-time forced rethinking; writes predictions.jsonl,
// summary.json and report.html into --out.
using System.CommandLine;
using Rethinker.Cli.Quickstart;
using Rethinker.Data.Rows;
using Rethinker.Eval.Runner;
using Rethinker.Models.Generation;
using Rethinker.Models.Tokenization;

namespace Rethinker.Cli.Commands;

public sealed class EvalCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory.", Required = true };
        var data = new Option<string>("--data") { Description = "JSONL rows {id, question, answer, images[], choices?, category?}; image paths relative to the file.", Required = true };
        var output = new Option<string>("--out") { Description = "Output directory for predictions.jsonl, summary.json and report.html.", Required = true };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy (default).", DefaultValueFactory = _ => 0f };
        var topP = new Option<float>("--top-p") { Description = "Nucleus mass when sampling.", DefaultValueFactory = _ => 1f };
        var samples = new Option<int>("--samples") { Description = "Responses per item (accuracy averages over them).", DefaultValueFactory = _ => 1 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Budget per response.", DefaultValueFactory = _ => 512 };
        var forced = new Option<bool>("--forced-rethinking") { Description = "After each finished response, append \"\\n\\nWait\" once and continue (VL-Reasoner-forced)." };
        var limit = new Option<int>("--limit") { Description = "Evaluate only the first N rows (0 = all).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 1234UL };
        var cmd = new Command("eval", "Evaluate a checkpoint on a JSONL benchmark with the answer verifier.\n\nExamples:\n" +
            "  rethinker eval --model runs/quickstart/model-rl --data runs/quickstart/data/heldout.jsonl --out runs/eval\n" +
            "  rethinker eval --model ~/models/Qwen2.5-VL-7B-Instruct --data mathvista.jsonl --out runs/mv --forced-rethinking");
        foreach (var o in new Option[] { model, data, output, temperature, topP, samples, maxNew, forced, limit, seed }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string dir = parse.GetValue(model)!, dataPath = parse.GetValue(data)!;
            if (!File.Exists(dataPath)) throw new FileNotFoundException($"data file {dataPath} does not exist");
            var load = JsonlDatasetReader.Read(dataPath);
            foreach (var issue in load.Issues.Take(10)) Console.Error.WriteLine($"warning: {issue}");
            if (load.Issues.Count > 0) Console.Error.WriteLine($"warning: {load.RowsSkipped} bad rows skipped");
            var rows = parse.GetValue(limit) > 0 ? load.Rows.Take(parse.GetValue(limit)) : load.Rows;
            var tokenizer = BpeTokenizer.Load(dir);
            var processor = PolicyLoader.LoadImageProcessor(dir);
            var convert = new RowConversion(tokenizer, processor, Path.GetDirectoryName(Path.GetFullPath(dataPath))!, w => Console.Error.WriteLine("warning: " + w));
            var items = convert.EvalItems(rows);
            var policy = PolicyLoader.Load(dir, tokenizer: tokenizer, processor: processor);
            int[] stops = [.. policy.Model.Config.EosTokenIds, .. new[] { "<|im_end|>", "<|endoftext|>" }.Select(tokenizer.TokenToId).OfType<int>()];
            var options = new EvalOptions
            {
                Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), SamplesPerItem = parse.GetValue(samples),
                MaxNewTokens = parse.GetValue(maxNew), ForcedRethinking = parse.GetValue(forced), Seed = parse.GetValue(seed), StopTokenIds = [.. stops.Distinct()],
            };
            var judge = new VerifierJudge();
            var (predictions, summary) = new BenchmarkRunner(policy, judge).Run(items, options);
            string outDir = parse.GetValue(output)!;
            EvalOutputWriter.Write(outDir, $"Rethinker eval — {Path.GetFileName(dataPath)}", items, predictions, summary, judge);
            Console.WriteLine($"accuracy {summary.Accuracy:0.000} over {summary.Responses} responses ({convert.Skipped} rows skipped)");
            foreach (var c in summary.PerCategory) Console.WriteLine($"  {c.Category,-16} {c.Accuracy:0.000} ({c.Count})");
            Console.WriteLine($"rethinking ratio {summary.RethinkingRatio:0.000}; mean length {summary.MeanResponseTokens:0.#} tokens; wrote {Path.GetFullPath(outDir)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
