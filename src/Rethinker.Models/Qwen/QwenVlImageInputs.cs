// Raw RGB images → the vision tower's inputs through the Qwen2-VL image processor (Rethinker.Models.Imaging:
// smart_resize, PIL bicubic, rescale, normalise, patchify): pixel_values [Σ patches, PatchDim] + grids.
using Rethinker.Models.Imaging;
using Rethinker.Tensors;

namespace Rethinker.Models.Qwen;

public static class QwenVlImageInputs
{
    public static (Tensor PixelValues, GridThw[] Grids) FromImages(QwenImageProcessor processor, IReadOnlyList<RgbImage> images)
    {
        var p = processor.Process(images);
        var grids = p.GridThw.Select(g => new GridThw(g[0], g[1], g[2])).ToArray();
        return (Tensor.FromArray(p.PixelValues, p.Patches, p.PatchDim), grids);
    }

    /// <summary>The processor of a model directory (preprocessor_config.json), with an error naming the file when absent.</summary>
    public static QwenImageProcessor ProcessorOf(string modelDirectory)
    {
        string path = Path.Combine(modelDirectory, "preprocessor_config.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the model directory has no image processor config (needed for raw images)", path);
        return QwenImageProcessor.FromFile(path);
    }
}
