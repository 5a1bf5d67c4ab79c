// Atomic checkpoints (DESIGN.md §5 Checkpoints): each is written into a temporary directory, completed with a
// COMPLETE marker, then renamed to step-NNNNNNNN; `latest` is replaced by rename too. A crash or SIGKILL at
// any point leaves the previous checkpoint intact and loadable; older ones are pruned only afterwards.
namespace Rethinker.Training.Checkpoints;

public sealed class CheckpointStore(string root, int keepLast = 2)
{
    public const string CompleteMarker = "COMPLETE";
    const string LatestFile = "latest";

    public string Root => root;

    /// <summary>Test seam: runs after the contents are written and before the rename (inject a fault or a kill here).</summary>
    internal Action<string>? BeforeRename { get; set; }

    public static string DirName(int step) => $"step-{step:D8}";

    /// <summary>Writes a checkpoint for <paramref name="step"/>; <paramref name="write"/> fills the directory it is given.</summary>
    public string Save(int step, Action<string> write)
    {
        Directory.CreateDirectory(root);
        string final = Path.Combine(root, DirName(step));
        string tmp = Path.Combine(root, $".tmp-{DirName(step)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        try
        {
            write(tmp);
            WriteDurable(Path.Combine(tmp, CompleteMarker), $"{step}\n");
            BeforeRename?.Invoke(tmp);
            string? displaced = null;
            if (Directory.Exists(final)) { displaced = final + $".old-{Guid.NewGuid():N}"; Directory.Move(final, displaced); }
            Directory.Move(tmp, final);
            if (displaced is not null) Directory.Delete(displaced, recursive: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        string latestTmp = Path.Combine(root, $".{LatestFile}-{Guid.NewGuid():N}");
        WriteDurable(latestTmp, DirName(step) + "\n");
        File.Move(latestTmp, Path.Combine(root, LatestFile), overwrite: true);
        Prune();
        return final;
    }

    /// <summary>The newest complete checkpoint directory, or null. Half-written temporaries are ignored (and cleaned).</summary>
    public string? Latest()
    {
        if (!Directory.Exists(root)) return null;
        string latestPath = Path.Combine(root, LatestFile);
        if (File.Exists(latestPath))
        {
            string dir = Path.Combine(root, File.ReadAllText(latestPath).Trim());
            if (IsComplete(dir)) return dir;
        }
        return Complete().LastOrDefault();
    }

    public static bool IsComplete(string dir) => File.Exists(Path.Combine(dir, CompleteMarker));

    /// <summary>Step number of a checkpoint directory.</summary>
    public static int StepOf(string dir) => int.Parse(File.ReadAllText(Path.Combine(dir, CompleteMarker)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    IEnumerable<string> Complete() => Directory.GetDirectories(root, "step-*")
        .Where(d => !Path.GetFileName(d).Contains(".old-", StringComparison.Ordinal) && IsComplete(d))
        .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal);

    void Prune()
    {
        foreach (var d in Complete().SkipLast(keepLast)) TryDelete(d);
        foreach (var d in Directory.GetDirectories(root, ".tmp-*")) TryDelete(d); // leftovers of killed writers
    }

    static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Writes and flushes to disk, so the rename that follows never publishes an empty file.</summary>
    internal static void WriteDurable(string path, string text)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        fs.Write(bytes);
        fs.Flush(flushToDisk: true);
    }
}
