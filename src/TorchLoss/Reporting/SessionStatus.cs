namespace TorchLoss.Reporting;

/// <summary>How a session (one run) ended, as the HParams plugin's Status enum numbers it.</summary>
public enum SessionStatus
{
    Success = 1,
    /// <summary>The run failed (TorchLoss: it diverged).</summary>
    Failure = 2,
}
