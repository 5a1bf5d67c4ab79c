// Draws indices with probability ∝ weight: with replacement by inverse CDF (each draw i.i.d., exactly
// P(j) = w_j / Σ w), without replacement by Efraimidis–Spirakis keys u^(1/w). Zero weights are never drawn.
using Rethinker.Tensors;

namespace Rethinker.Training.Replay;

public static class WeightedSampler
{
    public static int[] WithReplacement(ReadOnlySpan<double> weights, int k, Rng rng)
    {
        var cdf = new double[weights.Length];
        double total = 0;
        for (int i = 0; i < weights.Length; i++) { total += Math.Max(0, weights[i]); cdf[i] = total; }
        if (k <= 0 || total <= 0) return [];
        var picks = new int[k];
        for (int d = 0; d < k; d++)
        {
            // Two floats make a 48-bit uniform so tiny weights keep their share.
            double u = (rng.NextUniform() + rng.NextUniform() / (1 << 24)) * total;
            int lo = 0, hi = cdf.Length - 1;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (cdf[mid] > u) hi = mid; else lo = mid + 1; }
            while (lo > 0 && weights[lo] <= 0) lo--; // u landed exactly on a zero-width step
            picks[d] = lo;
        }
        return picks;
    }

    public static int[] WithoutReplacement(ReadOnlySpan<double> weights, int k, Rng rng)
    {
        var keyed = new List<(double Key, int Index)>(weights.Length);
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            double u = Math.Max(rng.NextUniform(), 1e-12);
            keyed.Add((Math.Log(u) / weights[i], i)); // log(u^(1/w)): larger is better
        }
        return keyed.OrderByDescending(x => x.Key).Take(Math.Max(0, k)).Select(x => x.Index).ToArray();
    }
}
