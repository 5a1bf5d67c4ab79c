// Options of the synthetic generator, with defaults sized for the quickstart's tiny model on two cores.
namespace Rethinker.Data.Synthetic;

public sealed record SynthOptions
{
    /// <summary>Training examples to write (train.jsonl).</summary>
    public int Count { get; init; } = 1000;
    /// <summary>Held-out examples (heldout.jsonl), drawn from a separate stream; never duplicates a training example.</summary>
    public int HeldOut { get; init; } = 200;
    public long Seed { get; init; }
    /// <summary>Task families by name (see <see cref="SyntheticGenerator.Families"/>); all by default.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = SyntheticGenerator.Families.Select(f => f.Name).ToList();
    /// <summary>Difficulty levels drawn uniformly: 1 easy, 2 medium, 3 hard.</summary>
    public IReadOnlyList<int> Difficulties { get; init; } = [1, 2, 3];
    /// <summary>Square image side in pixels; a multiple of 28 (the Qwen2-VL merged patch) from 56 to 224.</summary>
    public int ImageSize { get; init; } = 112;
    /// <summary>Share of examples posed as multiple choice (options A–D, gold = letter).</summary>
    public double ChoiceShare { get; init; } = 0.3;
    /// <summary>Share of traces with a rethinking segment that re-derives the answer ("Wait, let me verify: …").</summary>
    public double SelfCheckShare { get; init; } = 0.25;
    /// <summary>Share of traces that make a slip, then catch and correct it in the rethinking segment.</summary>
    public double SelfCorrectShare { get; init; } = 0.1;
    /// <summary>Worker threads for generation and PNG encoding; 0 = all cores.</summary>
    public int Threads { get; init; }

    public void Validate()
    {
        if (Count < 0) throw new ArgumentException($"count must be ≥ 0, got {Count}");
        if (HeldOut < 0) throw new ArgumentException($"held-out count must be ≥ 0, got {HeldOut}");
        if (Tasks.Count == 0) throw new ArgumentException("at least one task is needed; known: " + string.Join(", ", SyntheticGenerator.Families.Select(f => f.Name)));
        foreach (var t in Tasks)
            if (SyntheticGenerator.Families.All(f => f.Name != t))
                throw new ArgumentException($"unknown task '{t}'; known: {string.Join(", ", SyntheticGenerator.Families.Select(f => f.Name))}");
        if (Difficulties.Count == 0 || Difficulties.Any(d => d is < 1 or > 3)) throw new ArgumentException($"difficulties must be among 1, 2, 3, got [{string.Join(", ", Difficulties)}]");
        if (ImageSize % 28 != 0 || ImageSize < 56 || ImageSize > 224) throw new ArgumentException($"image size must be a multiple of 28 between 56 and 224, got {ImageSize}");
        foreach (var (name, v) in new[] { ("choice share", ChoiceShare), ("self-check share", SelfCheckShare), ("self-correct share", SelfCorrectShare) })
            if (v is < 0 or > 1 || double.IsNaN(v)) throw new ArgumentException($"{name} must be in [0, 1], got {v}");
        if (SelfCheckShare + SelfCorrectShare > 1) throw new ArgumentException($"self-check share + self-correct share must be ≤ 1, got {SelfCheckShare + SelfCorrectShare}");
        if (Threads < 0) throw new ArgumentException($"threads must be ≥ 0, got {Threads}");
    }
}
