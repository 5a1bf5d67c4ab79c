// `rethinker reward`: scores responses with a composite reward configured in YAML (DESIGN.md §4) and writes the total
// with a per-component breakdown: {"id","reward","components":{"accuracy":1,"format":0,…},"extracted","status"}.
using System.CommandLine;
using System.Text.Json;
using Rethinker.Rewards.Batch;
using Rethinker.Rewards.Functions;

namespace Rethinker.Cli.Commands;

public sealed class RewardCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var config = new Option<string>("--config") { Description = "Reward YAML: components [{type, weight, …}] (types: accuracy, format, rft_discrete, rft_math, rft_function, step_rar, step_rvr, rethinking).", Required = true };
        var input = new Option<string>("--in") { Description = "Input JSONL: {\"id\",\"response\",\"gold\",\"choices\"?,\"answer_type\"?,\"finish_reason\"?,\"key_steps\"?}.", Required = true };
        var output = new Option<string>("--out") { Description = "Output JSONL with the total and each component's score.", Required = true };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => -1 };
        var cmd = new Command("reward", "Score responses with a weighted composite reward and write a per-component breakdown.\n\nExample:\n  rethinker reward --config reward.yaml --in rollouts.jsonl --out rewards.jsonl\n\nreward.yaml:\n  components:\n    - { type: accuracy, weight: 1.0, invalid_reward: -0.1 }\n    - { type: format, weight: 0.5, mode: think_boxed }")
        { config, input, output, threads };
        cmd.SetAction(pr => Run(pr.GetValue(config)!, pr.GetValue(input)!, pr.GetValue(output)!, pr.GetValue(threads), Console.Out, Console.Error));
        return cmd;
    }

    internal static int Run(string configPath, string inPath, string outPath, int threads, TextWriter stdout, TextWriter stderr)
    {
        CompositeReward reward;
        try { reward = RewardConfig.LoadFile(configPath); }
        catch (Exception e) when (e is FormatException or FileNotFoundException or ArgumentException) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadInput; }
        if (!File.Exists(inPath)) { stderr.WriteLine($"error: input file '{inPath}' does not exist"); return ExitCodes.BadInput; }
        var rows = JsonlInput.Read(inPath, stderr, out int bad);
        var inputs = rows.Select(r => new RewardInput(r.Response, r.Gold, r.Choices, r.AnswerType, r.Truncated, r.KeySteps)).ToList();
        var scores = BatchScoring.Score(reward, inputs, threads);
        var sums = new double[reward.Components.Count];
        using (var fs = File.Create(outPath))
        using (var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            for (int i = 0; i < rows.Count; i++)
            {
                var s = scores[i];
                w.WriteStartObject();
                w.WriteString("id", rows[i].Id);
                w.WriteNumber("reward", Math.Round(s.Total, 6));
                w.WriteStartObject("components");
                for (int c = 0; c < s.Components.Count; c++) { w.WriteNumber(s.Components[c].Name, Math.Round(s.Components[c].Value, 6)); sums[c] += s.Components[c].Value; }
                w.WriteEndObject();
                w.WriteStartObject("details");
                foreach (var comp in s.Components)
                {
                    w.WriteStartObject(comp.Name);
                    foreach (var (k, v) in comp.Details) WriteValue(w, k, v);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
                w.Flush();
                fs.WriteByte((byte)'\n');
                w.Reset();
            }
        }
        string means = string.Join(", ", reward.Components.Select((c, i) => $"{c.Reward.Name}={(rows.Count == 0 ? 0 : sums[i] / rows.Count):0.###}"));
        stdout.WriteLine($"scored {rows.Count} rows (mean {means}), {bad} bad rows skipped → {outPath}");
        return rows.Count == 0 && bad > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    static void WriteValue(Utf8JsonWriter w, string key, object? v)
    {
        switch (v)
        {
            case null: w.WriteNull(key); break;
            case bool b: w.WriteBoolean(key, b); break;
            case int n: w.WriteNumber(key, n); break;
            case double d: w.WriteNumber(key, Math.Round(d, 6)); break;
            default: w.WriteString(key, v.ToString()); break;
        }
    }
}
