// One-call image loading: sniff PNG or JPEG from the first bytes and decode to PIL's convert("RGB").
// Every failure (unknown format, damage, size limits, I/O) surfaces as ImageFormatException naming the file.
using Rethinker.Models.Imaging.Jpeg;
using Rethinker.Models.Imaging.Png;

namespace Rethinker.Models.Imaging;

public static class ImageLoader
{
    public static RgbImage Load(string path, ImageLimits? limits = null) => Decode(path, limits).ToRgb();

    public static RgbImage Load(ReadOnlySpan<byte> data, string source = "<bytes>", ImageLimits? limits = null)
        => Decode(data, source, limits).ToRgb();

    public static DecodedImage Decode(string path, ImageLimits? limits = null)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot read file ({e.Message})", e);
        }
        return Decode(data, path, limits);
    }

    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source = "<bytes>", ImageLimits? limits = null)
    {
        if (PngDecoder.IsPng(data)) return PngDecoder.Decode(data, source, limits);
        if (JpegDecoder.IsJpeg(data)) return JpegDecoder.Decode(data, source, limits);
        throw new ImageFormatException(source, "cannot identify image file: neither PNG nor JPEG signature");
    }
}
