// The one worker pool every kernel shares: a few dedicated threads that BLOCK (Monitor.Wait) when idle instead of
// spinning, because on 2 shared cores two spinning pools (OpenMP + OpenBLAS in PyTorch) lose up to 7x (PERFORMANCE.md).
// Work is `count` independent items claimed with an atomic counter; the caller runs items too. Bodies are a function
// pointer plus a pointer to the caller's argument struct, so a parallel call allocates nothing.
// Nested calls (from inside a body) and concurrent callers that find the pool busy run inline on their own thread.
namespace Rethinker.Tensors.Kernels.Parallel;

public static unsafe class WorkerPool
{
    static readonly object submitLock = new();
    static readonly object wakeGate = new();
    static readonly object doneGate = new();
    static readonly List<Thread> workers = [];
    [ThreadStatic] static bool insideBody;

    // the published job (written under wakeGate before `generation` moves)
    static long generation;
    static delegate*<void*, int, void> jobBody;
    static void* jobState;
    static int jobCount, jobNext, jobHelpers, jobPending;
    static Exception? jobError;

    static int threads = DefaultThreads();

    /// <summary>Threads a parallel kernel call uses (the caller included). Default: RETHINKER_THREADS or the CPU count.</summary>
    public static int Threads
    {
        get => threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "WorkerPool.Threads must be >= 1");
            threads = value;
        }
    }

    static int DefaultThreads()
    {
        string? env = Environment.GetEnvironmentVariable("RETHINKER_THREADS");
        if (!string.IsNullOrWhiteSpace(env))
        {
            if (!int.TryParse(env, out int n) || n < 1)
                throw new InvalidOperationException($"RETHINKER_THREADS='{env}': expected a positive integer");
            return n;
        }
        return Environment.ProcessorCount;
    }

    /// <summary>True while the current thread runs a pool body (kernels then stay single-threaded).</summary>
    public static bool InsideBody => insideBody;

    /// <summary>Runs body(state, i) for i in [0, count); returns when all are done. Exceptions are rethrown here.</summary>
    public static void For(int count, delegate*<void*, int, void> body, void* state, int maxDegree = int.MaxValue)
    {
        int degree = Math.Min(Math.Min(threads, maxDegree), count);
        if (degree <= 1 || insideBody || !Monitor.TryEnter(submitLock))
        {
            RunInline(count, body, state);
            return;
        }
        try
        {
            EnsureWorkers(degree - 1);
            lock (wakeGate)
            {
                jobBody = body; jobState = state; jobCount = count; jobNext = 0; jobError = null;
                jobHelpers = degree - 1; jobPending = degree - 1;
                generation++;
                Monitor.PulseAll(wakeGate);
            }
            insideBody = true;
            try { Drain(); }
            finally { insideBody = false; }
            lock (doneGate)
                while (Volatile.Read(ref jobPending) > 0) Monitor.Wait(doneGate);
            jobBody = null; jobState = null;
            if (jobError is { } e) throw new AggregateException("a parallel kernel body failed", e);
        }
        finally { Monitor.Exit(submitLock); }
    }

    static void RunInline(int count, delegate*<void*, int, void> body, void* state)
    {
        bool was = insideBody;
        insideBody = true;
        try { for (int i = 0; i < count; i++) body(state, i); }
        finally { insideBody = was; }
    }

    static void Drain()
    {
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref jobNext) - 1) < jobCount) jobBody(jobState, i);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref jobError, e, null);
            Volatile.Write(ref jobNext, jobCount);   // stop handing out items
        }
    }

    static void EnsureWorkers(int n)
    {
        while (workers.Count < n)
        {
            int id = workers.Count;
            long start = generation;   // under submitLock: the next job is the first this worker must see
            var t = new Thread(() => WorkerLoop(id, start)) { IsBackground = true, Name = $"rethinker-kernel-{id}" };
            workers.Add(t);
            t.Start();
        }
    }

    static void WorkerLoop(int id, long seen)
    {
        insideBody = true;
        while (true)
        {
            bool take;
            lock (wakeGate)
            {
                while (generation == seen) Monitor.Wait(wakeGate);
                seen = generation;
                take = id < jobHelpers;
            }
            if (!take) continue;
            Drain();
            if (Interlocked.Decrement(ref jobPending) == 0)
                lock (doneGate) Monitor.PulseAll(doneGate);
        }
    }
}
