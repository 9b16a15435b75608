using System.Globalization;

namespace TorchLoss.Comparison;

/// <summary>
/// When a run counts as stuck: its validation accuracy after its last epoch is at most five times chance (5/C), and never
/// more than 50 %. With 10 classes both read "validation error 50 % or more"; with 1,000 classes a run at 88 % error has
/// learned (114 times chance) while one at 99.5 % or more has not, which a fixed 50 % mark would call alike.
/// </summary>
public sealed record StuckRule(int Classes)
{
    const double ChanceMultiple = 5;

    /// <summary>The rule of a 10-class task such as MNIST.</summary>
    public static readonly StuckRule TenClasses = new(10);

    /// <summary>The validation error at or above which a run is stuck (and an arm whose first epoch ends there starts slowly).</summary>
    public double Error => Math.Max(0.5, FiveTimesChanceError);

    /// <summary>The validation error of a run whose accuracy is five times chance.</summary>
    double FiveTimesChanceError => 1 - ChanceMultiple / Classes;

    public bool IsStuck(double validationError) => validationError >= Error;

    /// <summary>"a run whose validation error is still 99.5 % or more after its last epoch counts as stuck: accuracy at most
    /// five times chance, 1/1000".</summary>
    public string Description =>
        $"a run whose validation error is still {(Error * 100).ToString("0.##", CultureInfo.InvariantCulture)} % or more after its last epoch counts as stuck" +
        (FiveTimesChanceError >= 0.5 ? $": accuracy at most five times chance, 1/{Classes}" : "");
}
