// M-RoPE position ids, rope deltas, vision cu_seqlens and the Qwen2.5-VL window index against HF's values
// in the fixtures (exact), plus hand-worked cases with other sizes (nothing may assume the fixtures' sizes).
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;
using Rethinker.Models.SafeTensors;

namespace Rethinker.Models.Tests.Qwen;

public sealed class PositionIndexTests
{
    public static TheoryData<string, string> AllCases() => TestFiles.AllCases();

    static QwenVlConfig Config(string arch) => QwenVlConfig.Load(Path.Combine(TestFiles.ModelDir(arch), "config.json"));

    static GridThw[] Grids(SafeTensorsFile f) => f.Contains("image_grid_thw") ? GridThw.FromTable(f.ReadInt64("image_grid_thw")) : [];

    [Theory]
    [MemberData(nameof(AllCases))]
    public void RopeIndex_MatchesHfExactly(string arch, string caseName)
    {
        using var f = SafeTensorsFile.Open(TestFiles.Case(arch, caseName));
        var cfg = Config(arch);
        var r = MropePositions.Compute(f.ReadInt32("input_ids"), Grids(f), cfg);
        Assert.Equal(f.ReadInt32("position_ids"), r.PositionIds);
        Assert.Equal(f.ReadInt32("rope_deltas")[0], r.RopeDelta);
        // the full (prompt + generated) sequence too
        var full = MropePositions.Compute(f.ReadInt32("full_sequence_ids"), Grids(f), cfg);
        Assert.Equal(f.ReadInt32("full_position_ids"), full.PositionIds);
        Assert.Equal(r.RopeDelta, full.RopeDelta);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void VisionIndexes_MatchHfExactly(string arch, string caseName)
    {
        using var f = SafeTensorsFile.Open(TestFiles.Case(arch, caseName));
        if (!f.Contains("image_grid_thw")) return;   // text-only case has no vision tensors
        var cfg = Config(arch);
        var grids = Grids(f);
        Assert.Equal(f.ReadInt32("vision.cu_seqlens"), VisionIndexing.CuSeqlens(grids));
        if (arch == "qwen2_5_vl")
        {
            var (wi, cu) = VisionIndexing.WindowIndex(grids, cfg.Vision.WindowSize, cfg.Vision.SpatialMergeSize, cfg.Vision.PatchSize);
            Assert.Equal(f.ReadInt32("vision.window_index"), wi);
            Assert.Equal(f.ReadInt32("vision.cu_window_seqlens"), cu);
        }
    }

    [Fact]
    public void RopeIndex_TextAfterTallImageResumesAfterLargestAxis()
    {
        // merge 2, image grid [1, 8, 2] → 4×1 merged tokens: h runs 0..3, so text resumes at base + 4.
        var cfg = Config("qwen2_vl");
        int[] ids = [5, cfg.VisionStartTokenId, .. Enumerable.Repeat(cfg.ImageTokenId, 4), cfg.VisionEndTokenId, 7];
        var r = MropePositions.Compute(ids, [new GridThw(1, 8, 2)], cfg);
        Assert.Equal(new[] { 0, 1, 2, 2, 2, 2, 6, 7 }, r.Axis(0).ToArray());
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, r.Axis(1).ToArray());
        Assert.Equal(new[] { 0, 1, 2, 2, 2, 2, 6, 7 }, r.Axis(2).ToArray());
        Assert.Equal(8 - 8, r.RopeDelta);
    }

    [Fact]
    public void RopeIndex_TemporalIndexForMultiFrameGrid()
    {
        // Qwen2-VL: a 2-frame item counts frames 0, 1 on the temporal axis.
        var cfg = Config("qwen2_vl");
        int[] ids = [cfg.VisionStartTokenId, .. Enumerable.Repeat(cfg.ImageTokenId, 2), cfg.VisionEndTokenId];
        var r = MropePositions.Compute(ids, [new GridThw(2, 2, 2)], cfg);
        Assert.Equal(new[] { 0, 1, 2, 3 }, r.Axis(0).ToArray());
        Assert.Equal(new[] { 0, 1, 1, 3 }, r.Axis(1).ToArray());
        Assert.Equal(-0, r.RopeDelta);
    }

    [Fact]
    public void RopeIndex_TooFewGridsIsAnError()
    {
        var cfg = Config("qwen2_vl");
        int[] ids = [cfg.VisionStartTokenId, cfg.ImageTokenId, cfg.VisionEndTokenId, cfg.VisionStartTokenId, cfg.ImageTokenId, cfg.VisionEndTokenId];
        var e = Assert.Throws<ArgumentException>(() => MropePositions.Compute(ids, [new GridThw(1, 2, 2)], cfg));
        Assert.Contains("2 images", e.Message);
    }

    [Fact]
    public void WindowIndex_LargerWindowAndOddGrid()
    {
        // window 112 px, merge 2, patch 14 → 4×4 merged tokens per window; grid 10×12 patches → 5×6 merged.
        var (wi, cu) = VisionIndexing.WindowIndex([new GridThw(1, 10, 12)], 112, 2, 14);
        Assert.Equal(30, wi.Length);
        Assert.Equal(Enumerable.Range(0, 30), wi.Order());
        // first window rows 0..3, cols 0..3
        Assert.Equal(new[] { 0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 18, 19, 20, 21 }, wi[..16]);
        // windows: 16, 8 (cols 4..5), 4 (row 4, cols 0..3), 2 → ×4 patches
        Assert.Equal(new[] { 0, 64, 96, 112, 120 }, cu);
        Assert.Equal(wi, VisionIndexing.Inverse(VisionIndexing.Inverse(wi)));
    }

    [Fact]
    public void RotaryPositions_FollowMergeOrder()
    {
        var p = VisionIndexing.RotaryPositions([new GridThw(1, 2, 4)], 2);
        // patches ordered (h/2, w/2, 2, 2): block (0,0) then block (0,1)
        Assert.Equal(new[] { 0, 0, 0, 1, 1, 0, 1, 1, 0, 2, 0, 3, 1, 2, 1, 3 }, p);
    }
}
