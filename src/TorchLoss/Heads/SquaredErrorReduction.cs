namespace TorchLoss.Heads;

/// <summary>How a squared-error head sums over classes. The default follows the seeds of the product.</summary>
public enum SquaredErrorReduction
{
    /// <summary>L = 1/2 * sum over classes of (a - y)^2.</summary>
    HalfSum,
    /// <summary>L = 1/C * sum over classes of (a - y)^2.</summary>
    MeanOverClasses,
}

public static class SquaredErrorReductionExtensions
{
    public static string Describe(this SquaredErrorReduction r) => r switch
    {
        SquaredErrorReduction.HalfSum => "1/2 * sum over classes of (a - y)^2, averaged over the batch",
        SquaredErrorReduction.MeanOverClasses => "1/C * sum over classes of (a - y)^2 (mean over classes), averaged over the batch",
        _ => r.ToString(),
    };

    public static string OptionName(this SquaredErrorReduction r) => r switch
    {
        SquaredErrorReduction.HalfSum => "half-sum",
        SquaredErrorReduction.MeanOverClasses => "mean",
        _ => r.ToString(),
    };

    /// <summary>Per-example sum of squares scaled to the convention: 1/2 or 1/C.</summary>
    public static double Scale(this SquaredErrorReduction r, long classes) =>
        r == SquaredErrorReduction.HalfSum ? 0.5 : 1.0 / classes;
}
