using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;

namespace TorchLoss.Training;

/// <summary>Every setting of a training run; written to the run folder's config.json and read back by --resume.</summary>
public sealed record TrainConfig
{
    public string Dataset { get; init; } = "mnist";
    public string Head { get; init; } = SoftmaxCrossEntropyHead.HeadName;
    public string Model { get; init; } = "mlp:256,256";
    public HiddenActivation HiddenActivation { get; init; } = HiddenActivation.Sigmoid;
    public SquaredErrorReduction MseReduction { get; init; } = SquaredErrorReduction.HalfSum;
    public double TrueClassWeight { get; init; } = 1;
    public double TrueClassTarget { get; init; } = 1;
    public double InitScale { get; init; } = 1;
    /// <summary>A parameter file (e.g. another run's model.params) to start from instead of random weights.</summary>
    public string? InitFrom { get; init; }

    public string Optimizer { get; init; } = "sgd";
    public double LearningRate { get; init; } = 0.1;
    public double Momentum { get; init; }
    public bool Nesterov { get; init; }
    public double Dampening { get; init; }
    public double WeightDecay { get; init; }
    public int BatchSize { get; init; } = 128;
    public int Epochs { get; init; } = 10;
    /// <summary>constant, step:EPOCHS:FACTOR, or newbob (halve after an epoch without validation improvement).</summary>
    public string Schedule { get; init; } = "constant";
    /// <summary>Stop after this many epochs without validation improvement (null: never).</summary>
    public int? EarlyStopPatience { get; init; }

    /// <summary>auto (fused where supported), fused, autograd or closed-form: see <see cref="TrainingEngine"/>.</summary>
    public string Engine { get; init; } = "auto";

    public ulong Seed { get; init; } = 1;
    public string Device { get; init; } = "cpu";
    /// <summary>Intra-op threads (the fused engine's own, or libtorch's); null picks the measured default (see <see cref="ThreadSettings"/>).</summary>
    public int? Threads { get; init; }
    /// <summary>MKL threads inside each matrix product; null picks the default (see <see cref="ThreadSettings"/>).</summary>
    public int? BlasThreads { get; init; }
    /// <summary>Steps between interval records of the step statistics.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Compute the per-step statistics (gradient norms, dL/dz, saturation). Off only to measure their cost.</summary>
    public bool StepStatistics { get; init; } = true;
    /// <summary>Score the test split after each epoch. Off for runs that choose settings, which must not see it.</summary>
    public bool EvaluateTest { get; init; } = true;

    /// <summary>Examples held out for validation; null: the dataset's default (see <see cref="Data.DataOptions.ValidationSize"/>).</summary>
    public int? ValidationSize { get; init; }
    public int? TrainLimit { get; init; }
    /// <summary>The share of training labels changed to another class before training (symmetric label noise, the same
    /// labels for every seed; <see cref="Data.LabelNoise"/>); validation and test stay clean.</summary>
    public double LabelNoise { get; init; }
    /// <summary>Standardise the inputs with training statistics; null: the dataset's default (images no, tables yes).</summary>
    public bool? Standardize { get; init; }
    /// <summary>How a table dataset (csv:PATH, tsv:PATH or a table of the manifest) is read and split; null for images.</summary>
    public Data.Tables.TableOptions? Table { get; init; }
    /// <summary>A binary task such as "3v5" or "3vrest" (see TorchLoss.Data.BinaryTask).</summary>
    public string? BinaryTask { get; init; }
    public string? DataDirectory { get; init; }

    /// <summary>Throws FormatException or ArgumentOutOfRangeException with a message fit for a user.</summary>
    public void Validate()
    {
        using (HeadCatalog.Create(Head, HeadOptions)) { }
        ModelSpec.Parse(Model, HiddenActivation);
        LearningRateSchedule.Parse(Schedule, LearningRate);
        Runtime.Devices.Parse(Device);
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"learning rate must be a positive number, got {LearningRate}");
        Require(BatchSize >= 1, $"batch size must be at least 1, got {BatchSize}");
        Require(Epochs >= 1, $"epochs must be at least 1, got {Epochs}");
        Require(InitScale > 0 && double.IsFinite(InitScale), $"init scale must be a positive number, got {InitScale}");
        Require(Momentum >= 0 && Momentum < 1, $"momentum must lie in [0, 1), got {Momentum}");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"weight decay must be >= 0, got {WeightDecay}");
        Require(Dampening >= 0 && Dampening <= 1, $"dampening must lie in [0, 1], got {Dampening}");
        Require(LogEvery >= 1, $"--log-every must be at least 1, got {LogEvery}");
        Require(Threads is null or >= 1, $"threads must be at least 1, got {Threads}");
        Require(BlasThreads is null or >= 1, $"BLAS threads must be at least 1, got {BlasThreads}");
        Require(EarlyStopPatience is null or >= 1, $"early-stopping patience must be at least 1, got {EarlyStopPatience}");
        Require(ValidationSize is null or >= 0, $"validation size must be >= 0, got {ValidationSize}");
        Require(TrainLimit is null or >= 1, $"training limit must be at least 1, got {TrainLimit}");
        Require(LabelNoise is >= 0 and < 1, $"the label-noise fraction must be in [0, 1), got {LabelNoise}");
        Require(ValidationSize is null or > 0 || (EarlyStopPatience is null && Schedule.Trim().ToLowerInvariant() != "newbob"),
            "early stopping and the newbob schedule need a validation split (--validation-size > 0)");
        if (BinaryTask is { } binary) TorchLoss.Data.BinaryTask.Parse(binary);
        Table?.Validate();
        Require(Table is null || BinaryTask is null, "--binary applies to image datasets; a table's classes come from its label column");
        TrainingEngines.Parse(Engine);
        Require(Optimizer is "sgd" or "adam", $"unknown optimizer '{Optimizer}': expected sgd or adam");
        Require(!Nesterov || (Optimizer == "sgd" && Momentum > 0), "Nesterov momentum needs --optimizer sgd and --momentum > 0");
    }

    public HeadOptions HeadOptions => new(MseReduction, TrueClassWeight, TrueClassTarget);

    /// <summary>These settings with the dataset defaults written out: an image dataset's validation size (10,000) and its
    /// standardisation (off), a table's standardisation (on). Two configs that compute the same run are then equal, whether
    /// a default was left to the dataset (null) or named, as configs written before nulls meant "the dataset's default" name it.</summary>
    public TrainConfig WithDatasetDefaults()
    {
        var table = Table is not null || Data.Tables.TableDatasets.IsFile(Dataset);
        return this with
        {
            ValidationSize = ValidationSize ?? (table ? null : Data.DataOptions.DefaultValidationSize),
            Standardize = Standardize ?? table,
        };
    }

    static void Require(bool condition, string message)
    {
        if (!condition) throw new FormatException(message);
    }
}
