// The shared kernel worker pool: every item runs exactly once, nested and concurrent callers fall back to inline
// execution instead of deadlocking, and a failing body surfaces as an exception in the caller.
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Tests.Kernels;

public unsafe class WorkerPoolTests
{
    static void Count(void* state, int i) => Interlocked.Increment(ref ((int*)state)[i]);

    [Fact]
    public void For_RunsEveryItemExactlyOnce()
    {
        foreach (int n in new[] { 0, 1, 2, 3, 17, 1000 })
        {
            var hits = new int[Math.Max(1, n)];
            fixed (int* p = hits) WorkerPool.For(n, &Count, p, 2);
            for (int i = 0; i < n; i++) Assert.Equal(1, hits[i]);
        }
    }

    static void Nested(void* state, int i)
    {
        Assert.True(WorkerPool.InsideBody);
        var inner = new int[8];
        fixed (int* p = inner) WorkerPool.For(8, &Count, p, 2);   // runs inline on this thread
        if (inner.All(x => x == 1)) Interlocked.Increment(ref ((int*)state)[i]);
    }

    [Fact]
    public void NestedFor_RunsInlineWithoutDeadlock()
    {
        var ok = new int[6];
        fixed (int* p = ok) WorkerPool.For(6, &Nested, p, 2);
        Assert.All(ok, x => Assert.Equal(1, x));
    }

    [Fact]
    public void ConcurrentCallers_AllComplete()
    {
        var results = new int[4][];
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int rep = 0; rep < 50; rep++)
            {
                var hits = new int[33];
                fixed (int* p = hits) WorkerPool.For(33, &Count, p, 2);
                if (hits.Any(x => x != 1)) return;
            }
            results[t] = [1];
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a caller hung");
        Assert.All(results, r => Assert.NotNull(r));
    }

    static void Throws(void* state, int i)
    {
        if (i == 5) throw new InvalidOperationException("item 5 failed");
    }

    [Fact]
    public void FailingBody_ThrowsInCaller_AndPoolStaysUsable()
    {
        // AggregateException from the pool, or the bare exception when a concurrent test made this call run inline
        var ex = Assert.ThrowsAny<Exception>(() => WorkerPool.For(20, &Throws, null, 2));
        Assert.Contains("item 5 failed", (ex.InnerException ?? ex).Message);
        var hits = new int[10];
        fixed (int* p = hits) WorkerPool.For(10, &Count, p, 2);
        Assert.All(hits, x => Assert.Equal(1, x));
    }

    [Fact]
    public void BackToBackJobs_SpinningOrParking_RunEveryItemOnce()
    {
        // many short jobs in a row exercise the claim ticket's generation checks: a worker still spinning on job g must
        // never run an item of g + 1 with g's state, nor count it twice; alternate spinning and immediate parking
        int saved = WorkerPool.SpinMicroseconds;
        try
        {
            var rng = new Random(3);
            var hits = new int[16];
            for (int job = 0; job < 4000; job++)
            {
                if (job % 500 == 0) WorkerPool.SpinMicroseconds = job % 1000 == 0 ? 0 : 30;
                int n = rng.Next(1, 17);
                Array.Clear(hits);
                fixed (int* p = hits) WorkerPool.For(n, &Count, p, 2);
                for (int i = 0; i < 16; i++) Assert.True(hits[i] == (i < n ? 1 : 0), $"job {job} (n={n}): item {i} ran {hits[i]} times");
            }
        }
        finally { WorkerPool.SpinMicroseconds = saved; }
    }

    static void RecordThread(void* state, int i)
    {
        ((int*)state)[i] = Environment.CurrentManagedThreadId;
        Thread.SpinWait(2000);   // long enough that a woken worker would claim some items
    }

    [Fact]
    public void SmallJob_WithWorkersBlocked_RunsOnTheCaller()
    {
        // a job estimated shorter than two wake latencies must not wake a blocked worker; other test classes share the
        // pool, so a round where the worker happened to be busy elsewhere is retried
        int saved = WorkerPool.SpinMicroseconds;
        try
        {
            WorkerPool.SpinMicroseconds = 0;   // workers block as soon as a job ends
            var ran = new int[64];
            bool inline = false;
            for (int attempt = 0; attempt < 20 && !inline; attempt++)
            {
                fixed (int* p = ran) WorkerPool.For(64, &RecordThread, p, 2);   // make sure the worker exists
                Thread.Sleep(20);
                fixed (int* p = ran) WorkerPool.For(64, &RecordThread, p, 2, workNs: 1);
                inline = ran.All(id => id == Environment.CurrentManagedThreadId);
            }
            Assert.True(inline, "a 1 ns job woke a blocked worker in every attempt");
        }
        finally { WorkerPool.SpinMicroseconds = saved; }
    }

    [Fact]
    public void SmallJobs_AfterOneSlowWake_StillWakeAWorkerNowAndThen()
    {
        // a measured wake latency of one second makes every 100 µs job look too small to wake a blocked worker; the
        // estimate is refreshed only by real wakes, so without a periodic re-probe they would all run inline for good
        int saved = WorkerPool.SpinMicroseconds;
        double savedLatency = WorkerPool.WakeLatencyMicroseconds;
        try
        {
            WorkerPool.SpinMicroseconds = 0;
            var ran = new int[64];
            fixed (int* p = ran) WorkerPool.For(64, &RecordThread, p, 2);   // make sure the worker exists
            Thread.Sleep(20);
            bool helped = false;
            for (int job = 0; job < 200 && !helped; job++)
            {
                WorkerPool.WakeLatencyMicroseconds = 1e6;
                fixed (int* p = ran) WorkerPool.For(64, &RecordThread, p, 2, workNs: 100_000);
                helped = ran.Any(id => id != Environment.CurrentManagedThreadId);
            }
            Assert.True(helped, "200 jobs of 100 µs (20 ms of work) never woke the blocked worker");
        }
        finally
        {
            WorkerPool.SpinMicroseconds = saved;
            WorkerPool.WakeLatencyMicroseconds = savedLatency;
        }
    }
}
