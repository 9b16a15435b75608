namespace TorchLoss.Data;

/// <summary>How to turn a dataset's splits into training, validation and test tensors.</summary>
public sealed record DataOptions
{
    public const int DefaultValidationSize = 10_000;

    /// <summary>Examples held out as the validation split (0 allowed): the last ones of an image training file, a
    /// stratified sample of a table's. Null: the dataset's default (<see cref="DefaultValidationSize"/> images, or
    /// <see cref="Tables.TableOptions.DefaultValidationFraction"/> of a table's training rows).</summary>
    public int? ValidationSize { get; init; }

    /// <summary>Use only the first K training examples (after the validation split and the binary view are taken).</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Subtract the training split's mean and divide by its standard deviation, in every split: one pixel
    /// statistic for images, one per feature for a table. Null: the dataset's default (images no, tables yes).</summary>
    public bool? Standardize { get; init; }

    public BinaryTask? Binary { get; init; }

    /// <summary>Whether the test split will be scored: a table's test split that comes out empty is refused unless it will not.</summary>
    public bool ScoresTest { get; init; } = true;

    public void Validate(int trainingExamples, int classCount)
    {
        var validationSize = ValidationSize ?? DefaultValidationSize;
        if (validationSize < 0 || validationSize >= trainingExamples)
            throw new ArgumentOutOfRangeException(nameof(ValidationSize), validationSize,
                $"validation size {validationSize} must be between 0 and {trainingExamples - 1} (the training file holds {trainingExamples} examples)");
        if (TrainLimit is < 1)
            throw new ArgumentOutOfRangeException(nameof(TrainLimit), TrainLimit, $"training limit {TrainLimit} must be at least 1");
        Binary?.Validate(classCount);
    }
}
