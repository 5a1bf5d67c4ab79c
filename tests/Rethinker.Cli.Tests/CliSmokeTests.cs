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

public class CliExitCodeTests
{
    static (int Code, string Err) Run(params string[] args)
    {
        var err = Console.Error;
        var sw = new StringWriter();
        try { Console.SetError(sw); return (Program.Run(args), sw.ToString()); }
        finally { Console.SetError(err); }
    }

    [Fact]
    public void MissingRequiredOption_IsBadInputWithOneLineError()
    {
        var (code, err) = Run("eval", "--model", "x");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", err);
    }

    [Fact]
    public void MissingModelDirectory_IsBadInputWithoutStackTrace()
    {
        var (code, err) = Run("generate", "--model", "/no/such/model", "--prompt", "hi");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void EveryVerb_HasHelpWithAnExample()
    {
        foreach (var cmd in Program.BuildRoot().Subcommands.SelectMany(c => c.Subcommands.Count > 0 ? c.Subcommands : [c]))
            Assert.True(cmd.Description?.Contains("Example", StringComparison.OrdinalIgnoreCase) == true, $"{cmd.Name}: --help needs an example");
    }
}
