using System.ComponentModel;
using System.Diagnostics;
using TorchLoss.Runtime;

namespace TorchLoss.Cli.Commands;

/// <summary>Checks the Python of `bench --pytorch` before any benchmark runs, so a wrong one is one line at once rather
/// than a trace after the whole benchmark.</summary>
public static class PythonInterpreter
{
    static readonly TimeSpan ImportTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Returns <paramref name="python"/> when it exists, is executable and can `import torch`; otherwise
    /// throws a <see cref="UserException"/> naming <paramref name="option"/>.</summary>
    public static string RequireTorch(string option, string python)
    {
        var path = Resolve(python) ?? throw new UserException($"{option}: '{python}' was not found");
        if (FileKinds.Of(path) != FileKind.Regular) throw new UserException($"{option}: {path} is not a regular file");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            throw new UserException($"{option}: {path} is not executable");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "import torch; print(torch.__version__)" }) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start) ?? throw new UserException($"{option}: could not start {path}");
            var stderr = process.StandardError.ReadToEndAsync();
            var version = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(ImportTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new UserException($"{option}: {path} -c \"import torch\" did not finish within {ImportTimeout.TotalSeconds:F0} s");
            }
            if (process.ExitCode != 0)
                throw new UserException($"{option}: {path} cannot import torch " +
                                        $"({stderr.Result.Trim().Split('\n').LastOrDefault()?.Trim() ?? $"exit code {process.ExitCode}"})");
            if (version.Length == 0) throw new UserException($"{option}: {path} -c \"import torch; print(torch.__version__)\" printed nothing: is it Python?");
        }
        catch (Win32Exception e)
        {
            throw new UserException($"{option}: cannot run {path} ({e.Message})");
        }
        return path;
    }

    /// <summary>A path as given, or a bare name looked up on PATH; null when nothing is there.</summary>
    static string? Resolve(string python)
    {
        if (python.Contains(Path.DirectorySeparatorChar) || python.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(python) || Directory.Exists(python) ? Path.GetFullPath(python) : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, python)).FirstOrDefault(File.Exists);
    }
}
