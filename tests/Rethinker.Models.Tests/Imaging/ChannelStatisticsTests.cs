// Channel statistics are what a tiny model's image_mean / image_std hold: checked against hand-computed values.
using Rethinker.Models.Imaging;

namespace Rethinker.Models.Tests.Imaging;

public class ChannelStatisticsTests
{
    static RgbImage Solid(byte r, byte g, byte b, int n = 4) =>
        RgbImage.Create(n, 1, Enumerable.Range(0, n).SelectMany(_ => new[] { r, g, b }).ToArray());

    [Fact]
    public void MeanAndStd_ArePerChannelOverEveryPixelOfEveryImage()
    {
        // red channel: half 255, half 0 → mean 0.5, std 0.5; green: all 51 → mean 0.2, std floored; blue: 0 and 102 → 0.2 ± 0.2
        var stats = ChannelStatistics.Of([Solid(255, 51, 0), Solid(0, 51, 102)], minStd: 0.05f);
        Assert.Equal(0.5f, stats.Mean[0], 5);
        Assert.Equal(0.2f, stats.Mean[1], 5);
        Assert.Equal(0.2f, stats.Mean[2], 5);
        Assert.Equal(0.5f, stats.Std[0], 5);
        Assert.Equal(0.05f, stats.Std[1], 5);   // a flat channel gets the floor, not ~0
        Assert.Equal(0.2f, stats.Std[2], 5);
    }

    [Fact]
    public void NoImages_IsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => ChannelStatistics.Of([]));
        Assert.Contains("no pixels", e.Message);
    }
}
