// Per-token weights that turn each aggregation mode into one weighted sum Σ_t w_t·ℓ_t over a packed
// mini-batch [Σ T] (DESIGN.md §5): token-mean w = m/Σm; seq-mean-token-mean w = m/(S·Σ_seq m);
// seq-mean-token-sum-norm (Dr.GRPO) w = m/(S·L). S counts sequences with at least one policy token.
// Weights are built over the whole mini-batch and sliced per micro-batch, so accumulation is exact.
using Rethinker.Training.Config;

namespace Rethinker.Training.Grpo;

public static class LossWeights
{
    /// <summary>masks[i] is sequence i's policy mask [T_i]; result is [Σ T_i] in batch order.</summary>
    public static float[] Build(IReadOnlyList<float[]> masks, LossAggregation mode, int normLength)
    {
        int total = masks.Sum(m => m.Length);
        var w = new float[total];
        double maskSum = 0;
        int sequences = 0;
        foreach (var m in masks)
        {
            double s = m.Sum();
            maskSum += s;
            if (s > 0) sequences++;
        }
        if (maskSum == 0) return w;
        int at = 0;
        foreach (var m in masks)
        {
            double seqSum = m.Sum();
            double scale = mode switch
            {
                LossAggregation.TokenMean => 1.0 / maskSum,
                LossAggregation.SeqMeanTokenMean => seqSum > 0 ? 1.0 / (sequences * seqSum) : 0,
                LossAggregation.SeqMeanTokenSumNorm => 1.0 / ((double)sequences * normLength),
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
            for (int t = 0; t < m.Length; t++) w[at + t] = (float)(m[t] * scale);
            at += m.Length;
        }
        return w;
    }

    /// <summary>Auxiliary NLL weights: token mean over every response token of the selected sequences; 0 elsewhere.</summary>
    public static float[] Nll(IReadOnlyList<int> lengths, IReadOnlyList<bool> selected)
    {
        var w = new float[lengths.Sum()];
        long n = 0;
        for (int i = 0; i < lengths.Count; i++) if (selected[i]) n += lengths[i];
        if (n == 0) return w;
        int at = 0;
        for (int i = 0; i < lengths.Count; i++)
        {
            if (selected[i]) Array.Fill(w, 1f / n, at, lengths[i]);
            at += lengths[i];
        }
        return w;
    }
}
