using System.CommandLine;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Cli;

/// <summary>Exit codes and the single place where a user's mistake becomes one line on stderr.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran but its check failed (e.g. a gradient check outside tolerance, a diverged run).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: options, files, devices.</summary>
    public const int UsageError = 2;
}

/// <summary>An error caused by the user's input; printed as one line, never with a stack trace.</summary>
public sealed class UserException(string message) : Exception(message);

public static class CliRunner
{
    public static int Run(RootCommand root, string[] args, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"torchloss: error: {parsed.Errors[0].Message} (see --help)");
            return ExitCodes.UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserMessage(e) is { } message)
        {
            stderr.WriteLine($"torchloss: error: {message}");
            return ExitCodes.UsageError;
        }
    }

    /// <summary>The one-line message for errors a user can cause; null for programming errors, which propagate.</summary>
    static string? UserMessage(Exception e) => e switch
    {
        UserException or FormatException or InvalidDataException or FileNotFoundException
            or DirectoryNotFoundException or UnauthorizedAccessException or DeviceUnavailableException => FirstLine(e.Message),
        IOException => FirstLine(e.Message),
        ArgumentOutOfRangeException a => FirstLine(a.Message.Split(" (Parameter")[0]),
        DllNotFoundException => FirstLine(e.Message),
        _ => null,
    };

    public static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>A write failed because the disk (or the user's quota) is full: ENOSPC or EDQUOT.</summary>
    public static bool IsDiskFull(Exception e) => e is IOException { HResult: 28 or 122 };
}
