namespace TorchLoss.Tests.Cli;

/// <summary>Command output that runs an action once, when a line starting with <paramref name="prefix"/> is written:
/// a test's way to press Ctrl-C at a known point of a run.</summary>
sealed class LineTrigger(string prefix, Action action) : StringWriter
{
    bool fired;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (fired || value?.StartsWith(prefix, StringComparison.Ordinal) != true) return;
        fired = true;
        action();
    }
}
