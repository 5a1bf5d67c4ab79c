// The decode-step scheduler: every chunk of every phase runs exactly once, a phase starts only after the previous
// one finished (checked by a data dependency across threads), a failing chunk surfaces as an exception without
// hanging the team, and a call from inside a pool body runs inline.
using Rethinker.Tensors.Kernels.Decode;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Tests.Kernels.Decode;

public unsafe class PhaseRunnerTests
{
    struct Chain
    {
        public long* Values;     // [phases × chunks]
        public int Phase, Chunks;
        public int* Hits;
    }

    // chunk c of phase p reads every value of phase p-1 (so a phase that started early sees zeros) and writes its own
    static void Step(void* state, int c)
    {
        ref var s = ref *(Chain*)state;
        long sum = 1;
        if (s.Phase > 0)
            for (int i = 0; i < s.Chunks; i++) sum += Volatile.Read(ref s.Values[(s.Phase - 1) * s.Chunks + i]);
        if (c % 3 == 0) Thread.SpinWait(200);   // uneven chunk times
        Volatile.Write(ref s.Values[s.Phase * s.Chunks + c], sum);
        Interlocked.Increment(ref s.Hits[s.Phase * s.Chunks + c]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Run_ExecutesPhasesInOrderAndEveryChunkOnce(int threads)
    {
        const int P = 30, C = 7;
        var values = new long[P * C];
        var hits = new int[P * C];
        var chains = new Chain[P];
        var phases = new Phase[P];
        for (int rep = 0; rep < 20; rep++)
        {
            Array.Clear(values); Array.Clear(hits);
            fixed (long* pv = values) fixed (int* ph = hits) fixed (Chain* pc = chains) fixed (Phase* pp = phases)
            {
                for (int p = 0; p < P; p++)
                {
                    pc[p] = new Chain { Values = pv, Phase = p, Chunks = C, Hits = ph };
                    pp[p] = new Phase(&Step, pc + p, p % 5 == 4 ? 1 : C);   // some single-chunk phases
                }
                PhaseRunner.Run(pp, P, threads);
            }
            // expected value: v[0] = 1; v[p] = 1 + Σ v[p-1] over the previous phase's chunks that ran
            long prevSum = 0;
            for (int p = 0; p < P; p++)
            {
                int chunks = p % 5 == 4 ? 1 : C;
                long want = 1 + prevSum;
                for (int c = 0; c < chunks; c++)
                {
                    Assert.Equal(1, hits[p * C + c]);
                    Assert.Equal(want, values[p * C + c]);
                }
                prevSum = want * chunks;
            }
        }
    }

    static void Fail(void* state, int c)
    {
        if (c == 3) throw new InvalidOperationException("chunk 3 failed");
        Interlocked.Increment(ref *(int*)state);
    }

    [Fact]
    public void Run_AFailingChunkThrowsAndSkipsLaterPhases()
    {
        var counts = new int[2];   // [0]: phase 0 chunks that ran, [1]: phase 1 chunks that ran
        var phases = new Phase[2];
        var ex = Assert.Throws<AggregateException>(() =>
        {
            fixed (int* pc = counts) fixed (Phase* pp = phases)
            {
                pp[0] = new Phase(&Fail, pc, 8);
                pp[1] = new Phase(&Fail, pc + 1, 4);   // chunk 3 would throw again if it ran
                PhaseRunner.Run(pp, 2, 2);
            }
        });
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(0, counts[1]);
    }

    static void Inner(void* state, int i)
    {
        int hits = 0;
        var phase = new Phase(&Count, &hits, 5);
        PhaseRunner.Run(&phase, 1, 2);   // inside a pool body: inline
        if (hits == 5) Interlocked.Increment(ref ((int*)state)[i]);
    }

    static void Count(void* state, int c) => Interlocked.Increment(ref *(int*)state);

    [Fact]
    public void Run_InsideAPoolBody_RunsInline()
    {
        var ok = new int[4];
        fixed (int* p = ok) WorkerPool.For(4, &Inner, p, 2);
        Assert.All(ok, x => Assert.Equal(1, x));
    }
}
