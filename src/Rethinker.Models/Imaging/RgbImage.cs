// A decoded image: 8-bit RGB, interleaved, row-major (what PIL's `Image.convert("RGB")` gives).
namespace Rethinker.Models.Imaging;

public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public static RgbImage Create(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}×{height}");
        if (pixels.Length != (long)width * height * 3)
            throw new ArgumentException($"image {width}×{height} needs {(long)width * height * 3} RGB bytes, got {pixels.Length}");
        return new RgbImage(width, height, pixels);
    }
}
