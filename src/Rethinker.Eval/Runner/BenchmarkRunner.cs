// Runs a policy over evaluation items: generate (greedy or sampled), optionally force one round of rethinking
// (VL-Rethinker §"VL-Reasoner-forced": append "\n\nWait" to a finished response and let the model continue),
// judge with the verifier, and aggregate accuracy per category, rethinking ratio and response length.
using System.Diagnostics;
using Rethinker.Models.Policy;

namespace Rethinker.Eval.Runner;

public sealed class BenchmarkRunner(IGenerator policy, IAnswerJudge judge)
{
    public (IReadOnlyList<Prediction> Predictions, EvalSummary Summary) Run(IReadOnlyList<EvalItem> items, EvalOptions options,
        Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var sampling = new SamplingOptions
        {
            Temperature = options.Temperature, TopP = options.TopP, MaxNewTokens = options.MaxNewTokens, StopTokenIds = options.StopTokenIds,
        };
        var requests = items.Select((it, i) => new GenerationRequest
        {
            Id = it.Id, PromptTokenIds = it.PromptTokenIds, Images = it.Images, N = options.SamplesPerItem, Seed = options.Seed + (ulong)i,
        }).ToList();
        var byId = items.ToDictionary(i => i.Id);
        var first = policy.Generate(requests, sampling, cancellationToken);
        progress?.Invoke(items.Count, items.Count);

        IReadOnlyList<Completion?>? second = null;
        if (options.ForcedRethinking) second = Rethink(first, byId, sampling, options, cancellationToken);

        var predictions = new List<Prediction>(first.Count);
        for (int c = 0; c < first.Count; c++)
        {
            var item = byId[first[c].RequestId];
            var y1 = first[c];
            string response = y1.Text;
            int tokens = y1.TokenIds.Length;
            bool truncated = y1.Finish == FinishReason.Length;
            bool rethought = false;
            bool? before = null;
            if (second is not null && second[c] is { } y2)
            {
                before = judge.Judge(y1.Text, item).Correct;
                response = y1.Text + options.RethinkingTrigger + y2.Text;
                tokens += y2.TokenIds.Length;
                truncated = y2.Finish == FinishReason.Length;
                rethought = true;
            }
            var verdict = judge.Judge(response, item);
            predictions.Add(new Prediction(item.Id, item.Category, y1.SampleIndex, response, verdict.Correct && !truncated, verdict.Extracted,
                truncated, tokens, rethought, judge.RethinkingSpans(y1.Text).Count > 0, before));
        }
        return (predictions, Summarise(items.Count, predictions, clock.Elapsed.TotalSeconds));
    }

    /// <summary>Second pass: every response that stopped on its own continues after the trigger; others get null.</summary>
    IReadOnlyList<Completion?> Rethink(IReadOnlyList<Completion> first, Dictionary<string, EvalItem> byId, SamplingOptions sampling,
        EvalOptions options, CancellationToken ct)
    {
        int[] trigger = policy.Encode(options.RethinkingTrigger);
        var requests = new List<GenerationRequest>();
        var index = new List<int>();
        for (int c = 0; c < first.Count; c++)
        {
            var y1 = first[c];
            if (y1.Finish == FinishReason.Length) continue;
            var item = byId[y1.RequestId];
            // The EOS that ended y1 is dropped so the model continues the same turn.
            int keep = y1.Finish == FinishReason.StopToken && y1.TokenIds.Length > 0 ? y1.TokenIds.Length - 1 : y1.TokenIds.Length;
            requests.Add(new GenerationRequest
            {
                Id = $"{y1.RequestId}#{y1.SampleIndex}", PromptTokenIds = item.PromptTokenIds, Images = item.Images,
                PrefixTokenIds = [.. y1.TokenIds.AsSpan(0, keep), .. trigger], Seed = options.Seed ^ (ulong)(c + 1) * 0x9E3779B97F4A7C15UL,
            });
            index.Add(c);
        }
        var result = new Completion?[first.Count];
        if (requests.Count == 0) return result;
        var outputs = policy.Generate(requests, sampling, ct);
        for (int r = 0; r < outputs.Count; r++) result[index[r]] = outputs[r];
        return result;
    }

    internal static EvalSummary Summarise(int items, IReadOnlyList<Prediction> p, double seconds)
    {
        var perCategory = p.GroupBy(x => x.Category).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CategoryScore(g.Key, g.Count(), g.Average(x => x.Correct ? 1.0 : 0.0))).ToList();
        double Mean(Func<Prediction, double> f) => p.Count == 0 ? 0 : p.Average(f);
        var rethought = p.Where(x => x.CorrectBeforeRethinking is not null).ToList();
        double? gain = rethought.Count == 0 ? null
            : rethought.Average(x => (x.Correct ? 1.0 : 0.0) - (x.CorrectBeforeRethinking!.Value ? 1.0 : 0.0));
        return new EvalSummary(items, p.Count, Mean(x => x.Correct ? 1 : 0), perCategory, Mean(x => x.NativeRethinking ? 1 : 0),
            Mean(x => x.ResponseTokens), Mean(x => x.Truncated ? 1 : 0), gain, seconds);
    }
}
