// The inference fast path of the Qwen2 text decoder for decode steps (one new token per live sequence): no autograd,
// no tensor allocation, weights read in place (pinned for the run), keys/values written straight into the slots'
// cache rows, and the whole step (embedding, every layer, final norm, LM head) run as one PhaseRunner schedule.
// Same math as TextDecoder.Forward with a KV cache (Qwen2-VL and Qwen2.5-VL share the text decoder); decoded tokens
// take position index + rope delta on all three M-RoPE axes, i.e. plain 1-D rotary. Prefill stays on TextDecoder.
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;
using Rethinker.Tensors.Kernels.Decode;
using Rethinker.Tensors.Kernels.Parallel;
using System.Runtime.InteropServices;
using static Rethinker.Models.Generation.DecodePhases;

namespace Rethinker.Models.Generation;

internal sealed unsafe class FastDecoder : IDisposable
{
    /// <summary>One weight matrix [N, K] of a GEMV phase, its bias (or null) and its column offset in the output.</summary>
    readonly struct Mat(float* w, float* bias, int offset, int n)
    {
        public readonly float* W = w, Bias = bias;
        public readonly int Offset = offset, N = n;
    }

    struct LayerWeights
    {
        public float* InNorm, Wq, Wk, Wv, Bq, Bk, Bv, Wo, PostNorm, Wg, Wu, Wd;
    }

    // below this many multiply-adds a chunk is not worth handing to another thread
    const long MinChunkWork = 24 << 10;

    readonly SlotKvCache _cache;
    readonly List<PinnedTensor> _pins = [];
    readonly LayerWeights[] _layers;
    readonly float* _embed, _head, _finalNorm, _invFreq;
    readonly int _C, _Hq, _Hkv, _D, _I, _V, _L, _qkvWidth;
    readonly float _eps, _scale;
    readonly NativeArena _arena = new();
    int _capacity;
    bool _disposed;
    float* _x, _h, _qkv, _attn, _act, _up, _logits, _cos, _sin;

    public FastDecoder(QwenVlModel model, SlotKvCache cache)
    {
        var c = model.Config;
        _cache = cache;
        _C = c.HiddenSize; _Hq = c.NumHeads; _Hkv = c.NumKvHeads; _D = c.HeadDim; _I = c.IntermediateSize; _V = c.VocabSize;
        _L = model.Model.NumLayers;
        _qkvWidth = (_Hq + 2 * _Hkv) * _D;
        _eps = c.RmsNormEps;
        _scale = 1f / MathF.Sqrt(_D);
        _layers = new LayerWeights[_L];
        for (int l = 0; l < _L; l++)
        {
            var layer = model.Model.Layer(l);
            var a = layer.Attention;
            _layers[l] = new LayerWeights
            {
                InNorm = Pin(layer.InputNorm.Weight), Wq = Pin(a.QProj.Weight), Wk = Pin(a.KProj.Weight), Wv = Pin(a.VProj.Weight),
                Bq = Pin(a.QProj.Bias), Bk = Pin(a.KProj.Bias), Bv = Pin(a.VProj.Bias), Wo = Pin(a.OProj.Weight),
                PostNorm = Pin(layer.PostNorm.Weight), Wg = Pin(layer.GateProj.Weight), Wu = Pin(layer.UpProj.Weight), Wd = Pin(layer.DownProj.Weight),
            };
        }
        _embed = Pin(model.Model.EmbedTokens.Weight);
        _head = Pin(model.OutputWeight);
        _finalNorm = Pin(model.Model.FinalNorm.Weight);
        var inv = RotaryTables.InverseFrequencies(_D, c.RopeTheta);
        _invFreq = (float*)NativeMemory.AlignedAlloc((nuint)(inv.Length * sizeof(float)), 64);
        inv.CopyTo(new Span<float>(_invFreq, inv.Length));
    }

    /// <summary>Most threads a step runs on (default: the worker pool's setting).</summary>
    public int Threads { get; set; } = WorkerPool.Threads;

    /// <summary>
    /// Whether to pick between one thread and Threads by timing steps (default on). A step is ~60 dependent phases;
    /// when the machine is oversubscribed, a helper thread that loses its core mid-chunk stalls every phase barrier,
    /// and small steps (TINY, batch 1) may not pay for the hand-offs at all. Results do not depend on the choice.
    /// </summary>
    public bool AdaptiveThreads { get; set; } = true;

    // the online choice: step wall-time averages for one thread (0) and for Threads (1), per batch size
    int _tuneBatch = -1, _tuneSteps;
    readonly double[] _tuneTime = new double[2];

    float* Pin(Tensor? t)
    {
        if (t is null) return null;
        var p = new PinnedTensor(t);
        _pins.Add(p);
        return p.Pointer;
    }

    /// <summary>Logits [V] of sequence b after the last Step.</summary>
    public ReadOnlySpan<float> Logits(int b) => new(_logits + (long)b * _V, _V);

    /// <summary>
    /// One decode step: sequence b feeds tokens[b] at M-RoPE position positions[b] (same on all axes) and attends over
    /// its slot's cached rows plus itself; the new key/value rows are committed to the cache.
    /// </summary>
    public void Step(ReadOnlySpan<int> tokens, ReadOnlySpan<int> slots, ReadOnlySpan<int> positions)
    {
        int B = tokens.Length;
        if (slots.Length != B || positions.Length != B) throw new ArgumentException("fast decoder: one slot and one position per token");
        foreach (int t in tokens)
            if ((uint)t >= (uint)_V) throw new ArgumentException($"fast decoder: token id {t} is outside the vocabulary [0, {_V})");
        EnsureCapacity(B);
        _arena.Reset();
        int* tok = _arena.Alloc<int>(B), pos = _arena.Alloc<int>(B), lens = _arena.Alloc<int>(B);
        float** kRows = (float**)_arena.Alloc<nint>(_L * B);
        float** vRows = (float**)_arena.Alloc<nint>(_L * B);
        for (int b = 0; b < B; b++)
        {
            tok[b] = tokens[b]; pos[b] = positions[b];
            _cache.Reserve(slots[b], 1);   // may grow (move) the slot's rows: take pointers after
            lens[b] = _cache.Length(slots[b]);
            for (int l = 0; l < _L; l++)
            {
                kRows[l * B + b] = _cache.KeyRows(slots[b], l);
                vRows[l * B + b] = _cache.ValueRows(slots[b], l);
            }
        }
        int arm = ChooseArm(B);
        int threads = arm == 0 ? 1 : Math.Max(1, Threads);
        int maxPhases = 1 + 7 * _L + 2, n = 0;
        var phases = _arena.Alloc<Phase>(maxPhases);

        var embed = _arena.Alloc<EmbedJob>(1);
        *embed = new EmbedJob { Embed = _embed, X = _x, InvFreq = _invFreq, Cos = _cos, Sin = _sin, Tokens = tok, Positions = pos, C = _C, D = _D };
        phases[n++] = new Phase(&Embed, embed, B);
        for (int l = 0; l < _L; l++)
        {
            ref var w = ref _layers[l];
            phases[n++] = NormPhase(_x, w.InNorm, _h, B, threads);
            phases[n++] = GemvPhase(_h, _C, B, _C, _qkv, _qkvWidth, false, threads,
                [new(w.Wq, w.Bq, 0, _Hq * _D), new(w.Wk, w.Bk, _Hq * _D, _Hkv * _D), new(w.Wv, w.Bv, (_Hq + _Hkv) * _D, _Hkv * _D)]);
            var attn = _arena.Alloc<AttentionJob>(1);
            *attn = new AttentionJob
            {
                Qkv = _qkv, Out = _attn, Cos = _cos, Sin = _sin, K = kRows + l * B, V = vRows + l * B, Lens = lens,
                Hq = _Hq, Hkv = _Hkv, D = _D, Scale = _scale,
            };
            phases[n++] = new Phase(&Attention, attn, B * _Hkv);
            phases[n++] = GemvPhase(_attn, _Hq * _D, B, _Hq * _D, _x, _C, true, threads, [new(w.Wo, null, 0, _C)]);
            phases[n++] = NormPhase(_x, w.PostNorm, _h, B, threads);
            phases[n++] = SwiGluPhase(w.Wg, w.Wu, B, threads);
            phases[n++] = GemvPhase(_act, _I, B, _I, _x, _C, true, threads, [new(w.Wd, null, 0, _C)]);
        }
        phases[n++] = NormPhase(_x, _finalNorm, _h, B, threads);
        phases[n++] = GemvPhase(_h, _C, B, _C, _logits, _V, false, threads, [new(_head, null, 0, _V)]);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        PhaseRunner.Run(phases, n, threads);
        Record(arm, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        for (int b = 0; b < B; b++) _cache.Commit(slots[b], 1);
    }

    /// <summary>
    /// 0: one thread, 1: Threads. The first two steps of a batch size time both; then the faster runs, and every 16th
    /// step re-times the other, so a change in machine load is noticed within a few dozen steps.
    /// </summary>
    int ChooseArm(int B)
    {
        if (Threads <= 1) return 0;
        if (!AdaptiveThreads) return 1;
        if (B != _tuneBatch) { _tuneBatch = B; _tuneSteps = 0; _tuneTime[0] = _tuneTime[1] = 0; }
        if (_tuneSteps < 2) return _tuneSteps;
        int best = _tuneTime[0] <= _tuneTime[1] ? 0 : 1;
        return _tuneSteps % 16 == 0 ? 1 - best : best;
    }

    void Record(int arm, double seconds)
    {
        if (Threads <= 1 || !AdaptiveThreads) return;
        _tuneTime[arm] = _tuneTime[arm] == 0 ? seconds : 0.75 * _tuneTime[arm] + 0.25 * seconds;
        _tuneSteps++;
    }

    Phase NormPhase(float* x, float* w, float* y, int B, int threads)
    {
        var j = _arena.Alloc<NormJob>(1);
        // a norm row costs ~C multiply-adds: split only when there are many rows
        int chunks = threads == 1 ? 1 : (int)Math.Clamp((long)B * _C * 4 / MinChunkWork, 1, 4 * threads);
        int rows = (B + chunks - 1) / chunks;
        *j = new NormJob { X = x, W = w, Y = y, C = _C, RowsPerChunk = rows, M = B, Eps = _eps };
        return new Phase(&Norm, j, (B + rows - 1) / rows);
    }

    /// <summary>y[:, offset + n] (=|+=) x·W_iᵀ + bias_i for each matrix i, rows chunked so the threads share the work.</summary>
    Phase GemvPhase(float* x, long ldx, int M, int K, float* y, long ldy, bool accumulate, int threads,
        ReadOnlySpan<Mat> mats)
    {
        long totalRows = 0;
        foreach (var m in mats) totalRows += m.N;
        long work = totalRows * K * M;
        int target = threads == 1 ? 1 : (int)Math.Clamp(work / MinChunkWork, 1, 4 * threads);
        int rowsPerChunk = (int)Math.Max(4, ((totalRows + target - 1) / target + 3) / 4 * 4);
        int chunks = 0;
        foreach (var m in mats) chunks += (m.N + rowsPerChunk - 1) / rowsPerChunk;
        var table = _arena.Alloc<GemvChunk>(chunks);
        int c = 0;
        foreach (var m in mats)
            for (int n0 = 0; n0 < m.N; n0 += rowsPerChunk)
                table[c++] = new GemvChunk { W = m.W, Bias = m.Bias, Y = y + m.Offset, N0 = n0, N1 = Math.Min(m.N, n0 + rowsPerChunk) };
        var j = _arena.Alloc<GemvJob>(1);
        *j = new GemvJob { X = x, Ldx = ldx, Ldy = ldy, M = M, K = K, Accumulate = accumulate ? 1 : 0, Chunks = table };
        return new Phase(&Gemv, j, chunks);
    }

    Phase SwiGluPhase(float* wg, float* wu, int B, int threads)
    {
        long work = 2L * _I * _C * B;
        int target = threads == 1 ? 1 : (int)Math.Clamp(work / MinChunkWork, 1, 4 * threads);
        // multiples of 16 rows: the vectorised gate (TensorPrimitives) then treats every element the same way whatever
        // the chunking, which keeps decoding bitwise batch- and thread-invariant
        int rows = Math.Max(16, ((_I + target - 1) / target + 15) / 16 * 16);
        var j = _arena.Alloc<SwiGluJob>(1);
        *j = new SwiGluJob { X = _h, Wg = wg, Wu = wu, Act = _act, Up = _up, Ldx = _C, LdAct = _I, M = B, K = _C, N = _I, RowsPerChunk = rows };
        return new Phase(&SwiGlu, j, (_I + rows - 1) / rows);
    }

    void EnsureCapacity(int B)
    {
        if (B <= _capacity) return;
        FreeBuffers();
        _capacity = Math.Max(B, _capacity * 2);
        _x = Buffer((long)_capacity * _C); _h = Buffer((long)_capacity * _C);
        _qkv = Buffer((long)_capacity * _qkvWidth); _attn = Buffer((long)_capacity * _Hq * _D);
        _act = Buffer((long)_capacity * _I); _up = Buffer((long)_capacity * _I);
        _logits = Buffer((long)_capacity * _V);
        _cos = Buffer((long)_capacity * _D); _sin = Buffer((long)_capacity * _D);
    }

    static float* Buffer(long n) => (float*)NativeMemory.AlignedAlloc((nuint)(n * sizeof(float)), 64);

    void FreeBuffers()
    {
        foreach (var p in new[] { _x, _h, _qkv, _attn, _act, _up, _logits, _cos, _sin })
            if (p != null) NativeMemory.AlignedFree(p);
        _x = _h = _qkv = _attn = _act = _up = _logits = _cos = _sin = null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        FreeBuffers();
        _capacity = 0;
        if (_invFreq != null) NativeMemory.AlignedFree(_invFreq);
        foreach (var p in _pins) p.Dispose();
        _pins.Clear();
        _arena.Dispose();
    }
}
