namespace Rethinker.Tensors.Tests.Optim;

using Rethinker.Tensors.Optim;

public class LrScheduleTests
{
    [Fact]
    public void Constant_WithWarmup_RampsLinearlyThenHolds()
    {
        var s = LrSchedule.Constant(1e-3f, warmupSteps: 4);
        Assert.Equal([0f, 2.5e-4f, 5e-4f, 7.5e-4f, 1e-3f, 1e-3f], Enumerable.Range(0, 6).Select(s.At).ToArray());
    }

    [Fact]
    public void Cosine_HitsPeakAfterWarmup_HalfwayMidpoint_AndMinAtEnd()
    {
        var s = LrSchedule.Cosine(1f, warmupSteps: 10, totalSteps: 110, minLr: 0.1f);
        s.Validate();
        Assert.Equal(0.5f, s.At(5), 6);
        Assert.Equal(1f, s.At(10), 6);
        Assert.Equal(0.55f, s.At(60), 5);                                      // ½(1+cos(π/2)) = ½
        Assert.Equal(0.1f + 0.9f * 0.5f * (1 + MathF.Cos(MathF.PI * 0.25f)), s.At(35), 5);
        Assert.Equal(0.1f, s.At(110), 6);
        Assert.Equal(0.1f, s.At(500), 6);                                      // clamped after the end
    }

    [Fact]
    public void Linear_DecaysToMinLr()
    {
        var s = LrSchedule.Linear(2f, 0, 100, 0f);
        Assert.Equal(2f, s.At(0));
        Assert.Equal(1f, s.At(50), 6);
        Assert.Equal(0f, s.At(100));
    }

    [Fact]
    public void Validate_RejectsMinAbovePeak()
    {
        var ex = Assert.Throws<ArgumentException>(() => LrSchedule.Cosine(1e-4f, 0, 10, 1e-3f).Validate());
        Assert.Contains("MinLr", ex.Message);
    }
}
