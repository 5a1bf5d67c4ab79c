// The one worker pool every kernel shares: a few dedicated threads that spin briefly (SpinMicroseconds, default 30 µs)
// after a job and then BLOCK instead of spinning on, because on 2 shared cores two spinning pools (OpenMP + OpenBLAS in
// PyTorch) lose up to 7x (PERFORMANCE.md); the short spin lets back-to-back calls (a decode step's GEMMs) skip the
// futex wake. Work is `count` independent items claimed with a generation-tagged ticket; the caller runs items too and
// waits only for items a worker has actually claimed, so a worker that wakes late never delays it (two threads are
// never slower than one by more than a wake syscall). Bodies are a function pointer plus a pointer to the caller's
// argument struct, so a parallel call allocates nothing. Nested calls (from inside a body) and concurrent callers that
// find the pool busy run inline on their own thread.
using System.Diagnostics;

namespace Rethinker.Tensors.Kernels.Parallel;

public static unsafe class WorkerPool
{
    static readonly object submitLock = new();
    static readonly object wakeGate = new();
    static readonly object doneGate = new();
    static readonly List<Thread> workers = [];
    [ThreadStatic] static bool insideBody;

    // The published job. `ticket` = (generation << 32) | next unclaimed item; a claim is a CAS on it, so an item can
    // only be claimed while its own job is current, and a job cannot complete (nor its fields be overwritten by the
    // next job) while a claimed item is unfinished. Fields are written before the ticket moves to their generation.
    static long ticket;
    const long Closed = int.MaxValue;   // ticket index while the next job's fields are being written: never claimable
    static delegate*<void*, int, void> jobBody;
    static void* jobState;
    static int jobCount, jobHelpers, jobDone;
    static long jobWaitSpin;   // how long a thread out of items spins for the job's last ones (WaitSpinTicks)
    static Exception? jobError;
    static int parkedWorkers, callerParked;
    static long publishedAt;                 // Stopwatch timestamp of the last publish (for the wake latency)
    static long wakeTicks = SpinTicks(50);   // moving average of a blocked worker's publish-to-start latency
    static long skippedNs;                   // estimated work run inline because waking looked too slow, since the last wake
    const long ReprobeNs = 1_000_000;        // after this much skipped work a wake is tried anyway (see For)

    static int threads = DefaultThreads();
    static long spinTicks = SpinTicks(DefaultSpinMicroseconds());

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

    /// <summary>
    /// How long an idle worker (and a caller waiting for a worker's last item, at least; see WaitSpinTicks) spins before
    /// blocking, in microseconds. 0 = block at once. Default: RETHINKER_SPIN_US or 30. Bounded on purpose: an unbounded
    /// spin steals the core that other processes (or the other pool) need.
    /// </summary>
    public static int SpinMicroseconds
    {
        get => (int)(spinTicks * 1_000_000 / Stopwatch.Frequency);
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "WorkerPool.SpinMicroseconds must be >= 0");
            spinTicks = SpinTicks(value);
        }
    }

    static long SpinTicks(int us) => us * Stopwatch.Frequency / 1_000_000;

    static int DefaultThreads() => PositiveEnv("RETHINKER_THREADS", 1) ?? Environment.ProcessorCount;
    static int DefaultSpinMicroseconds() => PositiveEnv("RETHINKER_SPIN_US", 0) ?? 30;

    static int? PositiveEnv(string name, int min)
    {
        string? env = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(env)) return null;
        if (!int.TryParse(env, out int n) || n < min)
            throw new InvalidOperationException($"{name}='{env}': expected an integer >= {min}");
        return n;
    }

    /// <summary>True while the current thread runs a pool body (kernels then stay single-threaded).</summary>
    public static bool InsideBody => insideBody;

    /// <summary>The measured moving average of how long a blocked worker takes to start on a published job, in µs.</summary>
    public static double WakeLatencyMicroseconds
    {
        get => Volatile.Read(ref wakeTicks) * 1e6 / Stopwatch.Frequency;
        internal set => Volatile.Write(ref wakeTicks, (long)(value * Stopwatch.Frequency / 1e6));   // tests
    }

    /// <summary>Runs body(state, i) for i in [0, count); returns when all are done. Exceptions are rethrown here.</summary>
    /// <param name="workNs">
    /// The caller's estimate of the whole job's single-thread time in nanoseconds. When the workers are blocked (not
    /// spinning) and the job is shorter than two measured wake latencies, it runs inline: on a busy machine a blocked
    /// worker can take tens of µs to start, and a woken worker may even preempt the caller, so waking it for a small
    /// job makes two threads slower than one. Only a real wake refreshes the latency estimate, so once inline jobs add
    /// up to ReprobeNs of work a wake is tried anyway: otherwise one slow wake (400 µs on a busy VM) kept every later
    /// job of that size on one thread for good, its worker never woken to show the latency had dropped.
    /// </param>
    public static void For(int count, delegate*<void*, int, void> body, void* state, int maxDegree = int.MaxValue, long workNs = long.MaxValue)
    {
        int degree = Math.Min(Math.Min(threads, maxDegree), count);
        if (degree > 1 && workNs < long.MaxValue && Volatile.Read(ref parkedWorkers) > 0
            && workNs * Stopwatch.Frequency / 1_000_000_000 < 2 * Volatile.Read(ref wakeTicks))
        {
            // racy between concurrent callers, which only moves the next re-probe a little
            if ((skippedNs += workNs) < ReprobeNs) degree = 1;
            else skippedNs = 0;
        }
        if (degree <= 1 || insideBody || !Monitor.TryEnter(submitLock))
        {
            RunInline(count, body, state);
            return;
        }
        try
        {
            EnsureWorkers(degree - 1);
            long generation = (Volatile.Read(ref ticket) >> 32) + 1;
            Interlocked.Exchange(ref ticket, (generation << 32) | Closed);   // stale claims of the last job now fail
            jobBody = body; jobState = state; jobCount = count; jobHelpers = degree - 1; jobDone = 0; jobError = null;
            jobWaitSpin = WaitSpinTicks(workNs, count);
            publishedAt = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref ticket, generation << 32);   // open; full fence before reading parkedWorkers
            if (Volatile.Read(ref parkedWorkers) > 0)
                lock (wakeGate) Monitor.PulseAll(wakeGate);
            insideBody = true;
            try { Drain(generation); }
            finally { insideBody = false; }
            WaitDone(count, jobWaitSpin);
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

    /// <summary>Claims and runs items of job `generation` until none is left (or the job moved on).</summary>
    static void Drain(long generation)
    {
        while (true)
        {
            long t = Volatile.Read(ref ticket);
            // jobCount may already belong to a later job here, but then the ticket moved on and the CAS fails
            if (t >> 32 != generation || (int)t >= jobCount) return;
            if (Interlocked.CompareExchange(ref ticket, t + 1, t) != t) continue;
            // claimed while the job was current: it cannot complete before this item does, so its fields are stable
            int i = (int)t, count = jobCount;
            try { jobBody(jobState, i); }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref jobError, e, null);
                StopHandingOut(generation, count);
            }
            if (Interlocked.Increment(ref jobDone) == count && Volatile.Read(ref callerParked) != 0)
                lock (doneGate) Monitor.PulseAll(doneGate);
        }
    }

    /// <summary>After a failure: claims every remaining item at once and counts them done without running them.</summary>
    static void StopHandingOut(long generation, int count)
    {
        while (true)
        {
            long t = Volatile.Read(ref ticket);
            int next = (int)t;
            if (t >> 32 != generation || next >= count) return;
            if (Interlocked.CompareExchange(ref ticket, (generation << 32) | (uint)count, t) == t)
            {
                Interlocked.Add(ref jobDone, count - next);   // the caller of this helper adds its own item afterwards
                return;
            }
        }
    }

    const long MaxWaitSpinNs = 2_000_000;

    /// <summary>
    /// How long the caller spins for items still running on workers before it blocks. Those items are claimed and
    /// under way, so the wait is at most about one item: spinning through it (up to twice the job's estimated time per
    /// item, at most 2 ms) beats blocking, whose wake-up costs 50–400 µs on a busy VM. Without an estimate, or with
    /// spinning turned off (SpinMicroseconds = 0), spinTicks. Measured with two threads, 9 paired rounds each: 256²
    /// NN 166 → 169 GFLOP/s, TN 166 → 173, 512² NN 181 → 184, TN 159 → 163, 1024² 199 → 200.
    /// </summary>
    static long WaitSpinTicks(long workNs, int count)
    {
        if (workNs == long.MaxValue || spinTicks == 0) return spinTicks;
        long perItemNs = Math.Min(2 * workNs / Math.Max(1, count), MaxWaitSpinNs);
        return Math.Max(spinTicks, perItemNs * Stopwatch.Frequency / 1_000_000_000);
    }

    /// <summary>The caller's wait for items still running on workers: a bounded spin, then a block.</summary>
    static void WaitDone(int count, long spin)
    {
        if (Volatile.Read(ref jobDone) == count) return;
        long until = Stopwatch.GetTimestamp() + spin;
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(8);
            if (Volatile.Read(ref jobDone) == count) return;
        }
        lock (doneGate)
        {
            Interlocked.Exchange(ref callerParked, 1);   // full fence before re-reading jobDone (pairs with Drain)
            while (Volatile.Read(ref jobDone) != count) Monitor.Wait(doneGate);
            callerParked = 0;
        }
    }

    static void EnsureWorkers(int n)
    {
        while (workers.Count < n)
        {
            int id = workers.Count;
            long seen = Volatile.Read(ref ticket) >> 32;   // under submitLock: the next job is the first this worker must see
            var t = new Thread(() => WorkerLoop(id, seen)) { IsBackground = true, Name = $"rethinker-kernel-{id}" };
            workers.Add(t);
            t.Start();
        }
    }

    static void WorkerLoop(int id, long seen)
    {
        insideBody = true;
        while (true)
        {
            long generation = WaitForJob(seen, out bool blocked);
            seen = generation;
            // these fields are read between two reads of the ticket's generation: they belong to this job (seqlock)
            int helpers = Volatile.Read(ref jobHelpers), count = Volatile.Read(ref jobCount);
            long published = Volatile.Read(ref publishedAt), waitSpin = Volatile.Read(ref jobWaitSpin);
            if (Volatile.Read(ref ticket) >> 32 != generation || id >= helpers) continue;
            if (blocked)   // a racy update is harmless: this is a heuristic for For's inline decision
                wakeTicks += (Stopwatch.GetTimestamp() - published - wakeTicks) / 8;
            Drain(generation);
            WaitForOthers(generation, count, waitSpin);
        }
    }

    /// <summary>
    /// A worker out of items spins while the rest of its job runs elsewhere (bounded like the caller's wait), so its
    /// idle spin for the next job starts when this one ends. Counting that spin from when the worker ran out of items
    /// parked it whenever the caller's last item ran over 30 µs longer than its own, and a parked worker starts the
    /// next job late, takes fewer items and runs out early again. (The 66–72 % two-thread GEMM readings once
    /// suspected of this were traced later to both threads slowing on shared rows, with items split 2 : 2; see
    /// GemmBlocked.ItemTile.)
    /// </summary>
    static void WaitForOthers(long generation, int count, long spin)
    {
        long until = Stopwatch.GetTimestamp() + spin;
        while (Volatile.Read(ref ticket) >> 32 == generation && Volatile.Read(ref jobDone) < count && Stopwatch.GetTimestamp() < until)
            Thread.SpinWait(8);
    }

    /// <summary>Spins up to spinTicks for an open job after generation `seen`, then blocks on wakeGate until one is.</summary>
    static long WaitForJob(long seen, out bool blocked)
    {
        blocked = false;
        long until = Stopwatch.GetTimestamp() + spinTicks;
        while (true)
        {
            long t = Volatile.Read(ref ticket);
            if (t >> 32 != seen && (int)t != Closed) return t >> 32;
            if (Stopwatch.GetTimestamp() >= until) break;
            Thread.SpinWait(8);
        }
        blocked = true;
        lock (wakeGate)
        {
            Interlocked.Increment(ref parkedWorkers);   // full fence before re-reading the ticket (pairs with For)
            long t;
            while ((t = Volatile.Read(ref ticket)) >> 32 == seen || (int)t == Closed) Monitor.Wait(wakeGate);
            Interlocked.Decrement(ref parkedWorkers);
            return t >> 32;
        }
    }
}
