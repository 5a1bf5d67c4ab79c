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
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
            Console.Error.WriteLine(verbose ? inner.ToString() : $"error: {inner.Message}");
            return ExitCodes.Failure;
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
