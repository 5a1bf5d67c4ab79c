// The small JSON part of a checkpoint: step, data position and RNG state (the large parts are binary files
// beside it). Everything a resumed run needs to draw the same prompts, seeds and SSR samples.
using System.Text.Json;

namespace Rethinker.Training.Checkpoints;

public sealed record TrainerState
{
    public int Step { get; init; }
    public int Epoch { get; init; }
    public int Offset { get; init; }
    public ulong[] Rng { get; init; } = [];
    public string Kind { get; init; } = "";

    public const string FileName = "trainer_state.json";

    public void Write(string dir) => CheckpointStore.WriteDurable(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    public static TrainerState Read(string dir)
    {
        string path = Path.Combine(dir, FileName);
        try { return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a trainer state ({e.Message})", e); }
    }
}
