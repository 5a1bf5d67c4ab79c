// TEMPORARY stand-in for Rethinker.Tensors.Rng until the engine lands (deleted at the merge).
namespace Rethinker.Tensors;

public sealed class Rng(ulong seed)
{
    ulong s = seed ^ 0x9E3779B97F4A7C15UL;
    ulong Next() { s += 0x9E3779B97F4A7C15UL; ulong z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; return z ^ (z >> 31); }
    public float NextUniform() => (Next() >> 40) * (1f / (1 << 24));
    public float NextNormal() { float u = MathF.Max(NextUniform(), 1e-7f), v = NextUniform(); return MathF.Sqrt(-2 * MathF.Log(u)) * MathF.Cos(2 * MathF.PI * v); }
    public int NextInt(int maxExclusive) => (int)(Next() % (ulong)maxExclusive);
    public int Categorical(ReadOnlySpan<float> probs) { float u = NextUniform(), c = 0; for (int i = 0; i < probs.Length; i++) { c += probs[i]; if (u < c) return i; } return probs.Length - 1; }
    public ulong[] GetState() => [s];
    public void SetState(ulong[] state) => s = state[0];
}
