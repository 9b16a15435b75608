using System.Globalization;
using System.Runtime.InteropServices;

namespace TorchLoss.Runtime;

/// <summary>
/// Named points where the fault-injection tests stop a real `torchloss` process: inside every atomic write, between a
/// checkpoint's files, after each training step. Off unless the environment asks for it, and then only in that process:
/// TORCHLOSS_FAULT=POINT@N:ACTION acts at the N-th time POINT is reached (ACTION kill: SIGKILL; int: SIGINT; stop:
/// SIGSTOP, for a test to hold a writer in place; enospc: that write fails as on a full disk), and
/// TORCHLOSS_FAULT_TRACE=FILE appends every point reached to FILE, so a test can enumerate them.
/// </summary>
public static class FaultInjection
{
    const string FaultVariable = "TORCHLOSS_FAULT";
    const string TraceVariable = "TORCHLOSS_FAULT_TRACE";

    static readonly Plan? Planned = Plan.FromEnvironment(Environment.GetEnvironmentVariable(FaultVariable));
    static readonly string? TraceFile = Environment.GetEnvironmentVariable(TraceVariable) is { Length: > 0 } t ? t : null;
    static readonly Lock Gate = new();
    static int hits;

    static bool Enabled => Planned is not null || TraceFile is not null;

    /// <summary>Marks that execution reached <paramref name="point"/> (e.g. "atomic-write:written").</summary>
    public static void Reached(string point)
    {
        if (!Enabled) return;
        lock (Gate)
        {
            if (TraceFile is { } trace) File.AppendAllText(trace, point + "\n");
            if (Planned is not { } plan || plan.Point != point || ++hits != plan.Hit) return;
            switch (plan.Action)
            {
                case "kill": Signal(9); break;
                case "int": Signal(2); break;
                case "stop": Signal(19); break;
                case "enospc": throw new IOException($"No space left on device (injected at {point})", 28);
            }
        }
    }

    static void Signal(int signal)
    {
        kill(Environment.ProcessId, signal);
        // SIGKILL and SIGSTOP act before kill() returns; SIGINT is handled on another thread, which this one waits for.
        if (signal == 2) Thread.Sleep(2000);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    sealed record Plan(string Point, int Hit, string Action)
    {
        public static Plan? FromEnvironment(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var at = text.LastIndexOf('@');
            var colon = text.LastIndexOf(':');
            if (at <= 0 || colon < at
                || !int.TryParse(text[(at + 1)..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var hit) || hit < 1
                || text[(colon + 1)..] is not ("kill" or "int" or "stop" or "enospc"))
                throw new InvalidOperationException($"{FaultVariable}='{text}': expected POINT@N:kill|int|stop|enospc");
            return new Plan(text[..at], hit, text[(colon + 1)..]);
        }
    }
}
