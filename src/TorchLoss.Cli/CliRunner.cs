using System.CommandLine;
using System.CommandLine.Invocation;
using TorchLoss.Data;
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
    /// <summary>Stopped by SIGINT (Ctrl-C) or SIGTERM, cleanly: what was complete is kept (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

/// <summary>An error caused by the user's input; printed as one line, never with a stack trace.</summary>
public sealed class UserException(string message) : Exception(message);

/// <summary>A command stopped cleanly on request; <see cref="Exception.Message"/> is the one line saying what was kept
/// and how to continue.</summary>
public sealed class CommandInterruptedException(string message, CancellationToken token) : OperationCanceledException(message, token);

public static class CliRunner
{
    /// <summary>Parses and runs a command. A command whose action takes a cancellation token gets one that SIGINT and
    /// SIGTERM cancel (and <paramref name="cancellationToken"/>, for tests); when it stops for that, one line says so and
    /// the exit code is <see cref="ExitCodes.Interrupted"/>.</summary>
    public static int Run(RootCommand root, string[] args, TextWriter? stderr = null, CancellationToken cancellationToken = default)
    {
        stderr ??= Console.Error;
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"torchloss: error: {parsed.Errors[0].Message} (see --help)");
            return ExitCodes.UsageError;
        }
        // System.CommandLine's own termination handling is off: it would return while the action still runs.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        using var interruption = parsed.Action is AsynchronousCommandLineAction ? new Interruption(cancellationToken) : null;
        var token = interruption?.Token ?? cancellationToken;
        try
        {
            return parsed.InvokeAsync(configuration, token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e) when (token.IsCancellationRequested)
        {
            Terminal.ShowCursor();
            stderr.WriteLine($"torchloss: {InterruptedMessage(e)}");
            return ExitCodes.Interrupted;
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

    static string InterruptedMessage(OperationCanceledException e) => e switch
    {
        CommandInterruptedException or DatasetFetchCancelledException => FirstLine(e.Message),
        _ => "interrupted",
    };

    public static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>A write failed because the disk (or the user's quota) is full: ENOSPC or EDQUOT.</summary>
    public static bool IsDiskFull(Exception e) => e is IOException { HResult: 28 or 122 };
}
