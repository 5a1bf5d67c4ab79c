// Per-sample random streams: sample k of a request with seed s draws from the engine's Rng seeded by a SplitMix64 mix
// of (s, k) alone, so what it samples does not depend on which other requests share the batch, their order, or the slots.
using Rethinker.Tensors;

namespace Rethinker.Models.Generation;

public static class SampleSeeds
{
    public static Rng Stream(ulong requestSeed, int sampleIndex) => new(Mix(requestSeed ^ Mix((ulong)sampleIndex + 0x632BE59BD9B4E019UL)));

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
