// Decodes one scan's entropy-coded data into the frame's coefficient buffers: sequential Huffman (T.81 F.2)
// and progressive DC/AC first and refinement passes (G.1.2), following libjpeg's jdhuff.c / jdphuff.c,
// including its tolerance of corrupt data (bad codes decode as 0, runs past 63 land on coefficient 63).
using System.Runtime.CompilerServices;

namespace Rethinker.Models.Imaging.Jpeg;

internal sealed class JpegScan
{
    public required JpegComponent[] Components;
    public required HuffmanTable?[] DcTables, AcTables; // per scan component
    public required int Ss, Se, Ah, Al, RestartInterval;
    public required bool Progressive;
    int _eobrun;

    /// <summary>Decodes the scan starting at <paramref name="start"/>; returns the offset of the marker after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long-running call per scan: skip tier-0
    public int Decode(JpegFrame frame, ReadOnlySpan<byte> data, int start, string source)
    {
        var r = new BitReader(data, start, source);
        foreach (var c in Components) c.DcPred = 0;
        bool single = Components.Length == 1;
        var only = Components[0];
        int mcusX = single ? only.WidthInBlocks : frame.McusPerLine;
        int mcusY = single ? only.HeightInBlocks : frame.McuRows;
        int restartsLeft = RestartInterval;
        for (int my = 0; my < mcusY; my++)
        {
            for (int mx = 0; mx < mcusX; mx++)
            {
                if (RestartInterval > 0 && restartsLeft == 0)
                {
                    Restart(ref r, data);
                    restartsLeft = RestartInterval;
                }
                if (!r.Insufficient) frame.LastGoodMcuRow = single ? my / only.V : my;
                // Once a marker cut the data short, libjpeg leaves the remaining MCUs of the segment untouched.
                if (r.Insufficient) { restartsLeft--; continue; }
                if (single) DecodeBlock(ref r, 0, only, (my * only.BlocksPerLine + mx) * 64);
                else
                {
                    for (int ci = 0; ci < Components.Length; ci++)
                    {
                        var c = Components[ci];
                        for (int v = 0; v < c.V; v++)
                            for (int h = 0; h < c.H; h++)
                                DecodeBlock(ref r, ci, c, ((my * c.V + v) * c.BlocksPerLine + mx * c.H + h) * 64);
                    }
                }
                restartsLeft--;
            }
        }
        return r.NextMarker();
    }

    void Restart(ref BitReader r, ReadOnlySpan<byte> data)
    {
        int p = r.NextMarker();
        // RSTn is consumed and clears the out-of-data state; any other marker stays (zeros follow) and keeps it.
        bool rst = p + 1 < data.Length && data[p + 1] is >= 0xD0 and <= 0xD7;
        r.Reset(rst ? p + 2 : p, keepInsufficient: !rst);
        foreach (var c in Components) c.DcPred = 0;
        _eobrun = 0;
    }

    void DecodeBlock(ref BitReader r, int ci, JpegComponent c, int offset)
    {
        var block = c.Coefficients.AsSpan(offset, 64);
        if (!Progressive) DecodeSequential(ref r, ci, c, block);
        else if (Ss == 0)
        {
            if (Ah == 0)
            {
                int t = DcTables[ci]!.Decode(ref r);
                c.DcPred += r.Receive(t);
                block[0] = (short)(c.DcPred << Al);
            }
            else if (r.GetBit() != 0) block[0] |= (short)(1 << Al);
        }
        else if (Ah == 0) DecodeAcFirst(ref r, AcTables[ci]!, block);
        else DecodeAcRefine(ref r, AcTables[ci]!, block);
    }

    void DecodeSequential(ref BitReader r, int ci, JpegComponent c, Span<short> block)
    {
        int t = DcTables[ci]!.Decode(ref r);
        c.DcPred += r.Receive(t);
        block[0] = (short)c.DcPred;
        var ac = AcTables[ci]!;
        for (int k = 1; k < 64; k++)
        {
            int rs = ac.Decode(ref r), run = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += run;
                block[Zigzag.Natural[k]] = (short)r.Receive(s);
            }
            else if (run == 15) k += 15;
            else break;
        }
    }

    void DecodeAcFirst(ref BitReader r, HuffmanTable ac, Span<short> block)
    {
        if (_eobrun > 0) { _eobrun--; return; }
        for (int k = Ss; k <= Se; k++)
        {
            int rs = ac.Decode(ref r), run = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += run;
                block[Zigzag.Natural[Math.Min(k, 79)]] = (short)(r.Receive(s) << Al);
            }
            else if (run == 15) k += 15;
            else
            {
                _eobrun = 1 << run;
                if (run != 0) _eobrun += r.GetBits(run);
                _eobrun--;
                break;
            }
        }
    }

    void DecodeAcRefine(ref BitReader r, HuffmanTable ac, Span<short> block)
    {
        int p1 = 1 << Al, m1 = -1 << Al;
        int k = Ss;
        if (_eobrun == 0)
        {
            for (; k <= Se; k++)
            {
                int rs = ac.Decode(ref r), run = rs >> 4, s = rs & 15;
                if (s != 0) s = r.GetBit() != 0 ? p1 : m1; // s != 1 is corrupt; libjpeg warns and goes on
                else if (run != 15)
                {
                    _eobrun = 1 << run;
                    if (run != 0) _eobrun += r.GetBits(run);
                    break;
                }
                do
                {
                    int z = Zigzag.Natural[Math.Min(k, 79)];
                    if (block[z] != 0) Refine(ref r, ref block[z], p1, m1);
                    else if (--run < 0) break;
                    k++;
                } while (k <= Se);
                if (s != 0) block[Zigzag.Natural[Math.Min(k, 79)]] = (short)s;
            }
        }
        if (_eobrun > 0)
        {
            for (; k <= Se; k++)
            {
                int z = Zigzag.Natural[k];
                if (block[z] != 0) Refine(ref r, ref block[z], p1, m1);
            }
            _eobrun--;
        }
    }

    static void Refine(ref BitReader r, ref short coef, int p1, int m1)
    {
        if (r.GetBit() != 0 && (coef & p1) == 0) coef += (short)(coef >= 0 ? p1 : m1);
    }
}
