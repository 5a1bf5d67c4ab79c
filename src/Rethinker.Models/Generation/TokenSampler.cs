// Picks the next token from one row of logits, as Hugging Face's logits processors do, in this order:
// repetition penalty → suppressed ids → temperature → top-k → top-p → min-p → draw. Returns the log-prob of the
// token under the distribution it was drawn from and under the raw model distribution (temperature 1, no filters),
// both computed from the same numbers the draw used (what GRPO needs as "old log-probs").
using Rethinker.Models.Policy;
using Rethinker.Tensors;

namespace Rethinker.Models.Generation;

public readonly record struct SampledToken(int TokenId, float LogProb, float RawLogProb);

/// <summary>Allocation-free sampler; one instance per decoding thread (it owns V-sized scratch buffers).</summary>
public sealed class TokenSampler
{
    readonly float[] _work;
    readonly int[] _order;
    readonly float[] _keys;
    readonly bool[] _penalised;

    public TokenSampler(int vocabSize)
    {
        _work = new float[vocabSize];
        _order = new int[vocabSize];
        _keys = new float[vocabSize];
        _penalised = new bool[vocabSize];
    }

    /// <param name="logits">Raw logits [V] (not modified).</param>
    /// <param name="seenTokens">Prompt and generated ids, for the repetition penalty (may repeat ids).</param>
    /// <param name="uniform">One U[0,1) draw from the request's own stream (ignored when greedy).</param>
    public SampledToken Sample(ReadOnlySpan<float> logits, SamplingOptions options, ReadOnlySpan<int> seenTokens, float uniform)
    {
        int V = logits.Length;
        var x = _work.AsSpan(0, V);
        logits.CopyTo(x);
        float rawLogZ = LogSumExp(logits);

        if (options.RepetitionPenalty != 1f) ApplyRepetitionPenalty(x, seenTokens, options.RepetitionPenalty, _penalised);
        foreach (int id in options.SuppressTokenIds)
            if ((uint)id < (uint)V) x[id] = float.NegativeInfinity;

        if (options.Temperature <= 0f)
        {
            int best = ArgMax(x);
            if (float.IsNegativeInfinity(x[best])) throw new InvalidOperationException("sampler: every token is suppressed");
            return new SampledToken(best, x[best] - LogSumExp(x), logits[best] - rawLogZ);
        }

        float invT = 1f / options.Temperature;
        for (int i = 0; i < V; i++) x[i] *= invT;
        if (options.TopK > 0 && options.TopK < V) KeepTopK(x, options.TopK);
        if (options.TopP < 1f) KeepTopP(x, options.TopP);
        if (options.MinP > 0f) KeepMinP(x, options.MinP);

        float logZ = LogSumExp(x);
        if (float.IsNegativeInfinity(logZ)) throw new InvalidOperationException("sampler: every token is filtered out");
        // Inverse-CDF draw over the filtered distribution; exp(x - logZ) are the probabilities that sum to 1.
        double target = uniform, acc = 0;
        int chosen = -1, lastValid = -1;
        for (int i = 0; i < V; i++)
        {
            if (float.IsNegativeInfinity(x[i])) continue;
            lastValid = i;
            acc += Math.Exp(x[i] - logZ);
            if (acc > target) { chosen = i; break; }
        }
        if (chosen < 0) chosen = lastValid; // rounding left acc a hair below the draw
        return new SampledToken(chosen, x[chosen] - logZ, logits[chosen] - rawLogZ);
    }

    /// <summary>HF's rule: a seen token's logit is divided by the penalty when positive, multiplied when negative.</summary>
    static void ApplyRepetitionPenalty(Span<float> x, ReadOnlySpan<int> seen, float penalty, bool[] done)
    {
        foreach (int id in seen)
        {
            if ((uint)id >= (uint)x.Length || done[id]) continue;
            done[id] = true;
            x[id] = x[id] > 0 ? x[id] / penalty : x[id] * penalty;
        }
        foreach (int id in seen) if ((uint)id < (uint)x.Length) done[id] = false;
    }

    void KeepTopK(Span<float> x, int k)
    {
        // k-th largest value by sorting a copy; ties at the threshold are kept, as torch.topk + "< threshold" does.
        var keys = _keys.AsSpan(0, x.Length);
        x.CopyTo(keys);
        keys.Sort();
        float threshold = keys[x.Length - k];
        for (int i = 0; i < x.Length; i++) if (x[i] < threshold) x[i] = float.NegativeInfinity;
    }

    /// <summary>Keeps the smallest set of most-likely tokens whose mass reaches p (the top token always stays).</summary>
    void KeepTopP(Span<float> x, float p)
    {
        int V = x.Length;
        float logZ = LogSumExp(x);
        var order = _order.AsSpan(0, V);
        var keys = _keys.AsSpan(0, V);
        for (int i = 0; i < V; i++) { order[i] = i; keys[i] = -x[i]; }
        keys.Sort(order); // ascending -x = descending logits
        double mass = 0;
        int keep = 0;
        while (keep < V)
        {
            float xi = x[order[keep]];
            if (float.IsNegativeInfinity(xi)) break;
            mass += Math.Exp(xi - logZ);
            keep++;
            if (mass >= p) break;
        }
        for (int r = Math.Max(keep, 1); r < V; r++) x[order[r]] = float.NegativeInfinity;
    }

    /// <summary>Drops tokens whose probability is below minP times the top token's probability.</summary>
    static void KeepMinP(Span<float> x, float minP)
    {
        float max = x[ArgMax(x)];
        float cut = max + MathF.Log(minP);
        for (int i = 0; i < x.Length; i++) if (x[i] < cut) x[i] = float.NegativeInfinity;
    }

    internal static int ArgMax(ReadOnlySpan<float> x) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(x) is var i && i >= 0 ? i : 0;

    /// <summary>log Σ exp(x), vectorised; −∞ when every entry is −∞. Accumulates in float32 (|error| ~1e-7·log V).</summary>
    internal float LogSumExp(ReadOnlySpan<float> x)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max)) return max;
        var e = _keys.AsSpan(0, x.Length);
        System.Numerics.Tensors.TensorPrimitives.Subtract(x, max, e);
        System.Numerics.Tensors.TensorPrimitives.Exp(e, e);
        return max + MathF.Log(System.Numerics.Tensors.TensorPrimitives.Sum(e));
    }
}
