// Per-channel mean and standard deviation of a set of images in [0, 1], the numbers an image processor's
// image_mean / image_std hold. A processor normalises with them so that a typical pixel is near zero: with
// CLIP's natural-image statistics, a mostly white synthetic image becomes a large constant input (+1.9 per
// value), and a vision tower trained from scratch under Adam then grows its patch embedding along that
// constant direction until the image-dependent part of every token is drowned (seen: 1e-4 of the output).
namespace Rethinker.Models.Imaging;

public sealed record ChannelStatistics(float[] Mean, float[] Std)
{
    /// <summary>Mean and population standard deviation per RGB channel over every pixel of every image.</summary>
    /// <param name="minStd">Floor for a channel's std, so that a flat channel does not divide by ~0.</param>
    public static ChannelStatistics Of(IEnumerable<RgbImage> images, float minStd = 0.05f)
    {
        var sum = new double[3];
        var sumSq = new double[3];
        long pixels = 0;
        foreach (var image in images)
        {
            var p = image.Pixels;
            for (int i = 0; i + 2 < p.Length; i += 3)
            {
                for (int c = 0; c < 3; c++)
                {
                    double v = p[i + c] / 255.0;
                    sum[c] += v;
                    sumSq[c] += v * v;
                }
            }
            pixels += p.Length / 3;
        }
        if (pixels == 0) throw new ArgumentException("ChannelStatistics.Of: no pixels (no images, or all of them empty)");
        var mean = new float[3];
        var std = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double m = sum[c] / pixels;
            mean[c] = (float)m;
            std[c] = (float)Math.Max(minStd, Math.Sqrt(Math.Max(0, sumSq[c] / pixels - m * m)));
        }
        return new ChannelStatistics(mean, std);
    }
}
