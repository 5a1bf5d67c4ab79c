// One Generate call: a queue of requests, a KV cache of slots, and the loop
//   admit (prefill waiting requests while slots are free) → decode one token for every live sequence → retire.
// Positions follow HF: prompt tokens take get_rope_index's M-RoPE ids; a generated token at index i of its
// sequence takes i + rope_delta on all three axes. Prefill runs through TextDecoder (packed, with the vision tower);
// decode steps through FastDecoder. Stop strings are checked on a bounded decoded tail per token, not the whole text.
using Rethinker.Models.Policy;
using Rethinker.Models.Qwen;
using Rethinker.Tensors;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Models.Generation;

internal sealed class DecodeRun : IDisposable
{
    sealed class Live
    {
        public required int Request, Sample, Slot, RopeDelta, PromptLength;
        public required Rng Stream;
        public required List<int> Seen;          // prompt + prefix + generated, for the repetition penalty
        public List<int> Tokens { get; } = [];
        public List<float> LogProbs { get; } = [];
        public List<float> RawLogProbs { get; } = [];
        public FinishReason? Finish;
        public string? Text;
    }

    readonly EmbeddedPolicy _policy;
    readonly IReadOnlyList<GenerationRequest> _requests;
    readonly SamplingOptions _sampling;
    readonly GeneratorOptions _options;
    readonly SlotKvCache _cache;
    readonly TokenSampler _sampler;
    readonly HashSet<int> _stopIds;
    readonly Completion?[][] _results;
    readonly Dictionary<int, EmbeddedPolicy.PreparedPrompt> _prepared = [];
    readonly FastDecoder _fast;
    readonly BatchSampler _batchSampler;
    List<int>[] _seen = [];
    float[] _uniforms = [];
    SampledToken[] _drawn = [];
    readonly int _maxStopLength;

    public DecodeRun(EmbeddedPolicy policy, IReadOnlyList<GenerationRequest> requests, SamplingOptions sampling, GeneratorOptions options)
    {
        _policy = policy; _requests = requests; _sampling = sampling; _options = options;
        var c = policy.Model.Config;
        _cache = new SlotKvCache(c.NumLayers, c.NumKvHeads, c.HeadDim);
        _sampler = new TokenSampler(c.VocabSize);
        _stopIds = [.. sampling.StopTokenIds];
        // An image or video pad in a response would be taken for a vision slot on the next forward (and no real
        // response contains one), so they are never sampled.
        _sampling = sampling with { SuppressTokenIds = [.. sampling.SuppressTokenIds, c.ImageTokenId, c.VideoTokenId] };
        _results = requests.Select(r => new Completion?[Math.Max(0, r.N)]).ToArray();
        foreach (var r in requests)
            if (r.N < 1) throw new ArgumentException($"request '{r.Id}': N must be at least 1, got {r.N}");
        if (sampling.MaxNewTokens < 1) throw new ArgumentException($"MaxNewTokens must be at least 1, got {sampling.MaxNewTokens}");
        _maxStopLength = sampling.StopStrings.Length == 0 ? 0 : sampling.StopStrings.Max(s => s.Length);
        _fast = new FastDecoder(policy.Model, _cache);
        _batchSampler = new BatchSampler(c.VocabSize, WorkerPool.Threads);
    }

    public void Dispose()
    {
        _fast.Dispose();
        _batchSampler.Dispose();
    }

    public IReadOnlyList<Completion> Execute(CancellationToken ct)
    {
        var waiting = new Queue<int>(Enumerable.Range(0, _requests.Count));
        var live = new List<Live>();
        while (waiting.Count > 0 || live.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            Admit(waiting, live);
            Retire(live);
            if (live.Count > 0) DecodeStep(live);
            Retire(live);
        }
        return _results.SelectMany(r => r).Select(c => c!).ToList();
    }

    /// <summary>Prefills as many waiting requests as fit the free slots and the token budget (at least one when idle).</summary>
    void Admit(Queue<int> waiting, List<Live> live)
    {
        var batch = new List<(int Request, EmbeddedPolicy.PreparedPrompt Prompt)>();
        int slots = live.Count, tokens = 0;
        while (waiting.Count > 0)
        {
            int ri = waiting.Peek();
            var r = _requests[ri];
            bool idle = live.Count == 0 && batch.Count == 0;
            if (!idle && slots + r.N > _options.MaxBatch) break;
            if (!_prepared.TryGetValue(ri, out var prompt))
                _prepared[ri] = prompt = _policy.Prepare(r.PromptTokenIds, r.Images, r.PrefixTokenIds);
            if (!idle && tokens + prompt.Ids.Length > _options.PrefillTokenBudget) break;
            waiting.Dequeue();
            _prepared.Remove(ri);
            batch.Add((ri, prompt));
            slots += r.N; tokens += prompt.Ids.Length;
        }
        if (batch.Count > 0) Prefill(batch, live);
    }

    void Prefill(List<(int Request, EmbeddedPolicy.PreparedPrompt Prompt)> batch, List<Live> live)
    {
        var model = _policy.Model;
        var ids = new List<int>();
        var cu = new List<int> { 0 };
        var pixels = new List<Tensor>();
        var grids = new List<GridThw>();
        foreach (var (_, p) in batch)
        {
            ids.AddRange(p.Ids); cu.Add(ids.Count);
            if (p.PixelValues is not null) { pixels.Add(p.PixelValues); grids.AddRange(p.Grids); }
        }
        var inputs = new QwenVlInputs([.. ids], [.. cu], pixels.Count == 0 ? null : pixels.Count == 1 ? pixels[0] : Ops.Concat(pixels, 0), grids);
        var (positions, deltas) = model.Positions(inputs);
        Tensor? imageEmbeds = grids.Count > 0 ? model.Visual.Forward(inputs.PixelValues!, grids) : null;
        var promptSlots = batch.Select(b => _cache.Allocate(b.Prompt.Ids.Length + Math.Min(_sampling.MaxNewTokens, 1024))).ToArray();
        _cache.BeginStep(promptSlots, batch.Select(b => b.Prompt.Ids.Length).ToArray());
        var hidden = model.Model.Forward(model.EmbedWithImages(inputs.InputIds, imageEmbeds), positions, inputs.CuSeqlens, _cache);
        _cache.EndStep();
        var lastRows = Enumerable.Range(0, batch.Count).Select(s => cu[s + 1] - 1).ToArray();
        var logits = Ops.Linear(Ops.IndexSelect(hidden, 0, lastRows), model.OutputWeight); // [nReq, V]
        int V = model.Config.VocabSize;
        for (int s = 0; s < batch.Count; s++)
        {
            var (ri, p) = batch[s];
            var r = _requests[ri];
            for (int k = 0; k < r.N; k++)
            {
                var seq = new Live
                {
                    Request = ri, Sample = k, Slot = k == 0 ? promptSlots[s] : _cache.Fork(promptSlots[s]), RopeDelta = deltas[s],
                    PromptLength = p.Ids.Length, Stream = SampleSeeds.Stream(r.Seed, k), Seen = [.. p.Ids],
                };
                Append(seq, logits.Span.Slice(s * V, V));
                live.Add(seq);
            }
        }
    }

    void DecodeStep(List<Live> live)
    {
        int n = live.Count;
        Span<int> tokens = n <= 256 ? stackalloc int[n] : new int[n];
        Span<int> slots = n <= 256 ? stackalloc int[n] : new int[n];
        Span<int> positions = n <= 256 ? stackalloc int[n] : new int[n];
        for (int i = 0; i < n; i++)
        {
            var s = live[i];
            tokens[i] = s.Tokens[^1];
            slots[i] = s.Slot;
            positions[i] = s.PromptLength + s.Tokens.Count - 1 + s.RopeDelta;   // the same id on all three M-RoPE axes
        }
        _fast.Step(tokens, slots, positions);
        if (_seen.Length < n) { _seen = new List<int>[n]; _uniforms = new float[n]; _drawn = new SampledToken[n]; }
        for (int i = 0; i < n; i++) { _seen[i] = live[i].Seen; _uniforms[i] = live[i].Stream.NextUniform(); }
        _batchSampler.Sample(_fast, n, _seen, _uniforms, _drawn, _sampling);
        for (int i = 0; i < n; i++) Record(live[i], _drawn[i]);
    }

    void Append(Live s, ReadOnlySpan<float> logits) =>
        Record(s, _sampler.Sample(logits, _sampling, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Seen), s.Stream.NextUniform()));

    void Record(Live s, SampledToken t)
    {
        s.Tokens.Add(t.TokenId); s.Seen.Add(t.TokenId);
        s.LogProbs.Add(t.LogProb); s.RawLogProbs.Add(t.RawLogProb);
        _options.OnToken?.Invoke(s.Request, s.Sample, t.TokenId);
        if (_stopIds.Contains(t.TokenId)) { s.Finish = FinishReason.StopToken; return; }
        if (_maxStopLength > 0 && TailHasStop(s.Tokens))
        {
            // rare: confirm on the whole text, which also gives where the kept text ends
            string text = _policy.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Tokens));
            foreach (var stop in _sampling.StopStrings)
            {
                int at = stop.Length == 0 ? -1 : text.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0) { s.Finish = FinishReason.StopString; s.Text = text[..(at + stop.Length)]; return; }
            }
        }
        if (s.Tokens.Count >= _sampling.MaxNewTokens) s.Finish = FinishReason.Length;
    }

    /// <summary>
    /// Whether a stop string occurs in the decoded text of the last few tokens. Checked after every token, a stop string
    /// first appears at the end of the text, inside the last (its length + the new token's) characters; the tail is
    /// widened until it decodes to at least that plus a margin for the characters a cut can garble at its start (a split
    /// UTF-8 sequence, a stripped leading space). No false negatives; a hit is confirmed on the full text.
    /// </summary>
    bool TailHasStop(List<int> tokens)
    {
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens);
        int need = _maxStopLength + _policy.Decode(all[^1..]).Length + 8;
        int take = Math.Min(all.Length, _maxStopLength + 4);
        string tail;
        while (true)
        {
            tail = _policy.Decode(all[^take..]);
            if (take == all.Length || tail.Length >= need) break;
            take = Math.Min(all.Length, take * 2);
        }
        foreach (var stop in _sampling.StopStrings)
            if (stop.Length > 0 && tail.Contains(stop, StringComparison.Ordinal)) return true;
        return false;
    }

    void Retire(List<Live> live)
    {
        for (int i = live.Count - 1; i >= 0; i--)
        {
            var s = live[i];
            if (s.Finish is null) continue;
            _cache.Free(s.Slot);
            _results[s.Request][s.Sample] = new Completion
            {
                RequestId = _requests[s.Request].Id, SampleIndex = s.Sample, TokenIds = [.. s.Tokens],
                LogProbs = [.. s.LogProbs], RawLogProbs = [.. s.RawLogProbs],
                Text = s.Text ?? _policy.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Tokens)), Finish = s.Finish.Value,
            };
            live.RemoveAt(i);
        }
    }
}
