namespace Rethinker.Models.Imaging.Jpeg;
public static class JpegDecoder
{
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source = "<bytes>", ImageLimits? limits = null) => throw new ImageFormatException(source, "JPEG not yet");
}
