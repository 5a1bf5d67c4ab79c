// The KV cache behind generation: one growable buffer per (slot, layer) holding that sequence's keys and values
// [len, Hkv, D] after rotary, in pinned arrays so the decode kernels address them directly. Prefill goes through
// IKvCache (BeginStep names the slots, the decoder appends each layer's new rows and attends over the packed result,
// EndStep commits the lengths); the decode fast path (FastDecoder) writes each new row in place (Reserve, KeyRows,
// Commit) and attends over the slot's own rows. Fork copies a finished prefill into another slot, so the N samples
// of a GRPO group share one prefill and one image encoding.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;

namespace Rethinker.Models.Generation;

public sealed class SlotKvCache : IKvCache
{
    readonly int _layers, _rowWidth; // rowWidth = Hkv·D floats per token
    readonly List<float[][]> _k = [], _v = [];
    readonly List<int> _length = [];
    readonly Stack<int> _free = new();
    int[] _stepSlots = [];
    int[] _stepNew = [];

    public SlotKvCache(int layers, int kvHeads, int headDim)
    {
        _layers = layers;
        _rowWidth = kvHeads * headDim;
        KvHeads = kvHeads;
        HeadDim = headDim;
    }

    public int KvHeads { get; }
    public int HeadDim { get; }
    public int Length(int slot) => _length[slot];

    public int Allocate(int capacityTokens = 64)
    {
        if (_free.TryPop(out int slot)) { _length[slot] = 0; return slot; }
        slot = _length.Count;
        var k = new float[_layers][];
        var v = new float[_layers][];
        for (int l = 0; l < _layers; l++) { k[l] = Pinned(capacityTokens * _rowWidth); v[l] = Pinned(capacityTokens * _rowWidth); }
        _k.Add(k); _v.Add(v); _length.Add(0);
        return slot;
    }

    public void Free(int slot) { _length[slot] = 0; _free.Push(slot); }

    /// <summary>New slot holding a copy of <paramref name="source"/>'s committed keys and values.</summary>
    public int Fork(int source)
    {
        int len = _length[source];
        int slot = Allocate(Math.Max(64, len * 2));
        for (int l = 0; l < _layers; l++)
        {
            Ensure(slot, l, len);
            _k[source][l].AsSpan(0, len * _rowWidth).CopyTo(_k[slot][l]);
            _v[source][l].AsSpan(0, len * _rowWidth).CopyTo(_v[slot][l]);
        }
        _length[slot] = len;
        return slot;
    }

    /// <summary>Starts a forward over these slots, in the order of the packed sequences, each adding newTokens[i] tokens.</summary>
    public void BeginStep(int[] slots, int[] newTokens)
    {
        if (slots.Length != newTokens.Length) throw new ArgumentException("kv cache: one new-token count per slot");
        _stepSlots = slots;
        _stepNew = newTokens;
    }

    public void EndStep()
    {
        for (int s = 0; s < _stepSlots.Length; s++) _length[_stepSlots[s]] += _stepNew[s];
        _stepSlots = []; _stepNew = [];
    }

    public (Tensor K, Tensor V, int[] CuSeqlensK) Append(int layer, Tensor k, Tensor v, ReadOnlySpan<int> cuSeqlensQ)
    {
        if (cuSeqlensQ.Length != _stepSlots.Length + 1)
            throw new InvalidOperationException($"kv cache: step has {_stepSlots.Length} slots but the decoder passed {cuSeqlensQ.Length - 1} sequences");
        var cuK = new int[_stepSlots.Length + 1];
        for (int s = 0; s < _stepSlots.Length; s++)
        {
            int n = cuSeqlensQ[s + 1] - cuSeqlensQ[s];
            if (n != _stepNew[s]) throw new InvalidOperationException($"kv cache: sequence {s} brought {n} tokens, step declared {_stepNew[s]}");
            cuK[s + 1] = cuK[s] + _length[_stepSlots[s]] + n;
        }
        int total = cuK[^1];
        var kAll = Tensor.Zeros(total, KvHeads, HeadDim);
        var vAll = Tensor.Zeros(total, KvHeads, HeadDim);
        var kSrc = k.Span; var vSrc = v.Span;
        var kDst = kAll.Span; var vDst = vAll.Span;
        for (int s = 0; s < _stepSlots.Length; s++)
        {
            int slot = _stepSlots[s], len = _length[slot], n = _stepNew[s];
            Ensure(slot, layer, len + n);
            var kb = _k[slot][layer]; var vb = _v[slot][layer];
            kSrc.Slice(cuSeqlensQ[s] * _rowWidth, n * _rowWidth).CopyTo(kb.AsSpan(len * _rowWidth));
            vSrc.Slice(cuSeqlensQ[s] * _rowWidth, n * _rowWidth).CopyTo(vb.AsSpan(len * _rowWidth));
            kb.AsSpan(0, (len + n) * _rowWidth).CopyTo(kDst.Slice(cuK[s] * _rowWidth));
            vb.AsSpan(0, (len + n) * _rowWidth).CopyTo(vDst.Slice(cuK[s] * _rowWidth));
        }
        return (kAll, vAll, cuK);
    }

    /// <summary>Makes room for `extra` more tokens in every layer of the slot (before a decode step writes in place).</summary>
    public void Reserve(int slot, int extra)
    {
        for (int l = 0; l < _layers; l++) Ensure(slot, l, _length[slot] + extra);
    }

    /// <summary>First key / value row of (slot, layer): [capacity, Hkv, D]; valid until the next Reserve or Fork grows it.</summary>
    public unsafe float* KeyRows(int slot, int layer) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_k[slot][layer]));
    public unsafe float* ValueRows(int slot, int layer) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_v[slot][layer]));

    /// <summary>Adds `tokens` rows the fast path wrote in place to the slot's committed length.</summary>
    public void Commit(int slot, int tokens) => _length[slot] += tokens;

    void Ensure(int slot, int layer, int tokens)
    {
        if (_k[slot][layer].Length >= tokens * _rowWidth) return;
        int cap = Math.Max(tokens, _k[slot][layer].Length / _rowWidth * 2);
        _k[slot][layer] = Grow(_k[slot][layer], cap * _rowWidth);
        _v[slot][layer] = Grow(_v[slot][layer], cap * _rowWidth);
    }

    // pinned (POH) arrays never move, so raw pointers into them stay valid while the cache holds them
    static float[] Pinned(int n) => GC.AllocateUninitializedArray<float>(n, pinned: true);

    static float[] Grow(float[] old, int n)
    {
        var a = Pinned(n);
        old.CopyTo(a, 0);
        return a;
    }
}
