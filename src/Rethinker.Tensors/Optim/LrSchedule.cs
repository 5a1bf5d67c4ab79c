// Learning-rate schedules (as transformers' get_*_schedule_with_warmup, plus a floor): linear warm-up
// lr·step/warmup for step < warmup, then constant, linear decay or cosine decay from PeakLr to MinLr at TotalSteps.
// Cosine: MinLr + (PeakLr − MinLr)·½(1 + cos(π·progress)), progress = (step − warmup)/(total − warmup), clamped to [0, 1].
namespace Rethinker.Tensors.Optim;

public enum LrScheduleKind { Constant, Linear, Cosine }

public sealed record LrSchedule(LrScheduleKind Kind, float PeakLr, int WarmupSteps = 0, int TotalSteps = 0, float MinLr = 0f)
{
    public static LrSchedule Constant(float lr, int warmupSteps = 0) => new(LrScheduleKind.Constant, lr, warmupSteps);
    public static LrSchedule Linear(float peakLr, int warmupSteps, int totalSteps, float minLr = 0f) =>
        new(LrScheduleKind.Linear, peakLr, warmupSteps, totalSteps, minLr);
    public static LrSchedule Cosine(float peakLr, int warmupSteps, int totalSteps, float minLr = 0f) =>
        new(LrScheduleKind.Cosine, peakLr, warmupSteps, totalSteps, minLr);

    public void Validate()
    {
        if (!(PeakLr >= 0) || float.IsInfinity(PeakLr)) throw new ArgumentException($"LrSchedule.PeakLr must be ≥ 0 and finite, got {PeakLr}");
        if (WarmupSteps < 0) throw new ArgumentException($"LrSchedule.WarmupSteps must be ≥ 0, got {WarmupSteps}");
        if (!(MinLr >= 0 && MinLr <= PeakLr)) throw new ArgumentException($"LrSchedule.MinLr must be in [0, PeakLr], got {MinLr}");
        if (Kind != LrScheduleKind.Constant && TotalSteps <= WarmupSteps)
            throw new ArgumentException($"LrSchedule.TotalSteps ({TotalSteps}) must exceed WarmupSteps ({WarmupSteps}) for {Kind}");
    }

    /// <summary>The learning rate at a 0-based step.</summary>
    public float At(int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "LrSchedule.At: step must be ≥ 0");
        if (step < WarmupSteps) return (float)((double)PeakLr * step / WarmupSteps);
        if (Kind == LrScheduleKind.Constant) return PeakLr;
        double progress = Math.Clamp((double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps), 0, 1);
        double f = Kind == LrScheduleKind.Linear ? 1 - progress : 0.5 * (1 + Math.Cos(Math.PI * progress));
        return (float)(MinLr + (PeakLr - MinLr) * f);
    }
}
