// The hook through which a KV cache plugs into the text decoder (the generation code implements it).
// Per layer, the decoder hands over the keys/values of the tokens it is processing now and attends over
// whatever the cache returns: the full keys/values of every sequence plus their cumulative lengths.
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

public interface IKvCache
{
    /// <summary>
    /// Appends this step's keys and values of layer <paramref name="layer"/> (k, v [Tnew, Hkv, D], packed over the
    /// sequences by <paramref name="cuSeqlensQ"/>, rotary already applied) and returns the keys/values to attend
    /// over, [Tk, Hkv, D] packed by CuSeqlensK (same sequence count; each sequence's new tokens last, because
    /// Ops.Attention's causal mask is bottom-right aligned).
    /// </summary>
    (Tensor K, Tensor V, int[] CuSeqlensK) Append(int layer, Tensor k, Tensor v, ReadOnlySpan<int> cuSeqlensQ);
}
