// JPEG frame geometry as libjpeg computes it (jdinput.c initial_setup): per-component downsampled size,
// blocks, MCU grid, and the coefficient buffer (blocks padded to whole MCUs, natural order, 64 shorts each).
namespace Rethinker.Models.Imaging.Jpeg;

internal sealed class JpegComponent(int id, int h, int v, int tq)
{
    public int Id { get; } = id;
    public int H { get; } = h;
    public int V { get; } = v;
    public int Tq { get; } = tq;
    public int DownsampledWidth, DownsampledHeight;   // ceil(W·h / maxH), ceil(H·v / maxV)
    public int WidthInBlocks, HeightInBlocks;         // ceil(downsampled / 8)
    public int BlocksPerLine, BlocksPerColumn;        // padded to whole MCUs
    public short[] Coefficients = [];                 // (BlocksPerColumn, BlocksPerLine, 64) natural order
    public ushort[]? Quant;                           // latched at the component's first scan (libjpeg)
    public int DcPred;
    public int[] CoefBits = [];                       // progressive: last Al per coefficient, -1 = never seen
    public int[] PrevCoefBits = new int[64];          // CoefBits before the latest scan of this component (libjpeg)
}

internal sealed class JpegFrame
{
    public required int Width, Height;
    public required bool Progressive;
    public required JpegComponent[] Components;
    public int MaxH, MaxV, McusPerLine, McuRows;
    public int ScansRead;                 // libjpeg's input_scan_number after the last scan
    public int LastGoodMcuRow;            // last iMCU row of the latest scan decoded before its data ran out

    public void Setup(string source, ImageLimits limits)
    {
        limits.Check(source, Width, Height);
        MaxH = Components.Max(c => c.H);
        MaxV = Components.Max(c => c.V);
        McusPerLine = (Width + 8 * MaxH - 1) / (8 * MaxH);
        McuRows = (Height + 8 * MaxV - 1) / (8 * MaxV);
        long total = 0;
        foreach (var c in Components)
        {
            c.DownsampledWidth = (int)(((long)Width * c.H + MaxH - 1) / MaxH);
            c.DownsampledHeight = (int)(((long)Height * c.V + MaxV - 1) / MaxV);
            c.WidthInBlocks = (c.DownsampledWidth + 7) / 8;
            c.HeightInBlocks = (c.DownsampledHeight + 7) / 8;
            c.BlocksPerLine = McusPerLine * c.H;
            c.BlocksPerColumn = McuRows * c.V;
            total += (long)c.BlocksPerLine * c.BlocksPerColumn * 64;
        }
        if (total > Array.MaxLength) throw new ImageFormatException(source, $"image {Width}×{Height} is too large to decode");
        foreach (var c in Components)
        {
            c.Coefficients = new short[(long)c.BlocksPerLine * c.BlocksPerColumn * 64];
            c.CoefBits = [.. Enumerable.Repeat(-1, 64)];
        }
    }
}

internal static class Zigzag
{
    /// <summary>Zigzag index → natural index, with 16 extra entries of 63 so corrupt run lengths stay in bounds (as libjpeg).</summary>
    public static readonly byte[] Natural =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ];
}
