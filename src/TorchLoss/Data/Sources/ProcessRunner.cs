using System.ComponentModel;
using System.Diagnostics;

namespace TorchLoss.Data.Sources;

/// <summary>The outcome of an external command; <see cref="LastErrorLine"/> is what a one-line message quotes.</summary>
sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string LastErrorLine =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
        ?? $"exit code {ExitCode}";
}

/// <summary>Runs external tools (npm, apt-get) with a time limit, capturing their output.</summary>
static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, string? workingDirectory,
                                                     TimeSpan timeout, CancellationToken cancellationToken,
                                                     IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            throw new FileNotFoundException($"{program} is not installed (or not on PATH)");
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} did not finish within {timeout.TotalSeconds:0} s");
        }
        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
