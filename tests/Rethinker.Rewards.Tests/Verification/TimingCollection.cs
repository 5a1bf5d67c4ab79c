// Tests that assert wall-clock bounds run alone (no other test class in parallel on the shared 2-core machine).
namespace Rethinker.Rewards.Tests.Verification;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}
