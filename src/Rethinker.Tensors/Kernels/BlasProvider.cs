// Optional OpenBLAS provider: cblas_sgemm from the OS's libopenblas (Debian: libopenblas0-pthread), loaded lazily with
// NativeLibrary.TryLoad and called through an unmanaged function pointer. Selected by RETHINKER_BLAS=openblas or
// Gemm.Provider; the managed kernel stays the default. OpenBLAS's thread count follows WorkerPool.Threads.
using System.Runtime.InteropServices;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels;

public static unsafe class BlasProvider
{
    const int RowMajor = 101, NoTrans = 111, Trans = 112;
    static readonly string[] Candidates = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll", "openblas"];

    static readonly Lazy<(nint sgemm, nint setThreads, string? error)> lib = new(Load);
    static int threadsSet = -1;

    public static bool IsAvailable => lib.Value.sgemm != 0;
    public static string? LoadError => lib.Value.error;

    static (nint, nint, string?) Load()
    {
        foreach (var name in Candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var h)) continue;
            if (!NativeLibrary.TryGetExport(h, "cblas_sgemm", out var f)) return (0, 0, $"{name} has no cblas_sgemm export");
            NativeLibrary.TryGetExport(h, "openblas_set_num_threads", out var t);
            return (f, t, null);
        }
        return (0, 0, "none of " + string.Join(", ", Candidates) + " could be loaded; install libopenblas0-pthread");
    }

    /// <summary>cblas_sgemm (row-major) with the Gemm.Sgemm contract; arguments are already validated.</summary>
    internal static void Sgemm(bool transA, bool transB, int M, int N, int K, float alpha, float* A, int lda,
        float* B, int ldb, float beta, float* C, int ldc)
    {
        var (f, setThreads, error) = lib.Value;
        if (f == 0) throw new InvalidOperationException($"BlasProvider: OpenBLAS is not loadable ({error})");
        int threads = WorkerPool.InsideBody ? 1 : WorkerPool.Threads;
        if (setThreads != 0 && threads != threadsSet)
        {
            ((delegate* unmanaged<int, void>)setThreads)(threads);
            threadsSet = threads;
        }
        // K == 0 is legal in CBLAS but some builds read A; the managed path handles it identically
        if (K == 0) { Gemm.SgemmManaged(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, 1); return; }
        ((delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)f)(
            RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    }
}
