// Renders an HTML file in headless Chromium (Debian's `chromium`) and returns the DOM after layout, so checks see
// what a person would see rather than the string we wrote. Absent Chromium, callers skip with a visible message.
using System.Diagnostics;

namespace Rethinker.Eval.Reports;

public static class HeadlessBrowser
{
    public static string? FindChromium()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("RETHINKER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" })
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>`chromium --headless --dump-dom file://…`: the serialised DOM after the page loaded.</summary>
    public static string DumpDom(string chromium, string htmlPath, int timeoutMs = 60_000)
    {
        string profile = Directory.CreateTempSubdirectory("rethinker-chromium-").FullName;
        var psi = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     $"--user-data-dir={profile}", "--dump-dom", "file://" + Path.GetFullPath(htmlPath) })
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutMs)) { p.Kill(entireProcessTree: true); throw new TimeoutException("chromium did not finish rendering in time"); }
            if (p.ExitCode != 0) throw new InvalidOperationException($"chromium exited {p.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
