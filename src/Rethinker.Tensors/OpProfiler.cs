// Optional accounting per op for profiling a training step: forward time of each op (from its output allocation to
// its return) and the time of each backward closure, keyed by op name and output shape, both wall-clock and process
// CPU time (all threads; on a shared, loaded machine CPU time is the steadier measure). Off by default; when off the
// cost is one static bool read per op. One op-issuing thread at a time.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rethinker.Tensors;

public static class OpProfiler
{
    static readonly Dictionary<string, Entry> Forward = new(StringComparer.Ordinal);
    static readonly Dictionary<string, Entry> Backward = new(StringComparer.Ordinal);
    [ThreadStatic] static long _fwdStart, _fwdCpu;

    record struct Entry(long Ticks, long CpuNs, long Calls);

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Sec, Nsec; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    static extern int ClockGetTime(int clock, out Timespec ts);

    static bool _noCpuClock = !OperatingSystem.IsLinux();

    /// <summary>CPU time of the whole process (all threads) in ns; 0 where the clock is unavailable.</summary>
    public static long ProcessCpuNs()
    {
        if (_noCpuClock) return 0;
        try
        {
            return ClockGetTime(2 /* CLOCK_PROCESS_CPUTIME_ID */, out var ts) == 0 ? ts.Sec * 1_000_000_000 + ts.Nsec : 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _noCpuClock = true;
            return 0;
        }
    }

    /// <summary>Turns accounting on or off (process-wide).</summary>
    public static bool Enabled { get; set; }

    internal static void BeginForward()
    {
        if (!Enabled) return;
        _fwdCpu = ProcessCpuNs();
        _fwdStart = Stopwatch.GetTimestamp();
    }

    internal static void EndForward(Tensor y)
    {
        if (!Enabled || _fwdStart == 0) return;
        Add(Forward, Key(y), Stopwatch.GetTimestamp() - _fwdStart, ProcessCpuNs() - _fwdCpu);
        _fwdStart = 0;
    }

    internal static (long Ticks, long Cpu) BeginBackward() => Enabled ? (Stopwatch.GetTimestamp(), ProcessCpuNs()) : (0, 0);

    internal static void EndBackward(Tensor y, (long Ticks, long Cpu) start)
    {
        if (start.Ticks != 0) Add(Backward, Key(y), Stopwatch.GetTimestamp() - start.Ticks, ProcessCpuNs() - start.Cpu);
    }

    static string Key(Tensor y) => $"{y.Op} {Shapes.Str(y.Shape)}";

    static void Add(Dictionary<string, Entry> d, string key, long ticks, long cpuNs)
    {
        lock (d)
        {
            d.TryGetValue(key, out var v);
            d[key] = new Entry(v.Ticks + ticks, v.CpuNs + cpuNs, v.Calls + 1);
        }
    }

    public static void Reset()
    {
        lock (Forward) Forward.Clear();
        lock (Backward) Backward.Clear();
    }

    /// <summary>(phase "fwd"/"bwd", op and output shape, wall seconds, process CPU seconds, calls), most CPU first.</summary>
    public static IReadOnlyList<(string Phase, string Op, double Seconds, double CpuSeconds, long Calls)> Snapshot()
    {
        var rows = new List<(string, string, double, double, long)>();
        lock (Forward) foreach (var (k, v) in Forward) rows.Add(("fwd", k, v.Ticks / (double)Stopwatch.Frequency, v.CpuNs / 1e9, v.Calls));
        lock (Backward) foreach (var (k, v) in Backward) rows.Add(("bwd", k, v.Ticks / (double)Stopwatch.Frequency, v.CpuNs / 1e9, v.Calls));
        rows.Sort((a, b) => b.Item4 != a.Item4 ? b.Item4.CompareTo(a.Item4) : b.Item3.CompareTo(a.Item3));
        return rows;
    }
}
