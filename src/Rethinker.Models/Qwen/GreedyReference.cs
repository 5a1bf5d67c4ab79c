// Greedy decoding by full recompute: each step reruns the text decoder over the whole sequence (the image
// features are computed once). The parity reference for `model forward --generate`; the KV-cache generator
// lives in Rethinker.Models.Generation. Positions are get_rope_index of the full sequence, which HF's cached
// decode (index + rope delta) reproduces.
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

public sealed record GreedyResult(int[] Tokens, float[] StepLogits);

public static class GreedyReference
{
    /// <summary>Generates <paramref name="steps"/> tokens after a single sequence; suppressed ids never win. StepLogits are raw: [steps, V].</summary>
    public static GreedyResult Generate(QwenVlModel model, QwenVlInputs prompt, int steps, ReadOnlySpan<int> suppress)
    {
        if (prompt.CuSeqlens.Length != 2) throw new ArgumentException("greedy reference decoding takes one sequence");
        int V = model.Config.VocabSize;
        var banned = new bool[V];
        foreach (int id in suppress) if ((uint)id < (uint)V) banned[id] = true;
        if (banned.All(b => b)) throw new ArgumentException("every token id is suppressed");
        using var _ = Autograd.NoGrad();
        Tensor? image = prompt.ImageGrids.Count > 0 ? model.Visual.Forward(prompt.PixelValues!, prompt.ImageGrids) : null;
        var ids = new List<int>(prompt.InputIds);
        var tokens = new int[steps];
        var stepLogits = new float[(long)steps * V];
        for (int s = 0; s < steps; s++)
        {
            var inputs = prompt with { InputIds = ids.ToArray(), CuSeqlens = [0, ids.Count] };
            var (positions, _) = model.Positions(inputs);
            var embeds = model.EmbedWithImages(inputs.InputIds, image);
            var hidden = model.Model.Forward(embeds, positions, inputs.CuSeqlens);
            var last = Ops.Slice(hidden, 0, ids.Count - 1, 1);
            var logits = Ops.Linear(last, model.OutputWeight).Span;        // [1, V]
            logits.CopyTo(stepLogits.AsSpan(s * V, V));
            int best = -1;
            for (int v = 0; v < V; v++)
                if (!banned[v] && (best < 0 || logits[v] > logits[best])) best = v;
            tokens[s] = best;
            ids.Add(best);
            embeds.Dispose(); hidden.Dispose(); last.Dispose();
        }
        return new GreedyResult(tokens, stepLogits);
    }

    /// <summary>Parses "280-299", "5", or a comma list of both into token ids.</summary>
    public static int[] ParseTokenRanges(string spec)
    {
        var ids = new List<int>();
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = raw.Split('-');
            if (parts.Length == 1 && int.TryParse(parts[0], out int one) && one >= 0) ids.Add(one);
            else if (parts.Length == 2 && int.TryParse(parts[0], out int a) && int.TryParse(parts[1], out int b) && a >= 0 && b >= a)
                for (int i = a; i <= b; i++) ids.Add(i);
            else throw new FormatException($"token range '{raw}' is not N or A-B with 0 <= A <= B");
        }
        return ids.ToArray();
    }
}
