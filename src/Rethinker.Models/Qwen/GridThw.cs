// The patch grid of one image (or video): temporal × height × width in patches, as `image_grid_thw` holds it.
namespace Rethinker.Models.Qwen;

public readonly record struct GridThw(int T, int H, int W)
{
    public int Patches => T * H * W;

    /// <summary>Merged tokens this grid contributes to the LLM (one per spatialMerge² patches).</summary>
    public int MergedTokens(int spatialMerge) => T * (H / spatialMerge) * (W / spatialMerge);

    public void Validate(int spatialMerge, string what)
    {
        if (T <= 0 || H <= 0 || W <= 0) throw new ArgumentException($"{what}: grid [{T}, {H}, {W}] must be positive");
        if (H % spatialMerge != 0 || W % spatialMerge != 0)
            throw new ArgumentException($"{what}: grid height {H} and width {W} must be multiples of spatial_merge_size {spatialMerge}");
    }

    /// <summary>Reads an [n, 3] int table (image_grid_thw) into grids.</summary>
    public static GridThw[] FromTable(ReadOnlySpan<long> thw)
    {
        if (thw.Length % 3 != 0) throw new ArgumentException($"image_grid_thw must have 3 columns, got {thw.Length} values");
        var r = new GridThw[thw.Length / 3];
        for (int i = 0; i < r.Length; i++) r[i] = new GridThw(checked((int)thw[3 * i]), checked((int)thw[3 * i + 1]), checked((int)thw[3 * i + 2]));
        return r;
    }
}
