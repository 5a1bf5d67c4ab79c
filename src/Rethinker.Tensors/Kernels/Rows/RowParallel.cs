// Splits a row loop into contiguous chunks on the shared WorkerPool (Kernels/Parallel), only when the work is
// large enough to pay for the hand-off (≥ MinParallelWork floats); small ops (decode, tests) run inline.
// The body gets (chunk, startRow, endRow) so reductions into shared buffers (norm weight grads) can use one
// partial buffer per chunk. The delegate travels as a GCHandle: no managed allocation per call beyond the closure.
using System.Runtime.InteropServices;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels.Rows;

public delegate void RowRange(int chunk, int start, int end);

public static unsafe class RowParallel
{
    /// <summary>Total floats touched below which a row loop stays on the calling thread.</summary>
    public static long MinParallelWork { get; set; } = 1 << 15;

    struct State
    {
        public nint Handle;
        public int Rows, Chunks;
    }

    [ThreadStatic] static bool _force;

    /// <summary>Tests: split every loop of ≥ 2 rows issued from this thread, however small (covers the chunked paths).</summary>
    public static void ForceOnThisThread(bool force) => _force = force;

    /// <summary>How many chunks For will use for this loop (1 = inline).</summary>
    public static int Chunks(int rows, long floatsPerRow)
    {
        if (rows < 2 || WorkerPool.InsideBody) return 1;
        if (_force) return Math.Min(rows, Math.Max(3, WorkerPool.Threads));
        if ((long)rows * floatsPerRow < MinParallelWork || WorkerPool.Threads < 2) return 1;
        return Math.Min(rows, WorkerPool.Threads);
    }

    public static void For(int rows, long floatsPerRow, RowRange body)
    {
        int chunks = Chunks(rows, floatsPerRow);
        if (chunks <= 1) { body(0, 0, rows); return; }
        var h = GCHandle.Alloc(body);
        try
        {
            var s = new State { Handle = GCHandle.ToIntPtr(h), Rows = rows, Chunks = chunks };
            WorkerPool.For(chunks, &Item, &s);
        }
        finally { h.Free(); }
    }

    static void Item(void* p, int i)
    {
        var s = (State*)p;
        var body = (RowRange)GCHandle.FromIntPtr(s->Handle).Target!;
        int start = (int)((long)s->Rows * i / s->Chunks), end = (int)((long)s->Rows * (i + 1) / s->Chunks);
        body(i, start, end);
    }
}
