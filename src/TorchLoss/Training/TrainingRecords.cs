using System.Text.Json.Nodes;
using System.Text.Json;
using TorchLoss.Engines;
using TorchLoss.Runtime;

namespace TorchLoss.Training;

/// <summary>The result of one epoch. Train loss and accuracy are averaged over the epoch's examples as they were
/// trained on (the model changes during the epoch); validation and test are scored, and the weights measured, after the epoch.</summary>
public sealed record EpochRecord(
    int Epoch,
    long Step,
    double LearningRate,
    double TrainLoss,
    double TrainAccuracy,
    SplitScore? Validation,
    SplitScore? Test,
    double WallSeconds,
    double StepsPerSecond,
    IntervalStatistics Statistics,
    WeightNorms? Norms = null)
{
    public double TrainError => 1 - TrainAccuracy;
}

public enum RunStatus { Completed, StoppedEarly, Diverged }

public sealed record RunSummary
{
    public required RunStatus Status { get; init; }
    public string? Message { get; init; }
    public required int Epochs { get; init; }
    public required long Steps { get; init; }
    public required double FinalTrainLoss { get; init; }
    public required double FinalTrainError { get; init; }
    public double? FinalValidationError { get; init; }
    public double? FinalTestError { get; init; }
    public int? BestEpoch { get; init; }
    public double? BestValidationError { get; init; }
    public double? TestErrorAtBestEpoch { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double StepsPerSecond { get; init; }
    /// <summary>ML.NET's evaluation of the final model's test predictions; null when the test split was not scored (and in
    /// summaries written before it existed).</summary>
    public MlNetMetrics? MlNet { get; init; }
}

/// <summary>Where and with what a run ran; written into config.json next to the settings.</summary>
public sealed record RunEnvironment(
    string TorchLossVersion,
    string LibtorchVersion,
    string? TorchSharpVersion,
    string DotnetVersion,
    string OperatingSystem,
    string Blas,
    string Device,
    string? Engine,
    string? EngineNote,
    int IntraOpThreads,
    int? BlasThreads,
    int ProcessorCount,
    string ModelDescription,
    long ParameterCount,
    string HeadDescription,
    string LossConvention,
    string DataDescription,
    string? InitFromSha256,
    RunData? Data = null)
{
    /// <summary>The CPU (<see cref="TorchRuntime.Processor"/>): the same run on another CPU model may differ in the last bits.</summary>
    public string? Processor { get; init; }

    /// <summary>oneMKL's reproducibility mode (<see cref="TorchRuntime.BlasReproducibility"/>).</summary>
    public string? BlasReproducibility { get; init; }
}

/// <summary>What the data of a run was, beyond its settings: each class index's name, and for a table where its examples
/// came from and the standardisation its model expects (so the model can be applied to new rows the same way).</summary>
public sealed record RunData(
    IReadOnlyList<string> Classes,
    int Features,
    Data.Tables.TableProvenance? Table,
    Data.Tables.FeatureStandardization? Standardization)
{
    public static RunData Of(Data.ClassificationData data) => new(data.ClassNames, data.Features, data.TableProvenance, data.FeatureStandardization);
}

/// <summary>config.json. <paramref name="FormatVersion"/> is 2 for runs on TorchSharp; files without one were written by
/// the old libtorch 1.13 binding (version 1), which cannot be resumed and are never reused as if new.</summary>
public sealed record RunConfigFile(TrainConfig Config, RunEnvironment Environment, int FormatVersion = 1)
{
    public const int CurrentFormatVersion = 2;

    /// <summary>Why a run with this config.json must be neither resumed nor reused, or null when it may be: its checkpoints
    /// and metrics come from another binding (format 1: the old libtorch 1.13 one) or a newer TorchLoss.</summary>
    public string? FormatMismatch => FormatVersion == CurrentFormatVersion ? null
        : FormatVersion < CurrentFormatVersion
            ? $"it was written by the old libtorch 1.13 binding (config.json format {FormatVersion}; this TorchLoss writes format {CurrentFormatVersion})"
            : $"it was written by a newer TorchLoss (config.json format {FormatVersion}; this one reads format {CurrentFormatVersion})";

    /// <summary>Reads a run's config.json: <see cref="InvalidDataException"/> when it is not JSON or its parts have the wrong
    /// form, <see cref="NotARunConfigException"/> when it is JSON but not a TorchLoss run's (another tool's config.json:
    /// no "config" and "environment" objects).</summary>
    public static RunConfigFile Read(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message.Split('\n')[0]})");
        }
        if (node is not JsonObject root || root["config"] is not JsonObject
            || root["environment"] is not JsonObject)
            throw new NotARunConfigException(path);
        try
        {
            return root.Deserialize<RunConfigFile>(Reporting.JsonFiles.Options) ?? throw new NotARunConfigException(path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid run configuration ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The settings the run was computed with. Runs written before engines existed record none and used
    /// autograd; reading them as the default (auto, i.e. fused) would resume or reuse them under another engine.</summary>
    public TrainConfig EffectiveConfig => Environment.Engine is null ? Config with { Engine = "autograd" } : Config;
}

/// <summary>A config.json that is JSON but not a TorchLoss run's (another tool's: a model's, a project's): its folder is
/// not a run folder.</summary>
public sealed class NotARunConfigException(string path) : IOException(
    $"{Path.GetDirectoryName(path)} is not a TorchLoss run folder ({Why(path)})")
{
    public string Folder { get; } = Path.GetDirectoryName(path)!;

    /// <summary>"its config.json is not a TorchLoss run's: ..."</summary>
    public string Reason { get; } = Why(path);

    static string Why(string path) => $"its {Path.GetFileName(path)} is not a TorchLoss run's: it has no \"config\" and \"environment\" objects";
}

/// <summary>Receives progress from a running trainer (the CLI draws progress bars; tests and `compare` listen).</summary>
public interface ITrainingObserver
{
    void RunStarted(RunEnvironment environment, int firstEpoch, int epochs, int stepsPerEpoch) { }
    /// <summary>Called after each optimisation step. Throwing <see cref="OperationCanceledException"/> here stops the run at
    /// this step boundary: its folder stays incomplete, and <see cref="Trainer.Resume"/> continues it from the last checkpoint.</summary>
    void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch) { }
    void IntervalCompleted(int epoch, long step, IntervalStatistics statistics) { }
    void EpochCompleted(EpochRecord record) { }
}

public sealed class SilentObserver : ITrainingObserver;
