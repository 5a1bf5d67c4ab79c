// Interblock smoothing of libjpeg-turbo 2.1.5 (jdcoefct.c decompress_smooth_data, T.81 K.8), which PIL's
// libjpeg applies by default to progressive files whose low AC coefficients are not fully known (scans
// missing or cut short): zero AC coefficients 1..9 are predicted from a 5×5 window of DC values, and the
// DC itself is smoothed when no AC scan arrived. Rows past the last intact iMCU row use the previous scan's state.
namespace Rethinker.Models.Imaging.Jpeg;

internal static class JpegBlockSmoothing
{
    const int SavedCoefs = 10;

    /// <summary>libjpeg's smoothing_ok: every DC known, quantisers nonzero, and some of AC 1..9 still inexact.</summary>
    public static bool IsUseful(JpegFrame f)
    {
        if (!f.Progressive) return false;
        bool useful = false;
        foreach (var c in f.Components)
        {
            var q = c.Quant;
            if (q is null || q[0] == 0 || q[1] == 0 || q[8] == 0 || q[16] == 0 || q[9] == 0 || q[2] == 0 ||
                q[3] == 0 || q[10] == 0 || q[17] == 0 || q[24] == 0) return false;
            if (c.CoefBits[0] < 0) return false;
            for (int k = 1; k < SavedCoefs; k++) if (c.CoefBits[k] != 0) useful = true;
        }
        return useful;
    }

    /// <summary>IDCT of one component with smoothing into a plane of (BlocksPerColumn·8, BlocksPerLine·8).</summary>
    public static void Idct(JpegFrame f, JpegComponent c, byte[] plane)
    {
        int stride = c.BlocksPerLine * 8, total = f.McuRows, v = c.V, lastCol = c.WidthInBlocks - 1;
        var q = c.Quant!;
        Span<short> ws = stackalloc short[64];
        var dc = new int[25];
        int[] prevBits = new int[SavedCoefs];
        for (int k = 1; k < SavedCoefs; k++) prevBits[k] = f.ScansRead > 1 ? c.PrevCoefBits[k] : -1;
        for (int r = 0; r < total; r++)
        {
            int[] bits = r > f.LastGoodMcuRow ? prevBits : c.CoefBits;
            bool changeDc = true;
            for (int k = 1; k < SavedCoefs; k++) changeDc &= bits[k] == -1;
            int blockRows = v;
            if (r == total - 1) { blockRows = c.HeightInBlocks % v; if (blockRows == 0) blockRows = v; }
            for (int br = 0; br < blockRows; br++)
            {
                // Neighbour rows exactly as libjpeg-turbo 2.1.5 chooses them (its conditions mix the block row
                // within the iMCU row with the iMCU row index, so some edges repeat a nearer row).
                int g = r * v + br, last = total - 1;
                int prev = br > 0 || r > 0 ? g - 1 : g;
                int prev2 = br > 1 || r > 1 ? g - 2 : prev;
                int next = br < blockRows - 1 || r < last ? g + 1 : g;
                int next2 = br < blockRows - 2 || r + 1 < last ? g + 2 : next;
                ReadOnlySpan<int> rows = [prev2, prev, g, next, next2];
                // Sliding DC registers per row (DC01..05, 06..10, ...), initialised with column 0.
                for (int i = 0; i < 5; i++)
                    for (int j = 0; j < 5; j++) dc[5 * i + j] = DcAt(c, rows[i], 0);
                for (int bx = 0; bx <= lastCol; bx++)
                {
                    for (int i = 0; i < 5; i++)
                    {
                        if (bx == 0 && bx < lastCol) dc[5 * i + 3] = DcAt(c, rows[i], 1);
                        if (bx + 1 < lastCol) dc[5 * i + 4] = DcAt(c, rows[i], bx + 2);
                    }
                    c.Coefficients.AsSpan((g * c.BlocksPerLine + bx) * 64, 64).CopyTo(ws);
                    Smooth(ws, dc, bits, q, changeDc);
                    JpegIdct.Transform(ws, q, plane.AsSpan(g * 8 * stride + bx * 8), stride);
                    for (int i = 0; i < 5; i++)
                        for (int j = 0; j < 4; j++) dc[5 * i + j] = dc[5 * i + j + 1];
                }
            }
        }
    }

    static int DcAt(JpegComponent c, int row, int col) => c.Coefficients[(row * c.BlocksPerLine + col) * 64];

    /// <summary>K.8 predictions for one block; dc[0..24] is the 5×5 window (DC01..DC25 in libjpeg), row-major.</summary>
    static void Smooth(Span<short> w, int[] d, int[] bits, ushort[] q, bool changeDc)
    {
        long q00 = q[0];
        // d[n - 1] is libjpeg's DCn.
        int D(int n) => d[n - 1];
        if (bits[1] != 0 && w[1] == 0)
            w[1] = Pred(q00 * (changeDc
                ? -D(1) - D(2) + D(4) + D(5) - 3 * D(6) + 13 * D(7) - 13 * D(9) + 3 * D(10) - 3 * D(11) + 38 * D(12) - 38 * D(14) +
                  3 * D(15) - 3 * D(16) + 13 * D(17) - 13 * D(19) + 3 * D(20) - D(21) - D(22) + D(24) + D(25)
                : -7 * D(11) + 50 * D(12) - 50 * D(14) + 7 * D(15)), q[1], bits[1]);
        if (bits[2] != 0 && w[8] == 0)
            w[8] = Pred(q00 * (changeDc
                ? -D(1) - 3 * D(2) - 3 * D(3) - 3 * D(4) - D(5) - D(6) + 13 * D(7) + 38 * D(8) + 13 * D(9) - D(10) + D(16) -
                  13 * D(17) - 38 * D(18) - 13 * D(19) + D(20) + D(21) + 3 * D(22) + 3 * D(23) + 3 * D(24) + D(25)
                : -7 * D(3) + 50 * D(8) - 50 * D(18) + 7 * D(23)), q[8], bits[2]);
        if (bits[3] != 0 && w[16] == 0)
            w[16] = Pred(q00 * (changeDc
                ? D(3) + 2 * D(7) + 7 * D(8) + 2 * D(9) - 5 * D(12) - 14 * D(13) - 5 * D(14) + 2 * D(17) + 7 * D(18) + 2 * D(19) + D(23)
                : -D(3) + 13 * D(8) - 24 * D(13) + 13 * D(18) - D(23)), q[16], bits[3]);
        if (bits[4] != 0 && w[9] == 0)
            w[9] = Pred(q00 * (changeDc
                ? -D(1) + D(5) + 9 * D(7) - 9 * D(9) - 9 * D(17) + 9 * D(19) + D(21) - D(25)
                : D(10) + D(16) - 10 * D(17) + 10 * D(19) - D(2) - D(20) + D(22) - D(24) + D(4) - D(6) + 10 * D(7) - 10 * D(9)), q[9], bits[4]);
        if (bits[5] != 0 && w[2] == 0)
            w[2] = Pred(q00 * (changeDc
                ? 2 * D(7) - 5 * D(8) + 2 * D(9) + D(11) + 7 * D(12) - 14 * D(13) + 7 * D(14) + D(15) + 2 * D(17) - 5 * D(18) + 2 * D(19)
                : -D(11) + 13 * D(12) - 24 * D(13) + 13 * D(14) - D(15)), q[2], bits[5]);
        if (!changeDc) return;
        if (bits[6] != 0 && w[3] == 0) w[3] = Pred(q00 * (D(7) - D(9) + 2 * D(12) - 2 * D(14) + D(17) - D(19)), q[3], bits[6]);
        if (bits[7] != 0 && w[10] == 0) w[10] = Pred(q00 * (D(7) - 3 * D(8) + D(9) - D(17) + 3 * D(18) - D(19)), q[10], bits[7]);
        if (bits[8] != 0 && w[17] == 0) w[17] = Pred(q00 * (D(7) - D(9) - 3 * D(12) + 3 * D(14) + D(17) - D(19)), q[17], bits[8]);
        if (bits[9] != 0 && w[24] == 0) w[24] = Pred(q00 * (D(7) + 2 * D(8) + D(9) - D(17) - 2 * D(18) - D(19)), q[24], bits[9]);
        long num = q00 * (-2 * D(1) - 6 * D(2) - 8 * D(3) - 6 * D(4) - 2 * D(5) - 6 * D(6) + 6 * D(7) + 42 * D(8) + 6 * D(9) - 6 * D(10) -
                          8 * D(11) + 42 * D(12) + 152 * D(13) + 42 * D(14) - 8 * D(15) - 6 * D(16) + 6 * D(17) + 42 * D(18) + 6 * D(19) -
                          6 * D(20) - 2 * D(21) - 6 * D(22) - 8 * D(23) - 6 * D(24) - 2 * D(25));
        w[0] = Pred(num, q[0], 0);
    }

    /// <summary>Rounded num / (Q·256), clamped below 2^Al when Al > 0 (the estimate must stay within the unknown bits).</summary>
    static short Pred(long num, long qv, int al)
    {
        long p = num >= 0 ? ((qv << 7) + num) / (qv << 8) : ((qv << 7) - num) / (qv << 8);
        if (al > 0 && p >= 1L << al) p = (1L << al) - 1;
        return (short)(num >= 0 ? p : -p);
    }
}
