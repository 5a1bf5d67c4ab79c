// Prompts may carry one <|image_pad|> per image (what a chat template writes before the image size is known);
// the model needs one pad per merged patch. This expands each single pad that follows <|vision_start|> to
// grid.MergedTokens(merge) pads, leaving already-expanded prompts untouched.
using Rethinker.Models.Config;
using Rethinker.Models.Qwen;

namespace Rethinker.Models.Generation;

public static class ImagePadExpansion
{
    public static int[] Expand(int[] ids, IReadOnlyList<GridThw> grids, QwenVlConfig config)
    {
        int merge = config.Vision.SpatialMergeSize;
        int pads = ids.Count(id => id == config.ImageTokenId);
        int needed = grids.Sum(g => g.MergedTokens(merge));
        if (pads == needed) return ids;
        var runs = new List<(int Start, int Length)>();
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] != config.ImageTokenId) continue;
            int j = i;
            while (j < ids.Length && ids[j] == config.ImageTokenId) j++;
            runs.Add((i, j - i));
            i = j - 1;
        }
        if (runs.Count != grids.Count || runs.Any(r => r.Length != 1))
            throw new ArgumentException($"prompt has {pads} <|image_pad|> tokens in {runs.Count} runs for {grids.Count} images needing {needed}; "
                                        + "give either one pad per image or one per merged patch");
        var result = new List<int>(ids.Length + needed);
        int prev = 0;
        for (int r = 0; r < runs.Count; r++)
        {
            result.AddRange(ids.AsSpan(prev, runs[r].Start - prev).ToArray());
            result.AddRange(Enumerable.Repeat(config.ImageTokenId, grids[r].MergedTokens(merge)));
            prev = runs[r].Start + 1;
        }
        result.AddRange(ids.AsSpan(prev).ToArray());
        return [.. result];
    }
}
