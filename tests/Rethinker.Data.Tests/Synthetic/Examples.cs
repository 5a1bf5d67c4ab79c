// Shared test fixture: examples of every task family × difficulty at three image sizes, generated once.
using Rethinker.Data.Synthetic;

namespace Rethinker.Data.Tests.Synthetic;

internal static class Examples
{
    public static SynthOptions Options(string task, int difficulty, int size, long seed) => new()
    {
        Seed = seed, Tasks = [task], Difficulties = [difficulty], ImageSize = size,
        ChoiceShare = 0.4, SelfCheckShare = 0.3, SelfCorrectShare = 0.2,
    };

    static readonly Lazy<List<SyntheticExample>> all = new(() =>
    {
        var list = new List<SyntheticExample>();
        long seed = 1000;
        foreach (var family in SyntheticGenerator.Families)
            for (int d = 1; d <= 3; d++)
                foreach (var (size, n) in new[] { (112, 40), (56, 8), (84, 8) })
                {
                    var o = Options(family.Name, d, size, seed++);
                    var made = new SyntheticExample[n];
                    Parallel.For(0, n, i => made[i] = SyntheticGenerator.Make(o, SyntheticGenerator.TrainSplit, i));
                    list.AddRange(made);
                }
        return list;
    });

    public static IReadOnlyList<SyntheticExample> All => all.Value;
}
