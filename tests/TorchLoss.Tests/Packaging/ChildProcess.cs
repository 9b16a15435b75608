using System.Diagnostics;

namespace TorchLoss.Tests.Packaging;

/// <summary>Runs a program to its end with a time limit, as a user would from a shell. `dotnet` children get a clean
/// MSBuild environment: none of the variables the test host's own build set, and no build nodes or servers left running.</summary>
static class ChildProcess
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static (int Code, string Output, string Error) Run(string program, IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} ran longer than {timeout.TotalSeconds} s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>As <see cref="Run"/>, failing the test with the command's output unless it exits 0; returns stdout.</summary>
    public static string Succeed(string program, IEnumerable<string> args, string workingDirectory, TimeSpan timeout)
    {
        var list = args.ToList();
        var (code, output, error) = Run(program, list, workingDirectory, timeout);
        Assert.True(code == 0, $"{program} {string.Join(' ', list)}: exit code {code}\n{output}\n{error}");
        return output;
    }
}
