// The SSR replay buffer (DESIGN.md §5 SSR step 2): effective samples with their old log-probs, advantage
// and step; FIFO at capacity C, optionally cleared per episode, entries older than K steps expire.
using Rethinker.Training.Grpo;

namespace Rethinker.Training.Replay;

public sealed class ReplayBuffer(int capacity)
{
    readonly LinkedList<RolloutSample> entries = new();

    public int Count => entries.Count;
    public int Capacity => capacity;
    public IEnumerable<RolloutSample> Entries => entries;

    /// <summary>Appends; the oldest entries leave when over capacity. Returns how many were evicted.</summary>
    public int Add(IEnumerable<RolloutSample> samples)
    {
        int evicted = 0;
        foreach (var s in samples)
        {
            entries.AddLast(s);
            if (entries.Count > capacity) { entries.RemoveFirst(); evicted++; }
        }
        return evicted;
    }

    /// <summary>Drops entries with step &lt; currentStep − K (K = 0: never). Returns how many expired.</summary>
    public int Expire(int currentStep, int expireAfterSteps)
    {
        if (expireAfterSteps <= 0) return 0;
        int expired = 0;
        while (entries.First is { } first && currentStep - first.Value.Step > expireAfterSteps) { entries.RemoveFirst(); expired++; }
        // Entries are appended in step order, so the oldest are always at the front.
        return expired;
    }

    public void Clear() => entries.Clear();
}
