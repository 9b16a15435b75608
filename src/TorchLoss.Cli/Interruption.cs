using System.Runtime.InteropServices;

namespace TorchLoss.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM as cancellation of <see cref="Token"/>, while a command that can stop cleanly runs
/// (one whose action takes a cancellation token). A second signal, while the first is being handled, ends the process
/// the default way, with the terminal's cursor restored first.
/// </summary>
public sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource source;
    readonly PosixSignalRegistration[] registrations;

    public Interruption(CancellationToken outer = default)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => source.Token;

    void Handle(PosixSignalContext context)
    {
        if (source.IsCancellationRequested)
        {
            Terminal.ShowCursor();
            return;
        }
        context.Cancel = true;
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}

/// <summary>Puts a terminal back the way a live progress display found it.</summary>
public static class Terminal
{
    const string ShowCursorSequence = "\u001b[?25h";

    /// <summary>Shows the cursor on stdout and stderr where they are terminals (a progress display hides it).</summary>
    public static void ShowCursor()
    {
        if (!Console.IsOutputRedirected) Console.Out.Write(ShowCursorSequence);
        if (!Console.IsErrorRedirected) Console.Error.Write(ShowCursorSequence);
    }
}
