// The part of a checkpoint every trainer shares: the policy's parameters, the AdamW moments, and on resume the check
// that the directory was written by the same kind of trainer. Each trainer adds its own state (data position, RNG,
// replay buffer) around these calls.
using Rethinker.Models.Policy;
using Rethinker.Tensors.Optim;

namespace Rethinker.Training.Checkpoints;

public static class PolicyCheckpoint
{
    const string Parameters = "parameters.bin", Optimizer = "optimizer.bin";

    /// <summary>Writes parameters.bin and optimizer.bin into <paramref name="dir"/> (flushed to disk).</summary>
    public static void Write(string dir, ITrainablePolicy policy, AdamW adamW)
    {
        ParameterFile.Write(Path.Combine(dir, Parameters), policy.NamedParameters());
        using var fs = File.Create(Path.Combine(dir, Optimizer));
        adamW.Save(fs);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Reads the trainer state of <paramref name="dir"/>, checks it is a <paramref name="kind"/> checkpoint
    /// (<paramref name="label"/> names it in the error), then loads parameters and optimizer moments.</summary>
    public static TrainerState Read(string dir, string kind, string label, ITrainablePolicy policy, AdamW adamW)
    {
        var state = TrainerState.Read(dir);
        if (state.Kind != kind) throw new InvalidDataException($"{dir}: a '{state.Kind}' checkpoint, not {label} one");
        ParameterFile.Read(Path.Combine(dir, Parameters), policy.NamedParameters());
        using var fs = File.OpenRead(Path.Combine(dir, Optimizer));
        adamW.Load(fs);
        return state;
    }
}
