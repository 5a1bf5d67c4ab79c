using Rethinker.Eval.Runner;
using Rethinker.Models.Imaging;
using Rethinker.Models.Policy;

namespace Rethinker.Eval.Tests;

public class BenchmarkRunnerTests
{
    /// <summary>Answers "\boxed{1}" first; after a rethinking prefix it answers "\boxed{2}". Tokens are characters.</summary>
    sealed class ScriptedPolicy : IGenerator
    {
        public List<GenerationRequest> Seen { get; } = [];
        public IReadOnlyList<Completion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, CancellationToken ct = default)
        {
            Seen.AddRange(requests);
            return requests.SelectMany(r => Enumerable.Range(0, r.N).Select(k =>
            {
                string text = r.PrefixTokenIds.Length > 0 ? " fixed: \\boxed{2}" : r.Id == "long" ? "never ends" : "so \\boxed{1}";
                int[] ids = [.. Encode(text), .. r.Id == "long" && r.PrefixTokenIds.Length == 0 ? Array.Empty<int>() : [0]];
                var finish = r.Id == "long" && r.PrefixTokenIds.Length == 0 ? FinishReason.Length : FinishReason.StopToken;
                return new Completion { RequestId = r.Id, SampleIndex = k, TokenIds = ids, Text = text, Finish = finish };
            })).ToList();
        }
        public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = true) => new(ids.ToArray().Where(i => i > 0).Select(i => (char)i).ToArray());
        public int[] Encode(string text) => text.Select(c => (int)c).ToArray();
    }

    sealed class BoxedJudge : IAnswerJudge
    {
        public Judgement Judge(string response, EvalItem item)
        {
            int i = response.LastIndexOf("\\boxed{", StringComparison.Ordinal);
            string? x = i < 0 ? null : response[(i + 7)..response.IndexOf('}', i)];
            return new Judgement(x == item.Gold, x);
        }
        public IReadOnlyList<(int Start, int Length)> RethinkingSpans(string response)
        {
            int i = response.IndexOf("Wait", StringComparison.Ordinal);
            return i < 0 ? [] : [(i, response.Length - i)];
        }
    }

    static EvalItem Item(string id, string cat, string gold) =>
        new(id, cat, "q?", [1, 2, 3], [RgbImage.Create(1, 1, [0, 0, 0])], gold);

    [Fact]
    public void Greedy_ScoresPerCategory()
    {
        var runner = new BenchmarkRunner(new ScriptedPolicy(), new BoxedJudge());
        var (preds, summary) = runner.Run([Item("a", "count", "1"), Item("b", "count", "2"), Item("c", "chart", "1")], new EvalOptions());
        Assert.Equal(3, preds.Count);
        Assert.Equal(2.0 / 3, summary.Accuracy, 9);
        Assert.Equal(0.5, summary.PerCategory.Single(c => c.Category == "count").Accuracy, 9);
        Assert.Equal(1.0, summary.PerCategory.Single(c => c.Category == "chart").Accuracy, 9);
        Assert.Null(summary.ForcedRethinkingGain);
    }

    [Fact]
    public void ForcedRethinking_ContinuesFinishedResponsesAfterTriggerWithoutEos()
    {
        var policy = new ScriptedPolicy();
        var runner = new BenchmarkRunner(policy, new BoxedJudge());
        var (preds, summary) = runner.Run([Item("a", "count", "1"), Item("b", "count", "2"), Item("long", "count", "2")], new EvalOptions { ForcedRethinking = true });
        var second = policy.Seen.Where(r => r.PrefixTokenIds.Length > 0).ToList();
        Assert.Equal(2, second.Count); // the truncated response is not continued
        string prefix = new(second[0].PrefixTokenIds.Select(i => (char)i).ToArray());
        Assert.Equal("so \\boxed{1}\n\nWait", prefix); // EOS (0) dropped, trigger appended
        var b = preds.Single(p => p.Id == "b");
        Assert.True(b.Rethought && b.Correct && b.CorrectBeforeRethinking == false);
        Assert.False(preds.Single(p => p.Id == "a").Correct); // rethinking changed a right answer to a wrong one
        Assert.False(preds.Single(p => p.Id == "long").Correct); // truncated is never correct
        Assert.Equal(0.0, summary.ForcedRethinkingGain!.Value, 9);
    }

    [Fact]
    public void Writer_EmitsPredictionsSummaryAndReport()
    {
        var items = new[] { Item("a", "count", "1") };
        var judge = new BoxedJudge();
        var (preds, summary) = new BenchmarkRunner(new ScriptedPolicy(), judge).Run(items, new EvalOptions());
        string dir = Directory.CreateTempSubdirectory("rethinker-eval-").FullName;
        EvalOutputWriter.Write(dir, "eval", items, preds, summary, judge);
        Assert.Single(File.ReadAllLines(Path.Combine(dir, "predictions.jsonl")));
        Assert.Contains("\"accuracy\": 1", File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Contains("<table", File.ReadAllText(Path.Combine(dir, "report.html")));
    }
}

public class VerifierJudgeTests
{
    static EvalItem Item(string gold, IReadOnlyList<string>? choices = null) => new("i", "c", "q", [1], [], gold, choices);

    [Fact]
    public void Judge_UsesVerifierForNumbersAndOptionLetters()
    {
        var j = new VerifierJudge();
        Assert.True(j.Judge("so the total is \\boxed{12}", Item("12")).Correct);
        Assert.False(j.Judge("so the total is \\boxed{13}", Item("12")).Correct);
        Assert.True(j.Judge("The answer is (B).", Item("B", ["red", "blue"])).Correct);
        Assert.False(j.Judge("A or B", Item("B", ["red", "blue"])).Correct);
    }

    [Fact]
    public void RethinkingSpans_CoverTheSelfCheck()
    {
        string text = "3 + 4 = 7. Wait, let me verify: 4 + 3 = 7. \\boxed{7}";
        var spans = new VerifierJudge().RethinkingSpans(text);
        Assert.Single(spans);
        Assert.StartsWith("Wait", text.Substring(spans[0].Start, spans[0].Length));
        Assert.Empty(new VerifierJudge().RethinkingSpans("3 + 4 = 7. \\boxed{7}"));
    }
}
