// Splits a list of samples into consecutive micro-batches for one forward/backward each. Bounded by a sample count
// and by a token budget (prompt + response, image pads included): a forward's activations grow with its tokens, and
// a count alone let a 512-sample mini-batch of 300-token sequences take 18 GB (measured). The order is kept, so the
// loss weights built over the whole mini-batch slice exactly onto the parts.
namespace Rethinker.Training.Grpo;

public static class MicroBatches
{
    /// <param name="maxSamples">≤ 0: no count limit.</param>
    /// <param name="maxTokens">≤ 0: no token limit. A single sample longer than the budget gets a micro-batch of its own.</param>
    public static List<(int Start, int Count)> Split(IReadOnlyList<RolloutSample> samples, int maxSamples, int maxTokens)
    {
        var parts = new List<(int, int)>();
        int start = 0, count = 0;
        long tokens = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            long t = samples[i].PromptTokenIds.Length + samples[i].Length;
            bool full = count > 0 && ((maxSamples > 0 && count >= maxSamples) || (maxTokens > 0 && tokens + t > maxTokens));
            if (full) { parts.Add((start, count)); start = i; count = 0; tokens = 0; }
            count++;
            tokens += t;
        }
        if (count > 0) parts.Add((start, count));
        return parts;
    }
}
