// Batch verification and reward scoring over all cores: Parallel.For over contiguous index ranges (range partitioner,
// so no per-item delegate allocation), writing results into a caller-owned array. Each item is independent and the
// verifier is stateless, so results are identical to the sequential loop whatever the thread count.
using System.Collections.Concurrent;
using Rethinker.Rewards.Functions;
using Rethinker.Rewards.Verification;

namespace Rethinker.Rewards.Batch;

public static class BatchScoring
{
    public static VerifyResult[] Verify(IReadOnlyList<VerifyInput> inputs, AnswerVerifier? verifier = null, int maxThreads = -1)
    {
        var results = new VerifyResult[inputs.Count];
        Verify(inputs, results, verifier, maxThreads);
        return results;
    }

    public static void Verify(IReadOnlyList<VerifyInput> inputs, VerifyResult[] results, AnswerVerifier? verifier = null, int maxThreads = -1)
    {
        if (results.Length < inputs.Count) throw new ArgumentException($"results has {results.Length} slots for {inputs.Count} inputs.");
        var v = verifier ?? AnswerVerifier.Default;
        ForRanges(inputs.Count, maxThreads, (from, to) =>
        {
            for (int i = from; i < to; i++) results[i] = v.Verify(inputs[i]);
        });
    }

    public static CompositeScore[] Score(CompositeReward reward, IReadOnlyList<RewardInput> inputs, int maxThreads = -1)
    {
        var results = new CompositeScore[inputs.Count];
        ForRanges(inputs.Count, maxThreads, (from, to) =>
        {
            for (int i = from; i < to; i++) results[i] = reward.ScoreAll(inputs[i]);
        });
        return results;
    }

    static void ForRanges(int n, int maxThreads, Action<int, int> body)
    {
        if (n == 0) return;
        int threads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount;
        if (threads == 1 || n < 4) { body(0, n); return; }
        // ranges of ~n/(4·threads) items: big enough to amortise scheduling, small enough to balance long responses
        int range = Math.Max(1, n / (threads * 4));
        var opts = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.ForEach(Partitioner.Create(0, n, range), opts, r => body(r.Item1, r.Item2));
    }
}
