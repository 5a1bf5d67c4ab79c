// The decode fast path on the fixture model: from identical cache contents, a sequence's logits are bitwise the same
// whether it steps alone on one thread or inside a batch on two (batch/thread invariance of the decode kernels), and
// they equal a full recompute of the whole sequence through the reference decoder within 1e-4.
using Rethinker.Models.Generation;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Generation;

public sealed class FastDecoderTests
{
    static QwenVlModel Load(string arch) => QwenVlModel.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "hf-qwen-vl", arch));

    static int Prefill(QwenVlModel model, SlotKvCache cache, int[] ids)
    {
        int slot = cache.Allocate(4);   // small on purpose: decode steps must grow it
        cache.BeginStep([slot], [ids.Length]);
        var inputs = QwenVlInputs.Single(ids);
        model.Model.Forward(model.EmbedWithImages(ids, null), model.Positions(inputs).PositionIds, inputs.CuSeqlens, cache);
        cache.EndStep();
        return slot;
    }

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void Step_IsBatchAndThreadInvariant_AndMatchesFullRecompute(string arch)
    {
        using var _ = Autograd.NoGrad();
        var model = Load(arch);
        var c = model.Config;
        var cache = new SlotKvCache(c.NumLayers, c.NumKvHeads, c.HeadDim);
        int[][] prompts = [[5, 17, 99, 3, 42], [7, 7, 8, 120, 33, 64, 2, 11, 250], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]];
        var slots = prompts.Select(p => Prefill(model, cache, p)).ToArray();
        // the batch steps forks (same committed rows) of sequences 1, 0, 2, 0 — sequence 0 twice
        int[] order = [1, 0, 2, 0];
        var forks = order.Select(i => cache.Fork(slots[i])).ToArray();
        using var alone = new FastDecoder(model, cache) { Threads = 1 };
        using var batched = new FastDecoder(model, cache) { Threads = 2 };
        var fed = prompts.Select(p => p.ToList()).ToArray();
        var forkFed = order.Select(i => prompts[i].ToList()).ToArray();
        var expected = new Dictionary<int, float[]>();   // sequence → its logits from the lone step
        for (int step = 0; step < 6; step++)
        {
            for (int s = 0; s < prompts.Length; s++)
            {
                int token = (step * 37 + s * 11) % (c.VocabSize - 10);
                alone.Step([token], [slots[s]], [fed[s].Count]);
                var logits = alone.Logits(0).ToArray();
                fed[s].Add(token);
                if (step % 2 == 1)
                {
                    var full = model.Forward(QwenVlInputs.Single([.. fed[s]])).Logits.Span.Slice((fed[s].Count - 1) * c.VocabSize, c.VocabSize).ToArray();
                    for (int v = 0; v < full.Length; v++) Assert.True(Math.Abs(full[v] - logits[v]) <= 1e-4, $"{arch} seq {s} step {step} logit {v}: {logits[v]} vs {full[v]}");
                }
                for (int b = 0; b < order.Length; b++) if (order[b] == s) forkFed[b].Add(token);
                expected[s] = logits;
            }
            var tokens = order.Select((i, b) => forkFed[b][^1]).ToArray();
            var positions = order.Select((i, b) => forkFed[b].Count - 1).ToArray();
            batched.Step(tokens, forks, positions);
            for (int b = 0; b < order.Length; b++)
                Assert.Equal(expected[order[b]], batched.Logits(b).ToArray());
        }
    }
}
