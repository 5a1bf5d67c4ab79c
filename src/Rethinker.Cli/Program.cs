// The `rethinker` command. Subcommands live one per file in Commands/ and are discovered by reflection
// (every non-abstract ICliCommand with a parameterless constructor), so adding a verb touches one file.
using System.CommandLine;
using System.Reflection;

namespace Rethinker.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args);

    public static int Run(string[] args)
    {
        var root = BuildRoot();
        bool verbose = args.Contains("--verbose");
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Usage errors (unknown verb, missing or malformed option) are bad input: one line each, exit 2.
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("run with --help for usage");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
            Console.Error.WriteLine(verbose ? inner.ToString() : $"error: {inner.Message}");
            // Missing files, malformed data and invalid arguments are the user's to fix (2); anything else is ours (1).
            return inner is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or FormatException
                ? ExitCodes.BadInput : ExitCodes.Failure;
        }
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Rethinker: teach vision-language models to think slowly (GRPO + Selective Sample Replay + Forced Rethinking).");
        root.Options.Add(GlobalOptions.Verbose);
        var groups = new Dictionary<string, Command>();
        foreach (var type in typeof(Program).Assembly.GetTypes()
                     .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var cmd = (ICliCommand)Activator.CreateInstance(type)!;
            Command built = cmd.Build();
            if (cmd.Parent is null) { root.Subcommands.Add(built); continue; }
            if (!groups.TryGetValue(cmd.Parent, out var group))
            {
                group = root.Subcommands.FirstOrDefault(c => c.Name == cmd.Parent) ?? new Command(cmd.Parent, GroupDescriptions.For(cmd.Parent));
                if (!root.Subcommands.Contains(group)) root.Subcommands.Add(group);
                groups[cmd.Parent] = group;
            }
            group.Subcommands.Add(built);
        }
        return root;
    }
}
