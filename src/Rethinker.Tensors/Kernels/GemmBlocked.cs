// Cache-blocked, multi-threaded SGEMM driver around a micro-kernel TK (BLIS loop nest, Goto & van de Geijn 2008):
// work items are tiles of C, row blocks × column slices, dealt so that the items running at the same moment share no
// row and no column (see ItemTile). Each loops pc over K in KC blocks (packs its B slice, KC×NC, into L2), then ir
// over rows in MR steps (A read in place, an MR×KC micro-panel that stays in L1; a transposed A is packed k-major,
// eight micro-panels per pass over its rows), then jr over NR panels, prefetching each C tile before its k loop.
// Small-M NN calls skip packing and stream B directly.
using System.Runtime.Intrinsics.X86;
using Rethinker.Tensors.Kernels.Parallel;

namespace Rethinker.Tensors.Kernels;

internal static unsafe class GemmBlocked<TK> where TK : struct, IGemmKernel
{
    // measured on Zen 4 (1 thread, CPU time, paired with OpenBLAS): KC 384/512 and NC 256 were no faster on any
    // transformer shape, and KC 512 lost 5–10 % on the TN (weight-gradient) forms
    const int KC = 256;        // depth per block: MR×KC A panel (6 KB) in L1
    const int NCMax = 512;     // columns per item: KC×NC packed B (512 KB) in the 1 MB L2 of Zen 4
    const int UnpackedMaxM = 24; // NN with M ≤ this streams B without packing (each B row is used ≤ 4 times)

    const int PackAGroupBlocks = 8;   // MR blocks of a transposed A packed in one pass (48 rows × KC, 64 KB: in L2)

    struct Args
    {
        public float* A, B, C;
        public long Lda, Ldb, Ldc;
        public int M, N, K, ItemsN, ItemsM, RowsPerItem, Panels;
        public bool TransA, TransB, PackB;
        public float Alpha, Beta;
    }

    public static void Run(bool transA, bool transB, int M, int N, int K, float alpha, float* A, long lda,
        float* B, long ldb, float beta, float* C, long ldc, int threads)
    {
        int NR = TK.NR, MR = TK.MR;
        int panels = (N + NR - 1) / NR;
        // column slices of at most NCMax columns, a multiple of the thread count so equal slices finish together;
        // with several threads, as many row blocks as threads (items of at least 8 micro-panels), dealt diagonally by
        // ItemTile. Splitting the rows packs each B slice once per row block, and it pays: when both threads read the
        // same A rows and write the same C rows at once (column slices alone), this VM had long spells (seconds, often
        // a third of a run) in which both ran 20–30 % slower, seen by neither the FMA probe nor two single-threaded
        // GEMMs run side by side on their own matrices. Measured in windows alternated over 6 minutes (two threads,
        // fraction of the FMA probe beside them): in those spells 256² NN 77 → 89 %, 1024² NT 76 → 90 %, 2048² TN
        // 77 → 87 %, 2048×8192×512 NN 79 → 90 %, 2048×1376×512 TN 75 → 82 %; outside them −1.4 % (2048² TN) to +4 %.
        // Staggering where items sharing rows start their sweep (so no line was read by both at once) did not help.
        int itemsN = Math.Min(panels, threads * (int)Math.Ceiling(N / (double)(threads * NCMax)));
        // at two panels per item a transposed A is read in place instead of packed (below): 512² TN 206 → 216 GFLOP/s
        if (threads > 1 && transA && panels == 4 * threads) itemsN = 2 * threads;
        int itemsM = threads > 1 ? Math.Max(1, Math.Min(threads, M / (8 * MR))) : 1;
        int rowsPerItem = ((M + itemsM - 1) / itemsM + MR - 1) / MR * MR;
        itemsM = (M + rowsPerItem - 1) / rowsPerItem;
        var a = new Args
        {
            A = A, B = B, C = C, Lda = lda, Ldb = ldb, Ldc = ldc, M = M, N = N, K = K, ItemsN = itemsN, ItemsM = itemsM,
            RowsPerItem = rowsPerItem, Panels = panels, TransA = transA, TransB = transB, Alpha = alpha, Beta = beta,
            PackB = transB || M > UnpackedMaxM,
        };
        WorkerPool.For(itemsN * itemsM, &Item, &a, threads, 2L * M * N * K / 80);   // work estimate: ≈ 80 GFLOP/s on one thread
    }

    /// <summary>
    /// Starts the C tile's cache misses before its k loop (kc·MR vector FMAs) so the epilogue's beta·C loads and stores
    /// hit L1: C is revisited once per KC block, long after it left L2. Done here, not in the micro-kernel, whose 24
    /// accumulators the JIT would otherwise spill.
    /// </summary>
    static void PrefetchTile(float* c, long ldc, int rows, int w)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++, c += ldc)
        {
            for (int j = 0; j < w; j += 16) Sse.Prefetch0(c + j);
            Sse.Prefetch0(c + w - 1);   // the last line when the row does not start on a line boundary
        }
    }

    /// <summary>
    /// First NR panel of column slice `jn` when `panels` are dealt to `items` slices: the remainder goes to the first
    /// slices, so slices are claimed largest first. (An even split of, e.g., 22 panels into 4 gave 5, 6, 5, 6: the thread
    /// that finished its 5 took the next 5 and the other ended with 12 of 22 panels, ~9 % idle on 2048×1376×512.)
    /// </summary>
    internal static int FirstPanel(int jn, int panels, int items)
    {
        int q = panels / items, r = panels % items;
        return jn * q + Math.Min(jn, r);
    }

    /// <summary>
    /// Column slice and row block of work item `item`, dealt diagonally: round r = item / itemsN holds every column
    /// slice once, slice jn taking row block (r + jn) mod itemsM. Items are claimed in order, so the threads run
    /// consecutive items at the same moment, and with itemsM ≥ threads those touch neither the same rows of A and C
    /// nor the same columns of B and C (the row-major deal put every thread on the same rows at once).
    /// </summary>
    internal static (int Column, int Row) ItemTile(int item, int itemsN, int itemsM)
    {
        int jn = item % itemsN;
        return (jn, (item / itemsN + jn) % itemsM);
    }

    static void Item(void* state, int item)
    {
        ref Args a = ref *(Args*)state;
        int NR = TK.NR, MR = TK.MR;
        var (jn, im) = ItemTile(item, a.ItemsN, a.ItemsM);
        int p0 = FirstPanel(jn, a.Panels, a.ItemsN), p1 = FirstPanel(jn + 1, a.Panels, a.ItemsN);
        int n0 = p0 * NR, cols = Math.Min(a.N, p1 * NR) - n0;
        int m0 = im * a.RowsPerItem, m1 = Math.Min(a.M, m0 + a.RowsPerItem);
        float* tile = stackalloc float[TK.MR * TK.NR];
        for (int pc = 0; pc < a.K; pc += KC)
        {
            int kc = Math.Min(KC, a.K - pc);
            float beta = pc == 0 ? a.Beta : 1f;
            float* packed = null;
            int fullPanels = cols / NR;   // unpacked path: full panels read B in place, the ragged last one is packed
            if (a.PackB)
            {
                packed = ScratchBuffer.PackB((long)(p1 - p0) * kc * NR);
                GemmPacking.PackB(a.TransB, a.B, a.Ldb, pc, kc, n0, cols, NR, packed);
            }
            else if (fullPanels * NR < cols)
            {
                packed = ScratchBuffer.PackB((long)kc * NR);
                GemmPacking.PackB(false, a.B, a.Ldb, pc, kc, n0 + fullPanels * NR, cols - fullPanels * NR, NR, packed);
            }
            // transposed A read in place touches a new cache line (and often a new page) per k for MR useful floats:
            // pack its micro-panels k-major when more than two panels reuse them; with one or two the pack costs more
            // than it saves (two threads, 512² TN in 4 column items of 2 panels: 206 GFLOP/s packed, 216 in place)
            bool packA = a.TransA && cols > 2 * NR;
            long panelStride = (long)kc * GemmPacking.PackedAStride;
            float* apack = packA ? ScratchBuffer.PackA(panelStride * PackAGroupBlocks) : null;
            for (int i = m0; i < m1; i += MR)
            {
                int inGroup = (i - m0) / MR % PackAGroupBlocks;
                if (packA && inGroup == 0)   // the next PackAGroupBlocks micro-panels, one pass over A's kc rows
                    GemmPacking.PackATransposed(a.A + (long)pc * a.Lda + i, a.Lda, Math.Min(PackAGroupBlocks * MR, m1 - i), kc, MR,
                        a.M - i, apack, panelStride);
                int rows = Math.Min(MR, m1 - i);
                float* ap = a.TransA ? a.A + (long)pc * a.Lda + i : a.A + i * a.Lda + pc;
                long ars = a.TransA ? 1 : a.Lda, aks = a.TransA ? a.Lda : 1;
                if (packA)
                {
                    ap = apack + inGroup * panelStride;
                    aks = GemmPacking.PackedAStride;
                }
                for (int p = 0; p * NR < cols; p++)
                {
                    int w = Math.Min(NR, cols - p * NR);
                    float* bp; long bks;
                    if (a.PackB) { bp = packed + (long)p * kc * NR; bks = NR; }
                    else if (p < fullPanels) { bp = a.B + pc * a.Ldb + n0 + p * NR; bks = a.Ldb; }
                    else { bp = packed; bks = NR; }
                    float* cp = a.C + i * a.Ldc + n0 + p * NR;
                    PrefetchTile(cp, a.Ldc, rows, w);
                    if (w == NR) TK.Tile(rows, kc, ap, ars, aks, bp, bks, cp, a.Ldc, a.Alpha, beta);
                    else
                    {
                        if (2 * w <= NR) TK.TileHalf(rows, kc, ap, ars, aks, bp, bks, tile, NR, 1f, 0f);
                        else TK.Tile(rows, kc, ap, ars, aks, bp, bks, tile, NR, 1f, 0f);
                        for (int r = 0; r < rows; r++)
                        for (int j = 0; j < w; j++)
                        {
                            float* cij = cp + r * a.Ldc + j;
                            *cij = a.Alpha * tile[r * NR + j] + (beta == 0 ? 0 : beta * *cij);
                        }
                    }
                }
            }
        }
    }
}
