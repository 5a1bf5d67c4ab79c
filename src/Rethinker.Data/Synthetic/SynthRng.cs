// Seeded RNG for the synthetic generator: xoshiro256** seeded through SplitMix64 (Blackman & Vigna).
// Our own so that a seed gives the same data on every .NET version and platform; one independent
// stream per (seed, split, index), so examples can be generated in parallel and still reproduce.
using Rethinker.Tensors;

namespace Rethinker.Data.Synthetic;

public sealed class SynthRng
{
    // The xoshiro256** core is the engine's; this class keeps the generator's own draws (64-bit bounded ints,
    // picks, samples), whose exact sequence the golden render hash pins.
    readonly Rng _core;

    public SynthRng(ulong seed) => _core = new Rng(seed);

    /// <summary>The stream of one example: mixing keeps neighbouring indices/seeds uncorrelated.</summary>
    public static SynthRng ForExample(long seed, int split, long index)
    {
        ulong x = (ulong)seed;
        ulong a = Rng.SplitMix(ref x);
        x = a ^ ((ulong)split * 0xD1B54A32D192ED03UL);
        ulong b = Rng.SplitMix(ref x);
        x = b ^ ((ulong)index * 0x9E3779B97F4A7C15UL);
        return new SynthRng(Rng.SplitMix(ref x));
    }

    public ulong NextUInt64() => _core.NextUInt64();

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's multiply-shift with rejection).</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"range must be positive, got {n}");
        ulong range = (ulong)n;
        UInt128 m = (UInt128)NextUInt64() * range;
        ulong low = (ulong)m;
        if (low < range)
        {
            ulong threshold = (0 - range) % range;
            while (low < threshold) { m = (UInt128)NextUInt64() * range; low = (ulong)m; }
        }
        return (int)(m >> 64);
    }

    /// <summary>Uniform integer in [lo, hi] (both inclusive).</summary>
    public int Between(int lo, int hi) => lo + Next(hi - lo + 1);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>k distinct integers from [0, n), in random order.</summary>
    public int[] Sample(int n, int k)
    {
        if (k > n) throw new ArgumentOutOfRangeException(nameof(k), $"cannot draw {k} distinct values from {n}");
        var all = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < k; i++) { int j = i + Next(n - i); (all[i], all[j]) = (all[j], all[i]); }
        return all[..k];
    }
}
