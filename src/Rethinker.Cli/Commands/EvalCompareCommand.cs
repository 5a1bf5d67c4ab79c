// `rethinker eval compare`: did a training run change accuracy, or is the difference noise? Pairs two `rethinker
// eval` outputs on the same benchmark response by response and prints the paired difference with its standard
// error, a 95% interval and McNemar's exact p, overall and per category; --json writes the same as one object.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rethinker.Eval.Runner;

namespace Rethinker.Cli.Commands;

public sealed class EvalCompareCommand : ICliCommand
{
    public string? Parent => "eval";

    public Command Build()
    {
        var baseline = new Option<string>("--baseline") { Description = "Eval output directory (or predictions.jsonl) of the reference model, e.g. the SFT model.", Required = true };
        var candidate = new Option<string>("--candidate") { Description = "Eval output directory (or predictions.jsonl) of the model under test, on the same benchmark.", Required = true };
        var json = new Option<string?>("--json") { Description = "Also write the comparison to this JSON file." };
        var cmd = new Command("compare", "Paired comparison of two evaluations of the same benchmark: accuracy difference, paired standard error, "
            + "95% interval, wins / losses and McNemar's exact p, overall and per category.\n\nExample:\n"
            + "  rethinker eval compare --baseline runs/eval-sft --candidate runs/eval-rl")
        { baseline, candidate, json };
        cmd.SetAction(parse => Run(parse.GetValue(baseline)!, parse.GetValue(candidate)!, parse.GetValue(json), Console.Out, Console.Error));
        return cmd;
    }

    internal static int Run(string baselinePath, string candidatePath, string? jsonPath, TextWriter stdout, TextWriter stderr)
    {
        var baseline = PredictionsReader.Read(baselinePath);
        var candidate = PredictionsReader.Read(candidatePath);
        foreach (var issue in baseline.Issues.Concat(candidate.Issues).Take(10)) stderr.WriteLine($"warning: {issue}");
        int bad = baseline.Issues.Count + candidate.Issues.Count;
        if (bad > 0) stderr.WriteLine($"warning: {bad} bad rows skipped");
        var result = PairedComparison.Compare(baseline.Responses, candidate.Responses);

        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        string Signed(double v) => v.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
        var all = result.Overall;
        var (low, high) = result.ConfidenceInterval95;
        stdout.WriteLine($"pairs {all.Pairs}" + (result.BaselineOnly + result.CandidateOnly > 0
            ? $" (unpaired: {result.BaselineOnly} baseline-only, {result.CandidateOnly} candidate-only, left out)" : ""));
        stdout.WriteLine($"accuracy {F(all.BaselineAccuracy)} → {F(all.CandidateAccuracy)}: difference {Signed(all.Difference)} "
                         + $"± {result.StandardError.ToString("0.0000", CultureInfo.InvariantCulture)} (paired SE; 95% {Signed(low)} … {Signed(high)})");
        stdout.WriteLine($"wins {all.Wins}, losses {all.Losses}; McNemar exact p = {result.McNemarP.ToString("0.0000", CultureInfo.InvariantCulture)}");
        foreach (var c in result.PerCategory)
            stdout.WriteLine($"  {c.Category,-16} {F(c.BaselineAccuracy)} → {F(c.CandidateAccuracy)}  {Signed(c.Difference)}  (+{c.Wins} −{c.Losses} of {c.Pairs})");

        if (jsonPath is not null)
        {
            var document = new
            {
                pairs = all.Pairs, baseline_accuracy = all.BaselineAccuracy, candidate_accuracy = all.CandidateAccuracy,
                difference = all.Difference, standard_error = result.StandardError, ci95_low = low, ci95_high = high,
                wins = all.Wins, losses = all.Losses, mcnemar_p = result.McNemarP,
                baseline_only = result.BaselineOnly, candidate_only = result.CandidateOnly, bad_rows = bad,
                per_category = result.PerCategory.Select(c => new
                {
                    category = c.Category, pairs = c.Pairs, baseline_accuracy = c.BaselineAccuracy, candidate_accuracy = c.CandidateAccuracy,
                    difference = c.Difference, wins = c.Wins, losses = c.Losses,
                }),
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }
        return ExitCodes.Ok;
    }
}
