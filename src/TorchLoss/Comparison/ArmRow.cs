namespace TorchLoss.Comparison;

/// <summary>One arm's line of the summary: the numbers shared by the report's table, summary.json and summary.csv.</summary>
public sealed record ArmRow(string Model, string Arm, string Kind, string Head, double InitScale, double LearningRate, int Seeds,
    IReadOnlyList<KeyValuePair<string, double>> Values, string PerSeedTestError = "")
{
    public double this[string name] => Values.First(v => v.Key == name).Value;

    public static ArmRow Of(ArmResult a)
    {
        var values = new List<KeyValuePair<string, double>>
        {
            new("test_error_mean", a.FinalTestError.Mean),
            new("test_error_std", a.FinalTestError.Std),
            new("test_error_ci_low", a.FinalTestErrorInterval.Low),
            new("test_error_ci_high", a.FinalTestErrorInterval.High),
            new("stuck_seeds", a.StuckSeeds),
            new("stuck_validation_error", a.Stuck.Error),
            new("diverging_seeds", a.DivergingSeeds),
            new("test_nll_mean", a.TestNegativeLogLikelihood.Mean),
            new("ece_mean", a.ExpectedCalibrationError.Mean),
            new("best_validation_error_mean", a.BestValidationError.Mean),
            new("best_validation_error_std", a.BestValidationError.Std),
            new("best_epoch_mean", a.BestEpoch.Mean),
            new("test_error_at_best_epoch_mean", a.TestErrorAtBestEpoch.Mean),
            new("test_error_at_best_epoch_std", a.TestErrorAtBestEpoch.Std),
            new("epochs_to_target_mean", a.EpochsToTarget.Mean),
            new("seeds_reaching_target", a.SeedsReachingTarget),
            new("steps_to_target_mean", a.StepsToTarget.Mean),
            new("seconds_to_target_mean", a.SecondsToTarget.Mean),
            new("output_grad_norm_initial", a.Initial("output_grad_norm").Mean),
            new("output_grad_norm_first", a.FirstEpoch("output_grad_norm").Mean),
            new("output_grad_norm_last", a.LastEpoch("output_grad_norm").Mean),
            new("saturated_fraction_first", a.FirstEpoch("saturated_fraction").Mean),
            new("saturated_fraction_last", a.LastEpoch("saturated_fraction").Mean),
            new("true_class_probability_first", a.FirstEpoch("true_class_probability").Mean),
            new("wrong_saturated_fraction_first", a.FirstEpoch("wrong_saturated_fraction").Mean),
            new("parameter_norm_initial", a.Initial("parameter_norm").Mean),
            new("parameter_norm_last", a.LastEpoch("parameter_norm").Mean),
            new("shared_output_norm_initial", a.Initial("shared_output_norm").Mean),
            new("shared_output_norm_last", a.LastEpoch("shared_output_norm").Mean),
        };
        foreach (var layer in a.Layers)
        {
            values.Add(new($"grad_norm_first/{layer}", a.FirstEpoch($"grad_norm_mean/{layer}.weight").Mean));
            values.Add(new($"grad_norm_last/{layer}", a.LastEpoch($"grad_norm_mean/{layer}.weight").Mean));
        }
        return new ArmRow(a.Arm.Model, a.Arm.Label, a.Arm.Kind.ToString(), a.Arm.Head, a.Arm.InitScale, a.LearningRate, a.Runs.Count, values, a.PerSeedPercent);
    }
}
