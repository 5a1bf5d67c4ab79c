using System.CommandLine;

namespace Rethinker.Cli.Commands;

/// <summary>`rethinker version`: prints the tool version and the runtime it runs on.</summary>
public sealed class VersionCommand : ICliCommand
{
    public string? Parent => null;

    public Command Build()
    {
        var cmd = new Command("version", "Print the Rethinker version and the .NET runtime.\n\nExample:\n  rethinker version");
        cmd.SetAction(_ =>
        {
            var v = typeof(VersionCommand).Assembly.GetName().Version;
            Console.WriteLine($"rethinker {v} on .NET {Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.OSDescription})");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
