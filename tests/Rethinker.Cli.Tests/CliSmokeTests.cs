using Rethinker.Cli;

namespace Rethinker.Cli.Tests;

public class CliSmokeTests
{
    [Fact]
    public void UnknownVerb_ExitsNonZero()
    {
        var err = Console.Error;
        try
        {
            Console.SetError(new StringWriter());
            Assert.NotEqual(0, Program.Run(["no-such-verb"]));
        }
        finally { Console.SetError(err); }
    }

    [Fact]
    public void VersionVerb_ExitsZero() => Assert.Equal(0, Program.Run(["version"]));
}
