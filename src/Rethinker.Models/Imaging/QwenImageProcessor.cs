// Qwen2-VL image processor (HF transformers 4.50 Qwen2VLImageProcessor, slow path): smart_resize →
// PIL bicubic resize → rescale (float64 multiply, cast to float32) → normalise in float32 → repeat to
// temporal_patch_size → patches in merge order: pixel_values (patches, C·T·P·P) and image_grid_thw per image.
// Leaves out videos and the per-call overrides (vision_info); do_convert_rgb is implied by RgbImage input.
using System.Text.Json;

namespace Rethinker.Models.Imaging;

/// <summary>Processor output: rows of <see cref="PatchDim"/> floats, (t, h, w) grid per image in input order.</summary>
public sealed record ProcessedImages(float[] PixelValues, int[][] GridThw, int PatchDim)
{
    public int Patches => PixelValues.Length / PatchDim;

    public void Deconstruct(out float[] pixelValues, out int[][] gridThw) { pixelValues = PixelValues; gridThw = GridThw; }
}

public sealed record QwenImageProcessorOptions
{
    public int MinPixels { get; init; } = 56 * 56;
    public int MaxPixels { get; init; } = 28 * 28 * 1280;
    public int PatchSize { get; init; } = 14;
    public int TemporalPatchSize { get; init; } = 2;
    public int MergeSize { get; init; } = 2;
    public bool DoResize { get; init; } = true;
    public bool DoRescale { get; init; } = true;
    public double RescaleFactor { get; init; } = 1.0 / 255;
    public bool DoNormalize { get; init; } = true;
    public float[] ImageMean { get; init; } = [0.48145466f, 0.4578275f, 0.40821073f];
    public float[] ImageStd { get; init; } = [0.26862954f, 0.26130258f, 0.27577711f];

    public void Validate()
    {
        if (PatchSize <= 0 || TemporalPatchSize <= 0 || MergeSize <= 0) throw new ArgumentException("patch_size, temporal_patch_size and merge_size must be positive");
        if (MinPixels <= 0 || MaxPixels < MinPixels) throw new ArgumentException($"need 0 < min_pixels ≤ max_pixels, got {MinPixels} and {MaxPixels}");
        if (ImageMean.Length != 3 || ImageStd.Length != 3) throw new ArgumentException("image_mean and image_std need 3 values (RGB)");
    }
}

public sealed class QwenImageProcessor(QwenImageProcessorOptions options)
{
    public QwenImageProcessorOptions Options { get; } = Validated(options);

    static QwenImageProcessorOptions Validated(QwenImageProcessorOptions o) { o.Validate(); return o; }

    /// <summary>Reads a Hugging Face preprocessor_config.json (min/max_pixels override size.shortest/longest_edge, as in 4.50).</summary>
    public static QwenImageProcessor FromFile(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return new QwenImageProcessor(ParseOptions(doc.RootElement, path));
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ArgumentException($"{path}: cannot read image processor config: {e.Message}", e);
        }
    }

    static QwenImageProcessorOptions ParseOptions(JsonElement r, string path)
    {
        var o = new QwenImageProcessorOptions();
        int Int(string name, int def) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : def;
        bool Bool(string name, bool def) => r.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : def;
        float[] Floats(string name, float[] def) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => (float)x.GetDouble())] : def;
        int min = o.MinPixels, max = o.MaxPixels;
        if (r.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Object)
        {
            if (size.TryGetProperty("shortest_edge", out var se)) min = se.GetInt32();
            if (size.TryGetProperty("longest_edge", out var le)) max = le.GetInt32();
        }
        int resample = Int("resample", 3);
        if (resample != 3) throw new ArgumentException($"resample={resample} is not supported (only 3 = bicubic)");
        return o with
        {
            MinPixels = Int("min_pixels", min), MaxPixels = Int("max_pixels", max),
            PatchSize = Int("patch_size", o.PatchSize), TemporalPatchSize = Int("temporal_patch_size", o.TemporalPatchSize),
            MergeSize = Int("merge_size", o.MergeSize),
            DoResize = Bool("do_resize", true), DoRescale = Bool("do_rescale", true), DoNormalize = Bool("do_normalize", true),
            RescaleFactor = r.TryGetProperty("rescale_factor", out var rf) && rf.ValueKind == JsonValueKind.Number ? rf.GetDouble() : o.RescaleFactor,
            ImageMean = Floats("image_mean", o.ImageMean), ImageStd = Floats("image_std", o.ImageStd),
        };
    }

    /// <summary>The patch grid (rows, columns) of a still image of this size: smart_resize to multiples of patch × merge.</summary>
    public static (int GridH, int GridW) PatchGrid(int height, int width, QwenImageProcessorOptions o)
    {
        var (h, w) = SmartResize(height, width, o.PatchSize * o.MergeSize, o.MinPixels, o.MaxPixels);
        return (h / o.PatchSize, w / o.PatchSize);
    }

    /// <summary>HF smart_resize: (height, width) rounded to multiples of factor within [min_pixels, max_pixels].</summary>
    public static (int Height, int Width) SmartResize(int height, int width, int factor, int minPixels, int maxPixels)
    {
        if (height < factor || width < factor)
            throw new ArgumentException($"height:{height} or width:{width} must be larger than factor:{factor}");
        double ratio = (double)Math.Max(height, width) / Math.Min(height, width);
        if (ratio > 200) throw new ArgumentException($"absolute aspect ratio must be smaller than 200, got {ratio}");
        // Python's round() is round-half-to-even.
        long hBar = (long)Math.Round((double)height / factor, MidpointRounding.ToEven) * factor;
        long wBar = (long)Math.Round((double)width / factor, MidpointRounding.ToEven) * factor;
        if (hBar * wBar > maxPixels)
        {
            double beta = Math.Sqrt((double)height * width / maxPixels);
            hBar = (long)Math.Floor(height / beta / factor) * factor;
            wBar = (long)Math.Floor(width / beta / factor) * factor;
        }
        else if (hBar * wBar < minPixels)
        {
            double beta = Math.Sqrt((double)minPixels / ((double)height * width));
            hBar = (long)Math.Ceiling(height * beta / factor) * factor;
            wBar = (long)Math.Ceiling(width * beta / factor) * factor;
        }
        return ((int)hBar, (int)wBar);
    }

    /// <summary>The size an image is resized to before patching.</summary>
    public (int Height, int Width) TargetSize(RgbImage image)
    {
        var o = Options;
        if (!o.DoResize) return (image.Height, image.Width);
        return SmartResize(image.Height, image.Width, o.PatchSize * o.MergeSize, o.MinPixels, o.MaxPixels);
    }

    /// <summary>Resizes as HF does (PIL bicubic on uint8), returning the uint8 image that gets patched.</summary>
    public RgbImage Resize(RgbImage image)
    {
        var (h, w) = TargetSize(image);
        return PilResize.Bicubic(image, w, h);
    }

    public ProcessedImages Process(IReadOnlyList<RgbImage> images)
    {
        var resized = new RgbImage[images.Count];
        for (int i = 0; i < images.Count; i++) resized[i] = Resize(images[i]);
        return Patchify(resized);
    }

    /// <summary>Rescale, normalise and patchify already-resized images (sizes must be multiples of patch·merge).</summary>
    public ProcessedImages Patchify(IReadOnlyList<RgbImage> resized)
    {
        var o = Options;
        int P = o.PatchSize, M = o.MergeSize, T = o.TemporalPatchSize, patchDim = 3 * T * P * P;
        long total = 0;
        var grids = new int[resized.Count][];
        for (int i = 0; i < resized.Count; i++)
        {
            var img = resized[i];
            if (img.Height % (P * M) != 0 || img.Width % (P * M) != 0)
                throw new ArgumentException($"image {i} is {img.Width}×{img.Height}; patchify needs multiples of {P * M}");
            grids[i] = [1, img.Height / P, img.Width / P];
            total += (long)grids[i][1] * grids[i][2] * patchDim;
        }
        var values = new float[total];
        long offset = 0;
        for (int i = 0; i < resized.Count; i++)
        {
            PatchifyOne(resized[i], grids[i][1], grids[i][2], values.AsSpan((int)offset));
            offset += (long)grids[i][1] * grids[i][2] * patchDim;
        }
        return new ProcessedImages(values, grids, patchDim);
    }

    /// <summary>Rows ordered (block h, block w, merge h, merge w); columns (c, t, py, px); all t frames equal.</summary>
    void PatchifyOne(RgbImage img, int gh, int gw, Span<float> dst)
    {
        var o = Options;
        int P = o.PatchSize, M = o.MergeSize, T = o.TemporalPatchSize, W = img.Width;
        // Normalised value per (uint8 level, channel): the same float32 arithmetic as numpy.
        var lut = new float[3 * 256];
        for (int c = 0; c < 3; c++)
            for (int v = 0; v < 256; v++)
            {
                float x = o.DoRescale ? (float)(v * o.RescaleFactor) : v;
                lut[c * 256 + v] = o.DoNormalize ? (x - o.ImageMean[c]) / o.ImageStd[c] : x;
            }
        int row = 0, patchDim = 3 * T * P * P;
        for (int bh = 0; bh < gh / M; bh++)
            for (int bw = 0; bw < gw / M; bw++)
                for (int mh = 0; mh < M; mh++)
                    for (int mw = 0; mw < M; mw++, row++)
                    {
                        var r = dst.Slice(row * patchDim, patchDim);
                        int y0 = (bh * M + mh) * P, x0 = (bw * M + mw) * P;
                        for (int c = 0; c < 3; c++)
                        {
                            var first = r.Slice(c * T * P * P, P * P);
                            for (int py = 0; py < P; py++)
                            {
                                int src = ((y0 + py) * W + x0) * 3 + c;
                                for (int px = 0; px < P; px++) first[py * P + px] = lut[c * 256 + img.Pixels[src + 3 * px]];
                            }
                            for (int t = 1; t < T; t++) first.CopyTo(r.Slice((c * T + t) * P * P, P * P));
                        }
                    }
    }
}
