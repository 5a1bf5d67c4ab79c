// The IKvCache hook of the text decoder: a minimal concatenating cache, prefill then token-by-token decode
// (positions = index + rope delta on all three axes) reproduces the full-sequence forward's logits.
using Rethinker.Models.Qwen;
using Rethinker.Tensors;

namespace Rethinker.Models.Tests.Qwen;

public sealed class KvCacheHookTests
{
    /// <summary>One sequence; keeps every layer's keys/values and appends along the token axis.</summary>
    sealed class ConcatCache(int layers) : IKvCache
    {
        readonly Tensor?[] _k = new Tensor?[layers], _v = new Tensor?[layers];

        public (Tensor K, Tensor V, int[] CuSeqlensK) Append(int layer, Tensor k, Tensor v, ReadOnlySpan<int> cuSeqlensQ)
        {
            _k[layer] = _k[layer] is { } pk ? Ops.Concat([pk, k.Detach()], 0) : k.Detach();
            _v[layer] = _v[layer] is { } pv ? Ops.Concat([pv, v.Detach()], 0) : v.Detach();
            return (_k[layer]!, _v[layer]!, [0, _k[layer]!.Dim(0)]);
        }
    }

    [Theory]
    [InlineData("qwen2_vl")]
    [InlineData("qwen2_5_vl")]
    public void PrefillThenDecode_MatchesFullForward(string arch)
    {
        var c = TinyModels.Config(arch);
        var model = QwenVlModel.CreateRandom(c, 31);
        var (batch, _) = TinyModels.Batch(c, 3);
        int first = batch.CuSeqlens[1];
        var prompt = batch.InputIds[..first];
        int[] extra = [7, 12, 3];
        using var _ = Autograd.NoGrad();
        var image = model.Visual.Forward(batch.PixelValues!, batch.ImageGrids);

        var full = QwenVlInputs.Single([.. prompt, .. extra], batch.PixelValues, batch.ImageGrids);
        var expected = model.Forward(full).Logits.ToArray();

        var cache = new ConcatCache(c.NumLayers);
        var p = QwenVlInputs.Single(prompt, batch.PixelValues, batch.ImageGrids);
        var (pos, deltas) = model.Positions(p);
        var h = model.Model.Forward(model.EmbedWithImages(prompt, image), pos, [0, first], cache);
        var got = new List<float>(Ops.Linear(h, model.OutputWeight).ToArray());
        for (int i = 0; i < extra.Length; i++)
        {
            int index = first + i, position = index + deltas[0];
            var e = model.Model.EmbedTokens.Forward([extra[i]]);
            var hi = model.Model.Forward(e, [position, position, position], [0, 1], cache);
            got.AddRange(Ops.Linear(hi, model.OutputWeight).ToArray());
        }
        Assert.True(TestFiles.MaxAbsDiff(expected, got.ToArray()) < 1e-4f);
    }
}
