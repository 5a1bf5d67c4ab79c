// Runs the CLI in-process with stdout and stderr captured (tests that use it share the "console" collection,
// because Console.Out is process-wide).
namespace Rethinker.Cli.Tests;

internal static class CliConsole
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var (so, se) = (new StringWriter(), new StringWriter());
        try { Console.SetOut(so); Console.SetError(se); return (Program.Run(args), so.ToString(), se.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }
}
