// Builds the engine's AdamW, LR schedule and gradient clip from OptimizerOptions (DESIGN.md §5: betas
// (0.9, 0.95), clip 1.0). The schedule is indexed by trainer step (GRPO: rollout step; SFT: update).
using Rethinker.Tensors;
using Rethinker.Tensors.Optim;
using Rethinker.Training.Config;

namespace Rethinker.Training.Optimization;

public sealed class OptimizerSetup
{
    readonly OptimizerOptions o;
    readonly List<Tensor> parameters;

    public AdamW AdamW { get; }
    public LrSchedule Schedule { get; }

    public OptimizerSetup(IEnumerable<(string Name, Tensor Parameter)> named, OptimizerOptions options, int totalSteps)
    {
        o = options;
        var list = named.ToList();
        parameters = list.Select(p => p.Parameter).ToList();
        float vision = o.VisionLrScale;
        AdamW = new AdamW(list, new AdamWOptions(o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay,
            LrScale: vision == 1f ? null : name => IsVision(name) ? vision : 1f,
            WeightDecayOf: o.VisionWeightDecay < 0 ? null : name => IsVision(name) ? o.VisionWeightDecay : o.WeightDecay));
        float minLr = o.LearningRate * o.MinLrRatio;
        int total = Math.Max(totalSteps, o.WarmupSteps + 1);
        Schedule = o.Schedule switch
        {
            Config.LrScheduleKind.Linear => LrSchedule.Linear(o.LearningRate, o.WarmupSteps, total, minLr),
            Config.LrScheduleKind.Cosine => LrSchedule.Cosine(o.LearningRate, o.WarmupSteps, total, minLr),
            _ => LrSchedule.Constant(o.LearningRate, o.WarmupSteps),
        };
        Schedule.Validate();
    }

    /// <summary>Vision tower and merger in either Hugging Face layout (hub "visual.*", newer "model.visual.*").</summary>
    public static bool IsVision(string name) =>
        name.StartsWith("visual.", StringComparison.Ordinal) || name.StartsWith("model.visual.", StringComparison.Ordinal);

    /// <summary>Clips (when max_grad_norm &gt; 0), steps AdamW at the step's LR, zeroes grads. Returns the pre-clip global norm.</summary>
    public float Step(float lr)
    {
        float norm = GradClip.ClipGlobalNorm(parameters, o.MaxGradNorm > 0 ? o.MaxGradNorm : float.MaxValue);
        if (!float.IsFinite(norm))
            throw new InvalidOperationException($"gradient norm is {norm}: the loss diverged (lower optim.learning_rate or check the data)");
        AdamW.Step(lr, zeroGrad: true);   // the update and the zeroing in one pass over the gradients
        return norm;
    }

    public void ZeroGrad() => AdamW.ZeroGrad();
}
