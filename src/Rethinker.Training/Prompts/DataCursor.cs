// The data position of a run: (epoch, offset) into a seeded per-epoch permutation of the prompts, so that a
// resumed run draws exactly the prompts the uninterrupted run would have. An epoch is the paper's "episode".
using Rethinker.Tensors;

namespace Rethinker.Training.Prompts;

public sealed class DataCursor
{
    readonly int count;
    readonly ulong seed;
    readonly bool shuffle;
    int[] order;

    public int Epoch { get; private set; }
    public int Offset { get; private set; }

    public DataCursor(int count, ulong seed, bool shuffle, int epoch = 0, int offset = 0)
    {
        if (count <= 0) throw new ArgumentException("the prompt dataset is empty: nothing to train on");
        this.count = count; this.seed = seed; this.shuffle = shuffle;
        Epoch = epoch; Offset = offset;
        order = Permutation(epoch);
    }

    /// <summary>Takes the next <paramref name="n"/> indices; <paramref name="epochsStarted"/> counts epoch boundaries crossed (episode starts).</summary>
    public int[] Next(int n, out int epochsStarted)
    {
        var result = new int[n];
        epochsStarted = 0;
        for (int i = 0; i < n; i++)
        {
            if (Offset == count) { Epoch++; Offset = 0; order = Permutation(Epoch); epochsStarted++; }
            result[i] = order[Offset++];
        }
        return result;
    }

    /// <summary>Gives back the last <paramref name="n"/> drawn positions (they will be drawn again next).</summary>
    public void Rewind(int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (Offset > 0) { Offset--; continue; }
            if (Epoch == 0) throw new InvalidOperationException("DataCursor.Rewind: nothing drawn yet");
            Epoch--; order = Permutation(Epoch); Offset = count - 1;
        }
    }

    int[] Permutation(int epoch)
    {
        var p = Enumerable.Range(0, count).ToArray();
        if (!shuffle) return p;
        var rng = new Rng(seed * 0x9E3779B97F4A7C15UL + (ulong)epoch + 1);
        for (int i = count - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (p[i], p[j]) = (p[j], p[i]); }
        return p;
    }
}
