// Index math of the vision towers, from HF transformers 4.50 modeling_qwen2_vl.py / modeling_qwen2_5_vl.py:
// `rot_pos_emb` (2-D (h, w) position of each patch in merge order), the per-frame `cu_seqlens`, and Qwen2.5-VL's
// `get_window_index` (merged tokens regrouped into windows of (window_size / merge / patch)² merged tokens).
//
// Window example (merge 2, patch 14, window 56 → 2×2 merged tokens per window; one image of 4×6 patches
// → 2×3 merged tokens, indices 0..5 row-major):
//   windows cover rows {0,1} × cols {0,1}, {2,3}; the grid is padded to 4×4 (a full extra window when it
//   divides evenly, as HF pads), so window_index = [0 1 3 4 | 2 5], window lengths (in merged tokens) 4, 2,
//   0, 0 → cu_window_seqlens (in patches, ×4) = [0, 16, 24, 24, 24] → unique_consecutive → [0, 16, 24].
namespace Rethinker.Models.Qwen;

public static class VisionIndexing
{
    /// <summary>Cumulative patch counts per frame ([Σt + 1]): full attention is block-diagonal over frames.</summary>
    public static int[] CuSeqlens(IReadOnlyList<GridThw> grids)
    {
        var cu = new List<int> { 0 };
        foreach (var g in grids)
            for (int t = 0; t < g.T; t++) cu.Add(checked(cu[^1] + g.H * g.W));
        return cu.ToArray();
    }

    /// <summary>
    /// (h, w) patch coordinates of every patch in the order the processor emits them (t, h/m, w/m, m, m):
    /// [N, 2] row-major. The vision rotary embedding rotates half of each head by h, half by w.
    /// </summary>
    public static int[] RotaryPositions(IReadOnlyList<GridThw> grids, int merge)
    {
        int n = grids.Sum(g => g.Patches);
        var r = new int[2 * n];
        int k = 0;
        foreach (var g in grids)
            for (int t = 0; t < g.T; t++)
                for (int hb = 0; hb < g.H / merge; hb++)
                    for (int wb = 0; wb < g.W / merge; wb++)
                        for (int i = 0; i < merge; i++)
                            for (int j = 0; j < merge; j++)
                            {
                                r[k++] = hb * merge + i;
                                r[k++] = wb * merge + j;
                            }
        return r;
    }

    /// <summary>
    /// Qwen2.5-VL window order. WindowIndex[i] = the merged token (global, image-major) placed at slot i;
    /// CuWindowSeqlens = cumulative patch counts of the windows, consecutive duplicates removed (empty windows).
    /// </summary>
    public static (int[] WindowIndex, int[] CuWindowSeqlens) WindowIndex(IReadOnlyList<GridThw> grids, int windowSize, int merge, int patchSize)
    {
        int win = windowSize / merge / patchSize;   // merged tokens per window side
        if (win <= 0) throw new ArgumentException($"window_size {windowSize} is smaller than one merged token ({merge * patchSize} pixels)");
        int unit = merge * merge;
        var index = new List<int>();
        var cu = new List<int> { 0 };
        int offset = 0;
        foreach (var g in grids)
        {
            int gh = g.H / merge, gw = g.W / merge;
            // HF pads by win − (g % win): a whole extra (empty) window when the grid divides evenly.
            int nwh = (gh + win - gh % win) / win, nww = (gw + win - gw % win) / win;
            for (int t = 0; t < g.T; t++)
                for (int wy = 0; wy < nwh; wy++)
                    for (int wx = 0; wx < nww; wx++)
                    {
                        int len = 0;
                        for (int y = wy * win; y < Math.Min(gh, wy * win + win); y++)
                            for (int x = wx * win; x < Math.Min(gw, wx * win + win); x++)
                            {
                                index.Add(offset + (t * gh + y) * gw + x);
                                len++;
                            }
                        cu.Add(cu[^1] + len * unit);
                    }
            offset += g.T * gh * gw;
        }
        var unique = new List<int>(cu.Count);
        foreach (int c in cu)
            if (unique.Count == 0 || unique[^1] != c) unique.Add(c);
        return (index.ToArray(), unique.ToArray());
    }

    /// <summary>argsort of a permutation: Inverse[WindowIndex[i]] = i.</summary>
    public static int[] Inverse(ReadOnlySpan<int> permutation)
    {
        var inv = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++) inv[permutation[i]] = i;
        return inv;
    }
}
