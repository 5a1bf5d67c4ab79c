// Deterministic seeded RNG: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64; uniform floats from the
// top 24 bits, normals by Box–Muller (the spare value is part of the state), unbiased bounded ints (Lemire 2019),
// categorical sampling by inverse CDF. GetState/SetState round-trip exactly (6 words: s0..s3, spare flag, spare bits).
namespace Rethinker.Tensors;

public sealed class Rng
{
    ulong _s0, _s1, _s2, _s3;
    bool _hasSpare;
    float _spare;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>SplitMix64: advances <paramref name="x"/> and returns the next well-mixed word (seeding, stream splitting).</summary>
    public static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public float NextUniform() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform double in [0, 1) (53 bits).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal N(0, 1) by Box–Muller; values come in pairs, the second is kept for the next call.</summary>
    public float NextNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spare; }
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1)), a = 2.0 * Math.PI * u2;
        _spare = (float)(r * Math.Sin(a));
        _hasSpare = true;
        return (float)(r * Math.Cos(a));
    }

    /// <summary>Uniform integer in [0, maxExclusive), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "NextInt: must be > 0");
        uint n = (uint)maxExclusive;
        ulong m = (ulong)(uint)(NextUInt64() >> 32) * n;
        if ((uint)m < n)
        {
            uint threshold = (uint)(-(int)n) % n;
            while ((uint)m < threshold) m = (ulong)(uint)(NextUInt64() >> 32) * n;
        }
        return (int)(m >> 32);
    }

    /// <summary>Index i with probability probs[i] / Σprobs (weights need not sum to 1; they must be ≥ 0, finite, not all 0).</summary>
    public int Categorical(ReadOnlySpan<float> probs)
    {
        double total = 0;
        for (int i = 0; i < probs.Length; i++)
        {
            float p = probs[i];
            if (!(p >= 0) || float.IsInfinity(p))
                throw new ArgumentException($"Categorical: probability {p} at index {i} is negative or not finite");
            total += p;
        }
        if (total <= 0) throw new ArgumentException($"Categorical: the {probs.Length} probabilities sum to 0");
        double u = NextDouble() * total, c = 0;
        int last = -1;
        for (int i = 0; i < probs.Length; i++)
        {
            if (probs[i] == 0) continue;
            c += probs[i];
            last = i;
            if (u < c) return i;
        }
        return last; // rounding put u at the very top: the last non-zero entry
    }

    public ulong[] GetState() =>
        [_s0, _s1, _s2, _s3, _hasSpare ? 1UL : 0UL, BitConverter.SingleToUInt32Bits(_spare)];

    public void SetState(ulong[] state)
    {
        if (state is null || state.Length != 6) throw new ArgumentException($"Rng.SetState: expected 6 words, got {state?.Length ?? 0}");
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("Rng.SetState: an all-zero xoshiro state is invalid");
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _hasSpare = state[4] != 0;
        _spare = BitConverter.UInt32BitsToSingle((uint)state[5]);
    }
}
