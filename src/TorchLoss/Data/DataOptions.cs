namespace TorchLoss.Data;

/// <summary>How to turn a dataset's splits into training, validation and test tensors.</summary>
public sealed record DataOptions
{
    public const int DefaultValidationSize = 10_000;

    /// <summary>Examples held out from the END of the training file as the validation split (0 allowed).</summary>
    public int ValidationSize { get; init; } = DefaultValidationSize;

    /// <summary>Use only the first K training examples (after the validation split and the binary view are taken).</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Subtract the training split's pixel mean and divide by its standard deviation, in every split.</summary>
    public bool Standardize { get; init; }

    public BinaryTask? Binary { get; init; }

    public void Validate(int trainingExamples, int classCount)
    {
        if (ValidationSize < 0 || ValidationSize >= trainingExamples)
            throw new ArgumentOutOfRangeException(nameof(ValidationSize), ValidationSize,
                $"validation size {ValidationSize} must be between 0 and {trainingExamples - 1} (the training file holds {trainingExamples} examples)");
        if (TrainLimit is < 1)
            throw new ArgumentOutOfRangeException(nameof(TrainLimit), TrainLimit, $"training limit {TrainLimit} must be at least 1");
        Binary?.Validate(classCount);
    }
}
