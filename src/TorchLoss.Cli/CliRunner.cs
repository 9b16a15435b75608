using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
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

public static partial class CliRunner
{
    /// <summary>Parses and runs a command. A command whose action takes a cancellation token gets one that SIGINT and
    /// SIGTERM cancel (and <paramref name="cancellationToken"/>, for tests); when it stops for that, one line says so and
    /// the exit code is <see cref="ExitCodes.Interrupted"/>.</summary>
    public static int Run(RootCommand root, string[] args, TextWriter? stderr = null, CancellationToken cancellationToken = default,
        TextWriter? stdout = null)
    {
        stderr ??= Console.Error;
        OptionGroups.Install(root);
        OptionPlaceholders.Apply(root);
        // A bare `torchloss` is a request for usage, not a mistake.
        if (args.Length == 0) return root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = stdout ?? Console.Out });
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"torchloss: error: {ErrorLine.Of(ParseErrorMessage(parsed))}");
            return ExitCodes.UsageError;
        }
        // System.CommandLine's own termination handling is off: it would return while the action still runs.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null, Output = stdout ?? Console.Out };
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
            stderr.WriteLine($"torchloss: error: {ErrorLine.Of(message)}");
            return ExitCodes.UsageError;
        }
    }

    /// <summary>The first parse error as one line. A group of commands (torchloss, torchloss data) given an unknown or no
    /// subcommand says so and lists its commands, instead of System.CommandLine's "Required command was not provided".
    /// The messages of the CLI's own option parsers name their option ("--lr: ...") and are complete; the library's get
    /// a pointer to --help.</summary>
    static string ParseErrorMessage(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var unknown = parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        if (command.Subcommands.Count > 0 && command.Action is null && (unknown is not null || parsed.UnmatchedTokens.Count == 0))
        {
            var commands = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            var group = command == parsed.RootCommandResult.Command ? "" : $" of '{command.Name}'";
            if (unknown is null) return $"no command given; commands{group}: {commands} (see --help)";
            var nearest = Suggestions.Nearest(unknown, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return $"unknown command '{unknown}'{(nearest is null ? "" : $" (did you mean {nearest}?)")}; commands{group}: {commands}";
        }
        if (parsed.UnmatchedTokens.FirstOrDefault() is { } token)
        {
            if (!token.StartsWith('-')) return $"unexpected argument '{token}' (see --help)";
            var options = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
            var nearest = Suggestions.Nearest(token, options);
            return $"unknown option '{token}'{(nearest is null ? "" : $" (did you mean {nearest}?)")}; see --help";
        }
        var message = parsed.Errors[0].Message;
        return message.StartsWith("--", StringComparison.Ordinal) ? message : $"{message} (see --help)";
    }

    /// <summary>The one-line message for errors a user can cause; null for programming errors, which propagate.</summary>
    static string? UserMessage(Exception e) => e switch
    {
        UserException or FormatException or InvalidDataException or FileNotFoundException
            or DirectoryNotFoundException or UnauthorizedAccessException or DeviceUnavailableException => FirstLine(e.Message),
        IOException => FirstLine(e.Message),
        ArgumentOutOfRangeException a => FirstLine(a.Message.Split(" (Parameter")[0]),
        DllNotFoundException => FirstLine(e.Message),
        // libtorch failing to allocate what the user's sizes ask for (a model, batch or grid too large) is their input,
        // not a bug; other libtorch errors are.
        OutOfMemoryException => "not enough memory for the sizes asked for (reduce the model, batch or sizes)",
        ExternalException x when Allocation().Match(x.Message) is { Success: true } m =>
            $"not enough memory: libtorch could not allocate {m.Groups[1].Value} bytes (reduce the model, batch or sizes)",
        ExternalException x when x.Message.Contains("CUDA out of memory", StringComparison.Ordinal) =>
            $"not enough GPU memory: {FirstLine(x.Message)}",
        _ => null,
    };

    static string InterruptedMessage(OperationCanceledException e) => e switch
    {
        CommandInterruptedException or DatasetFetchCancelledException => FirstLine(e.Message),
        _ => "interrupted",
    };

    [GeneratedRegex(@"can't allocate memory: you tried to allocate (\d+) bytes")]
    private static partial Regex Allocation();

    public static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>A write failed because the disk (or the user's quota) is full: ENOSPC or EDQUOT.</summary>
    public static bool IsDiskFull(Exception e) => e is IOException { HResult: 28 or 122 };
}
