using System.Globalization;

namespace TorchLoss.Runs;

/// <summary>
/// What a state.json must hold to be trusted: --resume loads the checkpoint it names and keeps the metrics up to its
/// epoch, and `runs` and the summary report its errors. A file edited by hand or damaged would otherwise load files
/// from outside the run, rewrite its history or report impossible numbers; it is refused instead.
/// </summary>
public static class TrainingStateCheck
{
    /// <summary>The checkpoint files of epoch <paramref name="epoch"/>, relative to the run folder, as <see cref="Checkpoint"/> names them.</summary>
    public static (string Model, string Optimizer) CheckpointFiles(int epoch) =>
        (Path.Combine(Checkpoint.Directory, $"model-epoch{epoch}.params"), Path.Combine(Checkpoint.Directory, $"optimizer-epoch{epoch}.params"));

    /// <summary>What is wrong with <paramref name="state"/> on its own, or null.</summary>
    public static string? Problem(TrainingState state)
    {
        if (state.Epoch < 0) return $"epoch is {state.Epoch}, below 0";
        var (model, optimizer) = CheckpointFiles(state.Epoch);
        if (state.ModelCheckpoint is { } m && m != model)
            return $"model_checkpoint is '{Reporting.PrintableText.Escape(m)}', not {model} (epoch {state.Epoch}'s checkpoint inside the run folder)";
        if (state.OptimizerCheckpoint is { } o && o != optimizer)
            return $"optimizer_checkpoint is '{Reporting.PrintableText.Escape(o)}', not {optimizer} (epoch {state.Epoch}'s checkpoint inside the run folder)";
        if (state.Step < 0 || state.OptimizerSteps < 0) return $"step {state.Step} or optimizer_steps {state.OptimizerSteps} is below 0";
        if (state.EpochsWithoutImprovement < 0 || state.EpochsWithoutImprovement > state.Epoch)
            return $"epochs_without_improvement is {state.EpochsWithoutImprovement}, outside 0 to its epoch {state.Epoch}";
        if (!(state.LearningRate > 0) || !double.IsFinite(state.LearningRate)) return $"learning_rate is {Text(state.LearningRate)}, not a positive number";
        if (!(state.TrainingSeconds >= 0) || !double.IsFinite(state.TrainingSeconds)) return $"training_seconds is {Text(state.TrainingSeconds)}, not a number >= 0";
        if (state.FinalTrainLoss is { } loss && !double.IsFinite(loss)) return $"final_train_loss is {Text(loss)}, not a finite number";
        foreach (var (name, value) in Errors(state))
            if (value is { } error && !(error is >= 0 and <= 1))
                return $"{name} is {Text(error)}, outside [0, 1] (errors are fractions)";
        if (state.BestEpoch is { } best && (best < 1 || best > state.Epoch))
            return $"best_epoch is {best}, outside 1 to its epoch {state.Epoch}";
        if ((state.BestEpoch is null) != (state.BestValidationError is null))
            return "best_epoch and best_validation_error must be given together";
        return null;
    }

    /// <summary>What is wrong with resuming from <paramref name="state"/> given the epoch numbers of the metrics' epoch
    /// rows, or null: every epoch from 0 to the state's must be recorded (the history that is kept).</summary>
    public static string? ResumeProblem(TrainingState state, IReadOnlyList<int> epochRows)
    {
        var kept = epochRows.Where(e => e <= state.Epoch).ToList();
        if (kept.SequenceEqual(Enumerable.Range(0, state.Epoch + 1))) return null;
        var recorded = epochRows.Count == 0 ? "no epochs" : $"epochs [{string.Join(", ", epochRows.Take(12))}{(epochRows.Count > 12 ? ", ..." : "")}]";
        return $"it names epoch {state.Epoch}, but {Reporting.MetricsLog.JsonLinesFile} records {recorded}, not every epoch from 0 to {state.Epoch}";
    }

    static IEnumerable<(string Name, double? Value)> Errors(TrainingState s) =>
    [
        ("final_train_error", s.FinalTrainError), ("final_validation_error", s.FinalValidationError), ("final_test_error", s.FinalTestError),
        ("best_validation_error", s.BestValidationError), ("test_error_at_best_epoch", s.TestErrorAtBestEpoch),
    ];

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
