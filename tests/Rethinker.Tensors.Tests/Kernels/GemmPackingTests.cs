// The B packing of the blocked SGEMM against a plain index formula: the register-block transposes (16×16, 8×8) and
// their scalar edges on every tail size of both dimensions, and whole panels (zero padding, both layouts, every NR).
using Rethinker.Tensors.Kernels;

namespace Rethinker.Tensors.Tests.Kernels;

public unsafe class GemmPackingTests
{
    [Fact]
    public void PackTransposed_MatchesIndexFormula_OnEveryTailSize()
    {
        var rng = new Random(5);
        const int lds = 72, pad = 3;
        for (int w = 0; w <= 40; w++)
        for (int kc = 0; kc <= 40; kc++)
        {
            int ldsrc = kc + pad;
            var src = new float[Math.Max(1, w * ldsrc)];
            for (int i = 0; i < src.Length; i++) src[i] = (float)rng.NextDouble();
            var dst = new float[Math.Max(1, kc) * lds];
            Array.Fill(dst, float.NaN);
            fixed (float* s = src, d = dst) GemmPacking.PackTransposed(s, ldsrc, w, kc, d, lds);
            for (int k = 0; k < kc; k++)
            for (int j = 0; j < lds; j++)
            {
                float got = dst[k * lds + j];
                if (j < w) Assert.True(got == src[j * ldsrc + k], $"w={w} kc={kc}: dst[{k},{j}] = {got}, expected {src[j * ldsrc + k]}");
                else Assert.True(float.IsNaN(got), $"w={w} kc={kc}: dst[{k},{j}] outside the block was written");
            }
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(4)]
    public void PackATransposed_DealsRowsIntoPaddedMicroPanels(int MR)
    {
        // every row count up to eight panels, with A's rows ending right after the packed rows (the 8-float copies must
        // then fall back to exact ones) or with room to spare; the pad floats of each k are never read, so not checked
        var rng = new Random(MR);
        const int stride = GemmPacking.PackedAStride;
        foreach (int spare in new[] { 0, 5 })
        for (int rows = 1; rows <= 8 * MR; rows++)
        foreach (int kc in new[] { 1, 2, 7, 16 })
        {
            int lda = rows + spare, panels = (rows + MR - 1) / MR;
            long panelStride = kc * stride + 3;
            var A = new float[kc * lda];
            for (int i = 0; i < A.Length; i++) A[i] = (float)rng.NextDouble();
            var dst = new float[panels * panelStride];
            Array.Fill(dst, float.NaN);
            fixed (float* a = A, d = dst) GemmPacking.PackATransposed(a, lda, rows, kc, MR, lda, d, panelStride);
            for (int j = 0; j < panels; j++)
            for (int k = 0; k < kc; k++)
            for (int r = 0; r < Math.Min(MR, rows - j * MR); r++)
                Assert.True(dst[j * panelStride + k * stride + r] == A[k * lda + j * MR + r], $"MR={MR} rows={rows} kc={kc} spare={spare}: panel {j} [{k},{r}]");
        }
    }

    [Fact]
    public void PackATransposed_EightFloatCopiesStayWithinTheReadableRow_AndNeedHardwareVectors()
    {
        // panel j's 8-float copy reads floats j·MR .. j·MR + 7 of each row
        Assert.Equal(3, GemmPacking.WidePanels(panels: 3, MR: 6, readable: 100, vectors: true));
        Assert.Equal(3, GemmPacking.WidePanels(panels: 3, MR: 6, readable: 20, vectors: true));   // panel 2 reads 12..19
        Assert.Equal(2, GemmPacking.WidePanels(panels: 3, MR: 6, readable: 19, vectors: true));
        Assert.Equal(1, GemmPacking.WidePanels(panels: 3, MR: 6, readable: 13, vectors: true));
        Assert.Equal(0, GemmPacking.WidePanels(panels: 3, MR: 6, readable: 7, vectors: true));
        // without hardware vectors (e.g. ARM64's Vector256) every panel copies exactly MR floats: none may read ahead
        Assert.Equal(0, GemmPacking.WidePanels(panels: 3, MR: 4, readable: 100, vectors: false));
        Assert.Equal(0, GemmPacking.WidePanels(panels: 1, MR: 4, readable: 4, vectors: false));
    }

    [Theory]
    [InlineData(false, 64)]
    [InlineData(true, 64)]
    [InlineData(false, 16)]
    [InlineData(true, 16)]
    [InlineData(true, 8)]
    public void PackB_LaysOutZeroPaddedPanels(bool transB, int NR)
    {
        var rng = new Random(NR + (transB ? 1 : 0));
        foreach (var (k0, kc, n0, cols) in new[] { (0, 1, 0, 1), (3, 17, 5, 70), (1, 33, 0, 129), (0, 48, 16, 64), (2, 31, 1, 2 * NR - 1) })
        {
            int K = k0 + kc + 2, N = n0 + cols + 3, ldb = (transB ? K : N) + 4;
            var B = new float[(transB ? N : K) * ldb];
            for (int i = 0; i < B.Length; i++) B[i] = (float)rng.NextDouble();
            int panels = (cols + NR - 1) / NR;
            var dst = new float[panels * kc * NR];
            Array.Fill(dst, float.NaN);
            fixed (float* b = B, d = dst) GemmPacking.PackB(transB, b, ldb, k0, kc, n0, cols, NR, d);
            for (int p = 0; p < panels; p++)
            for (int k = 0; k < kc; k++)
            for (int j = 0; j < NR; j++)
            {
                int n = p * NR + j;
                float expected = n >= cols ? 0f : transB ? B[(n0 + n) * ldb + k0 + k] : B[(k0 + k) * ldb + n0 + n];
                Assert.True(dst[(p * kc + k) * NR + j] == expected, $"transB={transB} NR={NR} kc={kc} cols={cols}: panel {p} [{k},{j}]");
            }
        }
    }
}
