// Samples the next token of every sequence of a decode step. With many sequences the vocabulary-wide passes
// (log-sum-exp, filters, argmax) are a visible share of the step, so sequences are spread over the worker pool,
// one TokenSampler (scratch buffers) per chunk. Each sequence brings its own uniform draw, taken from its own
// stream beforehand, so results do not depend on which thread sampled what.
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Rethinker.Models.Policy;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Models.Generation;

internal sealed unsafe class BatchSampler : IDisposable
{
    // below this many sequences a pool dispatch costs more than it saves
    const int MinParallel = 4;
    readonly TokenSampler[] _samplers;
    GCHandle _self;
    // the current call's arguments (read by the chunks)
    FastDecoder? _fast;
    SamplingOptions? _options;
    List<int>[] _seen = [];
    float[] _uniforms = [];
    SampledToken[] _results = [];
    int _count, _chunks;

    public BatchSampler(int vocabSize, int threads)
    {
        _samplers = new TokenSampler[Math.Max(1, 2 * threads)];
        for (int i = 0; i < _samplers.Length; i++) _samplers[i] = new TokenSampler(vocabSize);
        _self = GCHandle.Alloc(this);
    }

    /// <summary>results[i] = the token sampled from fast.Logits(i) for i &lt; count.</summary>
    public void Sample(FastDecoder fast, int count, List<int>[] seen, float[] uniforms, SampledToken[] results, SamplingOptions options)
    {
        _fast = fast; _options = options; _seen = seen; _uniforms = uniforms; _results = results; _count = count;
        _chunks = Math.Min(_samplers.Length, count);
        if (count < MinParallel || _chunks == 1 || WorkerPool.Threads == 1)
        {
            _chunks = 1;
            Run(0);
            return;
        }
        try { WorkerPool.For(_chunks, &Body, (void*)GCHandle.ToIntPtr(_self)); }
        catch (AggregateException e) when (e.InnerException is not null) { ExceptionDispatchInfo.Capture(e.InnerException).Throw(); }
    }

    static void Body(void* state, int chunk) => ((BatchSampler)GCHandle.FromIntPtr((nint)state).Target!).Run(chunk);

    void Run(int chunk)
    {
        var sampler = _samplers[chunk];
        for (int i = chunk; i < _count; i += _chunks)
            _results[i] = sampler.Sample(_fast!.Logits(i), _options!, CollectionsMarshal.AsSpan(_seen[i]), _uniforms[i]);
    }

    public void Dispose()
    {
        if (_self.IsAllocated) _self.Free();
    }
}
