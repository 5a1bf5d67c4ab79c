// The merge loop of BPE training (HF tokenizers' BpeTrainer::do_train): pair counts over all words, the words
// each pair occurs in, and a max-heap of (count, pair) whose stale counts are refreshed when popped.
// Merging a pair in a word reports the pairs it destroyed (-1) and created (+1), scaled by the word's count.
namespace Rethinker.Models.Tokenization;

internal sealed class BpeMergeLoop(List<List<int>> words, List<long> counts, List<string> idToWord, Dictionary<string, int> wordToId, BpeTrainerOptions options)
{
    readonly Dictionary<long, long> pairCounts = new(MixedLongComparer.Instance);
    Dictionary<long, HashSet<int>> where = new(MixedLongComparer.Instance);
    // Max count first, then the smallest pair: a min-heap on (-count, pair).
    readonly PriorityQueue<(long Pair, HashSet<int> Pos), (long NegCount, ulong Pair)> queue = new();

    static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    public List<(string, string)> Run()
    {
        for (int w = 0; w < words.Count; w++)
        {
            var s = words[w];
            for (int i = 0; i + 1 < s.Count; i++) Change(Key(s[i], s[i + 1]), counts[w], w);
        }
        FlushWhere();
        var merges = new List<(string, string)>();
        while (queue.TryDequeue(out var top, out var pri))
        {
            if (wordToId.Count >= options.VocabSize) break;
            long current = pairCounts[top.Pair];
            if (-pri.NegCount != current)
            {
                queue.Enqueue(top, (-current, (ulong)top.Pair));
                continue;
            }
            if (current < 1 || options.MinFrequency > current) break;
            int a = (int)(top.Pair >> 32), b = (int)top.Pair;
            string token = idToWord[a] + idToWord[b];
            if (!wordToId.TryGetValue(token, out int newId))
            {
                newId = idToWord.Count;
                idToWord.Add(token);
                wordToId[token] = newId;
            }
            merges.Add((idToWord[a], idToWord[b]));
            foreach (int w in top.Pos) MergeInWord(w, a, b, newId);
            FlushWhere();
        }
        return merges;
    }

    void Change(long pair, long delta, int word)
    {
        pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + delta;
        if (delta <= 0) return;
        if (!where.TryGetValue(pair, out var set)) where[pair] = set = new HashSet<int>();
        set.Add(word);
    }

    // Queue every pair that gained occurrences since the last flush, with its whole current count.
    void FlushWhere()
    {
        foreach (var (pair, pos) in where)
        {
            long c = pairCounts[pair];
            if (c > 0) queue.Enqueue((pair, pos), (-c, (ulong)pair));
        }
        where = new Dictionary<long, HashSet<int>>(MixedLongComparer.Instance);
    }

    // Word::merge: left to right, each (a, b) becomes newId; neighbours' pairs are updated.
    void MergeInWord(int w, int a, int b, int newId)
    {
        var s = words[w];
        long n = counts[w];
        for (int i = 0; i < s.Count; i++)
        {
            if (s[i] != a || i + 1 >= s.Count || s[i + 1] != b) continue;
            if (i > 0)
            {
                Change(Key(s[i - 1], a), -n, w);
                Change(Key(s[i - 1], newId), n, w);
            }
            s[i] = newId;
            s.RemoveAt(i + 1);
            if (i < s.Count - 1)
            {
                Change(Key(b, s[i + 1]), -n, w);
                Change(Key(newId, s[i + 1]), n, w);
            }
        }
    }
}
