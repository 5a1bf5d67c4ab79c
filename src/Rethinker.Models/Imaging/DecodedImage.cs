// A decoded PNG/JPEG: PIL's convert("RGB") pixels, plus the alpha PIL's convert("RGBA") would add
// (absent when the file has no alpha channel and no tRNS). Mode is the PIL mode Image.open reports.
namespace Rethinker.Models.Imaging;

public sealed record DecodedImage(int Width, int Height, string Mode, byte[] Rgb, byte[]? Alpha)
{
    /// <summary>PIL's <c>convert("RGB")</c>: alpha is dropped, never composited.</summary>
    public RgbImage ToRgb() => new(Width, Height, Rgb);

    /// <summary>PIL's <c>convert("RGBA")</c>, interleaved (H, W, 4).</summary>
    public byte[] ToRgba()
    {
        int n = Width * Height;
        var rgba = new byte[n * 4];
        for (int i = 0; i < n; i++)
        {
            rgba[4 * i] = Rgb[3 * i]; rgba[4 * i + 1] = Rgb[3 * i + 1]; rgba[4 * i + 2] = Rgb[3 * i + 2];
            rgba[4 * i + 3] = Alpha is null ? (byte)255 : Alpha[i];
        }
        return rgba;
    }
}

/// <summary>Limits every decoder checks before it allocates pixel memory.</summary>
public sealed record ImageLimits(long MaxPixels)
{
    /// <summary>PIL raises DecompressionBombError above 2 × MAX_IMAGE_PIXELS (2 × 89,478,485).</summary>
    public static readonly ImageLimits Default = new(2L * 89_478_485);

    public void Check(string source, long width, long height)
    {
        if (width <= 0 || height <= 0) throw new ImageFormatException(source, $"image size {width}×{height} is not positive");
        if (width * height > MaxPixels)
            throw new ImageFormatException(source, $"image size {width}×{height} ({width * height} pixels) exceeds the limit of {MaxPixels} pixels (decompression bomb guard)");
    }
}
