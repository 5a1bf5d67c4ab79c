// The one error type the image codecs and the image processor let escape: a file that is not a
// supported image, is damaged, or is too large. The message names the source (file or "<bytes>").
namespace Rethinker.Models.Imaging;

public sealed class ImageFormatException : Exception
{
    public string ImageSource { get; }

    public ImageFormatException(string source, string message, Exception? inner = null)
        : base($"{source}: {message}", inner) => ImageSource = source;
}
