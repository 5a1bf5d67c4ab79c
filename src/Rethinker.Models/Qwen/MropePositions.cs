// M-RoPE position ids, following `get_rope_index` of HF transformers 4.50 modeling_qwen2_vl.py and
// modeling_qwen2_5_vl.py for one unpadded sequence. Text tokens get the same id on all three axes; a vision
// item of merged grid (t, h, w) gets ids (t_idx, h_idx, w_idx) offset by the position after the preceding text.
// Qwen2.5-VL scales the temporal index by second_per_grid_t × tokens_per_second (images: 0, as HF passes none).
// Videos are indexed like HF does, but the model runs images only.
//
// Worked example (merge 2, one image of grid [1, 4, 6] → 1×2×3 merged tokens, after 2 text tokens):
//   ids  : a  b  <img>×6                    c
//   t    : 0  1  2 2 2 2 2 2                5
//   h    : 0  1  2 2 2 3 3 3                5
//   w    : 0  1  2 3 4 2 3 4                5
//   the text after the image resumes at max(previous)+1 = 5; rope_delta = max+1 − S = 6 − 9 = −3.
using Rethinker.Models.Config;

namespace Rethinker.Models.Qwen;

/// <summary>Position ids [3, S] (rows t, h, w) and the delta that decode steps add: position = index + delta.</summary>
public sealed record MropeIndex(int[] PositionIds, int Length, int RopeDelta)
{
    public ReadOnlySpan<int> Axis(int a) => PositionIds.AsSpan(a * Length, Length);
}

public static class MropePositions
{
    public static MropeIndex Compute(ReadOnlySpan<int> inputIds, IReadOnlyList<GridThw> imageGrids, QwenVlConfig config,
        IReadOnlyList<GridThw>? videoGrids = null, IReadOnlyList<double>? secondPerGridTs = null)
    {
        int S = inputIds.Length;
        var pos = new int[3 * S];
        videoGrids ??= [];
        if (imageGrids.Count == 0 && videoGrids.Count == 0)
        {
            // HF: no grids → plain 0..S-1 on every axis, delta 0.
            for (int a = 0; a < 3; a++) for (int i = 0; i < S; i++) pos[a * S + i] = i;
            return new MropeIndex(pos, S, 0);
        }
        int merge = config.Vision.SpatialMergeSize;
        bool qwen25 = config.Architecture == QwenVlArchitecture.Qwen2_5VL;
        // HF counts vision items as the tokens right after each <|vision_start|>.
        int imageNums = 0, videoNums = 0;
        for (int i = 0; i + 1 < S; i++)
            if (inputIds[i] == config.VisionStartTokenId)
            {
                if (inputIds[i + 1] == config.ImageTokenId) imageNums++;
                else if (inputIds[i + 1] == config.VideoTokenId) videoNums++;
            }
        if (imageNums > imageGrids.Count)
            throw new ArgumentException($"input_ids hold {imageNums} images (<|vision_start|><|image_pad|>) but only {imageGrids.Count} image grids were given");
        if (videoNums > videoGrids.Count)
            throw new ArgumentException($"input_ids hold {videoNums} videos but only {videoGrids.Count} video grids were given");

        int st = 0, written = 0, next = 0;   // next = max position written so far + 1
        int imageIndex = 0, videoIndex = 0, remainImages = imageNums, remainVideos = videoNums;
        for (int item = 0; item < imageNums + videoNums; item++)
        {
            int edImage = remainImages > 0 ? IndexOf(inputIds, config.ImageTokenId, st) : -1;
            int edVideo = remainVideos > 0 ? IndexOf(inputIds, config.VideoTokenId, st) : -1;
            if (edImage < 0) edImage = S + 1;
            if (edVideo < 0) edVideo = S + 1;
            GridThw g;
            double secondPerGrid;
            int ed;
            if (edImage < edVideo)
            {
                g = imageGrids[imageIndex++]; secondPerGrid = 0; remainImages--; ed = edImage;
            }
            else
            {
                g = videoGrids[videoIndex];
                secondPerGrid = secondPerGridTs is not null && videoIndex < secondPerGridTs.Count ? secondPerGridTs[videoIndex] : 1.0;
                videoIndex++; remainVideos--; ed = edVideo;
            }
            if (ed > S) throw new ArgumentException("input_ids: a <|vision_start|> is not followed by its pad tokens");
            int gt = g.T, gh = g.H / merge, gw = g.W / merge;
            int textLen = ed - st;
            int stIdx = next;
            for (int i = 0; i < textLen; i++) Put(pos, S, written++, stIdx + i, stIdx + i, stIdx + i);
            int baseIdx = textLen + stIdx;
            int count = gt * gh * gw;
            if (written + count > S)
                throw new ArgumentException($"input_ids: vision item {item} needs {count} pad tokens from position {ed} but the sequence ends at {S}");
            int maxPos = baseIdx + Math.Max(gh, gw) - 1;
            for (int t = 0; t < gt; t++)
            {
                int tIdx = qwen25 ? (int)(long)((float)t * (float)secondPerGrid * (float)config.Vision.TokensPerSecond) : t;
                maxPos = Math.Max(maxPos, baseIdx + tIdx);
                for (int h = 0; h < gh; h++)
                    for (int w = 0; w < gw; w++)
                        Put(pos, S, written++, baseIdx + tIdx, baseIdx + h, baseIdx + w);
            }
            next = Math.Max(stIdx + textLen, maxPos + 1);
            st = ed + count;
        }
        if (st < S)
        {
            int stIdx = next;
            for (int i = 0; i < S - st; i++) Put(pos, S, written++, stIdx + i, stIdx + i, stIdx + i);
            next = stIdx + S - st;
        }
        int max = 0;
        foreach (int p in pos) max = Math.Max(max, p);
        return new MropeIndex(pos, S, max + 1 - S);
    }

    static void Put(int[] pos, int S, int i, int t, int h, int w)
    {
        pos[i] = t; pos[S + i] = h; pos[2 * S + i] = w;
    }

    static int IndexOf(ReadOnlySpan<int> ids, int value, int start)
    {
        int k = ids[start..].IndexOf(value);
        return k < 0 ? -1 : start + k;
    }
}
