// Contracts shared by the SGEMM micro-kernels: a micro-kernel computes one MR×NR tile of C from an A micro-panel read
// through strides (row stride `ars`, k stride `aks`, so A is never packed) and a B micro-panel of NR contiguous floats
// per k (packed, or B's own rows when op(B) is not transposed). Row counts below MR are compile-time constants (IRows)
// so each instantiation keeps only its live accumulators. Layout follows Goto & van de Geijn (2008) / BLIS.
namespace Rethinker.Tensors.Kernels;

internal interface IRows { static abstract int N { get; } }
internal struct R1 : IRows { public static int N => 1; }
internal struct R2 : IRows { public static int N => 2; }
internal struct R3 : IRows { public static int N => 3; }
internal struct R4 : IRows { public static int N => 4; }
internal struct R5 : IRows { public static int N => 5; }
internal struct R6 : IRows { public static int N => 6; }

internal unsafe interface IGemmKernel
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int MR { get; }
    /// <summary>Columns of C per tile (B panels are NR floats wide).</summary>
    static abstract int NR { get; }

    /// <summary>
    /// C[r, 0..NR) = alpha·Σₖ a[r·ars + k·aks]·b[k·bks + 0..NR) + beta·C[r, 0..NR) for r &lt; rows ≤ MR;
    /// beta == 0 never reads C (so NaN garbage in C is overwritten, as BLAS does).
    /// </summary>
    static abstract void Tile(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta);

    /// <summary>
    /// Tile's contract for only the first NR/2 columns (C[r, NR/2..NR) untouched), for a ragged last panel that narrow:
    /// kernels whose NR is small enough that the waste does not matter run Tile (then all NR columns are written).
    /// </summary>
    static abstract void TileHalf(int rows, int kc, float* a, long ars, long aks, float* b, long bks, float* c, long ldc, float alpha, float beta);
}
