// Runs a whole decode step as ONE WorkerPool job: a list of phases (norm, QKV, attention, MLP, ... of every layer),
// each split into independent chunks that the participating threads claim with an atomic counter; a phase starts
// when every chunk of the previous one is done. A decode step is ~40-100 small kernels; waking the pool's blocked
// worker for each would cost more than the kernels (TINY) or a tenth of the step (SMALL), so the team wakes once per
// step and waits between phases by spinning briefly (yielding the core, never sleeping). No thread owns a chunk: a
// thread that joins late, or never, leaves its share to the others, so the schedule cannot deadlock.
using System.Runtime.InteropServices;
using Rethinker.Tensors.Kernels.Parallel;
using System.Runtime.CompilerServices;

namespace Rethinker.Tensors.Kernels.Decode;

/// <summary>One phase: Body(State, chunk) for chunk in [0, Chunks).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct Phase
{
    public delegate*<void*, int, void> Body;
    public void* State;
    public int Chunks;

    public Phase(delegate*<void*, int, void> body, void* state, int chunks) { Body = body; State = state; Chunks = chunks; }
}

public static unsafe class PhaseRunner
{
    // per-phase counters, one cache line each so the two threads' claims do not false-share across phases
    const int Stride = 16;

    struct Team
    {
        public Phase* Phases;
        public int Count;
        public int* Counters;   // [Count × Stride]: [0] next chunk to claim, [1] chunks done
        public int Failed;
        public nint Error;      // GCHandle of the first exception (a managed reference cannot sit in this struct)
    }

    /// <summary>Runs the phases in order on up to `threads` threads (the caller included). Exceptions are rethrown here.</summary>
    public static void Run(Phase* phases, int count, int threads)
    {
        if (count == 0) return;
        if (threads <= 1 || WorkerPool.InsideBody)
        {
            for (int p = 0; p < count; p++)
                for (int c = 0; c < phases[p].Chunks; c++) phases[p].Body(phases[p].State, c);
            return;
        }
        int* counters = stackalloc int[count * Stride + Stride];
        int* aligned = (int*)(((nint)counters + 63) & ~(nint)63);
        new Span<int>(aligned, count * Stride).Clear();
        var team = new Team { Phases = phases, Count = count, Counters = aligned };
        // Team lives on this stack frame: WorkerPool.For returns only after every helper has left Member.
        WorkerPool.For(threads, &Member, &team, threads);
        if (team.Error != 0)
        {
            var handle = GCHandle.FromIntPtr(team.Error);
            var e = (Exception)handle.Target!;
            handle.Free();
            throw new AggregateException("a decode phase failed", e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // hot from the first call: skip tier-0 code
    static void Member(void* state, int member)
    {
        ref Team team = ref *(Team*)state;
        for (int p = 0; p < team.Count; p++)
        {
            ref Phase phase = ref team.Phases[p];
            int* next = team.Counters + p * Stride, done = next + 1;
            int c;
            while ((c = Interlocked.Increment(ref *next) - 1) < phase.Chunks)
            {
                try { if (Volatile.Read(ref team.Failed) == 0) phase.Body(phase.State, c); }
                catch (Exception e)
                {
                    // keep counting chunks as done so no thread waits forever; later phases are skipped
                    if (Interlocked.Exchange(ref team.Failed, 1) == 0) team.Error = GCHandle.ToIntPtr(GCHandle.Alloc(e));
                }
                Interlocked.Increment(ref *done);
            }
            Wait(done, phase.Chunks);
        }
    }

    static void Wait(int* done, int target)
    {
        int spins = 0;
        while (Volatile.Read(ref *done) < target)
        {
            // the other thread is mid-chunk: spin a little, then give the core away (it may be waiting for it)
            if (++spins < 64) Thread.SpinWait(20);
            else Thread.Yield();
        }
    }
}
