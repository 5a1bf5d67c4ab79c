// Per-sample random stream: sample k of a request with seed s draws from SplitMix64(s, k) alone, so what it samples
// does not depend on which other requests share the batch, their order, or the number of slots.
namespace Rethinker.Models.Generation;

public sealed class SampleStream(ulong seed, int sampleIndex)
{
    ulong _state = Mix(seed ^ Mix((ulong)sampleIndex + 0x632BE59BD9B4E019UL));

    public ulong State { get => _state; set => _state = value; }

    /// <summary>Uniform in [0, 1) with 24 bits, like a float draw.</summary>
    public float NextUniform()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return (Mix(_state) >> 40) * (1f / (1 << 24));
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
