using System.Diagnostics;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Reporting;
using TorchLoss.Runs;
using TorchLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>
/// Trains one model with one head on resident data and writes everything into a run folder: per-step diagnostics
/// every <see cref="TrainConfig.LogEvery"/> steps, a record and a checkpoint every epoch, a summary at the end.
/// A non-finite loss stops the run with status Diverged and keeps the last good checkpoint.
/// </summary>
public sealed class Trainer(TrainConfig config, ClassificationData data, RunFolder run, ITrainingObserver? observer = null)
{
    readonly ITrainingObserver observer = observer ?? new SilentObserver();

    /// <summary>Starts a new run in an empty folder.</summary>
    public RunSummary Run() => Execute(resume: false);

    /// <summary>Continues an interrupted run from its last checkpoint (up to <see cref="TrainConfig.Epochs"/>). A run of
    /// another format (the old libtorch binding's), or one whose table file has changed since it was trained (by the SHA-256
    /// it recorded), is refused with <see cref="InvalidDataException"/> before anything changes.</summary>
    public RunSummary Resume()
    {
        var existing = run.ReadConfigToResume();
        if (Data.Tables.TableProvenance.Change(existing.Environment.Data?.Table, data.TableProvenance) is { } change)
            throw new InvalidDataException($"cannot resume {run.Path}: {change}; start a new run to train on it");
        return Execute(resume: true);
    }

    RunSummary Execute(bool resume)
    {
        config.Validate();
        TorchRuntime.Initialize();
        var device = Devices.Parse(config.Device);
        device.EnsureAvailable();
        using var head = HeadCatalog.Create(config.Head, config.HeadOptions);
        var spec = ModelSpec.Parse(config.Model, config.HiddenActivation);
        CheckCompatibility(head, spec);

        TorchRuntime.ManualSeed(config.Seed);
        using var model = spec.Build(data.Features, data.ClassCount, device, config.InitScale);
        // A resumed run's weights come from its checkpoint; one stopped before its first checkpoint starts over (see below).
        if (config.InitFrom is { } initial && !(resume && run.HasCheckpoint)) ModelFile.Load(model, initial);
        using var optimizer = Optimizers.Create(config, model.parameters());
        return Execute(resume, model, head, optimizer, spec.Describe(data.Features, data.ClassCount));
    }

    /// <summary>Trains a model, head and optimizer built in code (any TorchSharp module mapping [B, features] to
    /// logits [B, outputs]) with this trainer's data, run folder and settings; config.Head, Model and the optimizer
    /// settings are then only recorded. The caller keeps ownership of the three objects.</summary>
    public RunSummary Run(nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer, string? modelDescription = null)
    {
        config.Validate();
        TorchRuntime.Initialize();
        return Execute(resume: false, model, head, optimizer, modelDescription ?? model.GetType().Name);
    }

    RunSummary Execute(bool resume, nn.Module<Tensor, Tensor> model, OutputHead head, optim.Optimizer optimizer, string modelDescription)
    {
        var device = model.parameters().First().device;
        var (engine, engineNote) = TrainingEngines.Resolve(TrainingEngines.Parse(config.Engine), model, head, optimizer);
        var stepSize = ThreadSettings.ForwardMultiplyAdds(config.BatchSize, model.parameters().Sum(p => p.numel()));
        var threads = ThreadSettings.Resolve(config.Threads, config.BlasThreads, engine, stepSize).Apply(engine);
        var schedule = LearningRateSchedule.Parse(config.Schedule, config.LearningRate);
        var names = ParameterNames(model);
        var environment = Environment(modelDescription, model, head, device, engine, engineNote, threads);

        using var claim = run.IsClaimed ? null : run.Claim();
        if (resume) run.CheckCanContinueTo(config.Epochs);
        // A run killed before its first checkpoint (the initial model's) trained nothing: it starts over in its folder.
        if (resume && !run.HasCheckpoint)
        {
            run.Clear();
            resume = false;
        }
        var state = new TrainingState { LearningRate = config.LearningRate, Started = DateTimeOffset.UtcNow };
        List<MetricRecord> kept = [];
        if (resume)
        {
            state = Checkpoint.Load(run, model, optimizer);
            state = state with { Started = state.Started ?? DateTimeOffset.UtcNow }; // state files from before it was kept
            schedule.Restore(state.LearningRate);
            kept = MetricsLog.Read(run.Path).Where(r => r.Epoch <= state.Epoch).ToList();
        }
        else
        {
            run.CreateNew();
        }
        run.MarkIncomplete(); // first: a folder with a config.json is always either marked or complete
        var configFile = new RunConfigFile(config, environment, RunConfigFile.CurrentFormatVersion);
        JsonFiles.Write(run.File(RunFolder.ConfigFile), configFile);
        File.Delete(run.File(RunFolder.SummaryFile));
        File.Delete(run.File(SafetensorsExport.File));
        RunReport.Remove(run); // a resumed run's old report describes fewer epochs

        // A resumed run's event file is written anew with the same session start: one session per run, as first started.
        using var log = MetricsLog.Open(run.Path, kept, RunSession.Of(configFile, state.Started ?? DateTimeOffset.UtcNow));
        using var noisy = config.LabelNoise > 0 ? data.WithTrainingLabelNoise(config.LabelNoise) : null;
        var loop = new EpochLoop(config, engine, threads, noisy ?? data, model, head, optimizer, names, log, observer);
        var stepsPerEpoch = data.Train.Batches(config.BatchSize).Count;
        observer.RunStarted(environment, state.Epoch + 1, config.Epochs, stepsPerEpoch);
        if (!resume)
        {
            // The initial model is the first checkpoint: the last good one when epoch 1 already diverges, and what a run
            // interrupted during epoch 1 resumes from.
            state = state.AfterInitial(loop.RecordInitial());
            Checkpoint.Save(run, model, optimizer, state);
        }

        var status = RunStatus.Completed;
        string? message = null;
        for (var epoch = state.Epoch + 1; epoch <= config.Epochs; epoch++)
        {
            optimizer.SetLearningRate(schedule.Current);
            var outcome = loop.Run(epoch, state.Step);
            if (outcome.Record is not { } record)
            {
                status = RunStatus.Diverged;
                message = $"loss became {outcome.BadLoss} in epoch {epoch} by step {outcome.Step}; " +
                          (state.Epoch > 0 ? $"the last good checkpoint (epoch {state.Epoch}) is kept. " : "the initial model (epoch 0) is kept as the last good one. ") +
                          "Try a smaller --lr.";
                break;
            }
            state = state.After(record, record.Step, schedule, out var improved);
            if (improved) ModelFile.Save(model, run.File(RunFolder.BestModelFile));
            Checkpoint.Save(run, model, optimizer, state);
            observer.EpochCompleted(record);
            if (config.EarlyStopPatience is { } patience && state.EpochsWithoutImprovement >= patience && epoch < config.Epochs)
            {
                status = RunStatus.StoppedEarly;
                message = $"validation error did not improve for {patience} epoch(s)";
                break;
            }
        }

        var mlNet = status != RunStatus.Diverged && config.EvaluateTest && data.Test.Count > 0 ? WritePredictions(model, head) : null;
        // PyTorch's format, for the model a finished run ends with (a diverged run's last good one is its checkpoint).
        if (status != RunStatus.Diverged) SafetensorsExport.Save(model, run.File(SafetensorsExport.File));
        var summary = Summarize(status, message, state, mlNet);
        JsonFiles.Write(run.File(RunFolder.SummaryFile), summary);
        log.EndSession(status == RunStatus.Diverged ? SessionStatus.Failure : SessionStatus.Success);
        // Before the run counts as complete: a run stopped while writing its report (a full disk) is continued with --resume.
        RunReport.Write(run, config, environment, summary, log.Epochs);
        run.MarkComplete();
        return summary;
    }

    /// <summary>Writes the final model's test predictions (for tests on the same images, see <see cref="TestPredictions"/>)
    /// and returns ML.NET's evaluation of the same predictions.</summary>
    MlNetMetrics WritePredictions(nn.Module<Tensor, Tensor> model, OutputHead head)
    {
        var predictions = Evaluation.Predictions(model, head, data.Test);
        TestPredictions.Write(run.File(TestPredictions.File), predictions.Labels, predictions.Predicted, predictions.Confidence,
            predictions.TrueProbability);
        return MlNetEvaluation.Evaluate(predictions);
    }

    void CheckCompatibility(OutputHead head, ModelSpec spec)
    {
        var outputs = spec.Outputs(data.ClassCount);
        if (outputs < head.MinOutputs)
            throw new FormatException($"head {head.Name} needs at least {head.MinOutputs} outputs but model {spec.Text} has {outputs}; " +
                                      $"with the logistic model use {SigmoidBinaryCrossEntropyHead.HeadName} or {SigmoidSquaredErrorHead.HeadName}");
        if (spec.Kind == ModelKind.Logistic && data.ClassCount != 2)
            throw new FormatException($"the logistic model needs a binary task (e.g. --binary 3v5), but the data has {data.ClassCount} classes");
    }

    /// <summary>The module's parameter names as TorchSharp reports them (layer1.weight, layer1.bias, ... for a
    /// <see cref="ModelSpec"/> model).</summary>
    public static IReadOnlyList<string> ParameterNames(nn.Module model) => model.named_parameters().Select(p => p.name).ToList();

    RunEnvironment Environment(string modelDescription, nn.Module model, OutputHead head, Device device, TrainingEngine engine, string? engineNote,
        ThreadSettings threads) => new(
        TorchLossVersion: TorchRuntime.TorchLossVersion,
        LibtorchVersion: TorchRuntime.LibTorchVersion,
        TorchSharpVersion: TorchRuntime.TorchSharpVersion,
        DotnetVersion: System.Environment.Version.ToString(),
        OperatingSystem: System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Blas: TorchRuntime.BlasName,
        Device: device.Name(),
        Engine: engine.Name(),
        EngineNote: engineNote is null ? null : $"autograd because {engineNote}",
        IntraOpThreads: threads.IntraOp,
        BlasThreads: threads.Blas,
        ProcessorCount: System.Environment.ProcessorCount,
        ModelDescription: modelDescription,
        ParameterCount: model.parameters().Sum(p => p.numel()),
        HeadDescription: head.Description,
        LossConvention: head.Convention,
        DataDescription: $"{config.Dataset}: {data.Train.Count} train, {data.Validation.Count} validation, {data.Test.Count} test, " +
                         $"{data.ClassCount} classes{(config.BinaryTask is { } b ? $" (binary task {b})" : "")}" +
                         (config.LabelNoise > 0 ? $", {config.LabelNoise:P0} of the training labels changed to another class" : "") +
                         (data.ImageSize is null
                             ? $", {data.Features} features{(data.Standardized ? " standardised on the training split" : " as in the file")}"
                             : data.Standardized ? ", standardised" : ", pixels in [0, 1]"),
        Data: RunData.Of(data),
        InitFromSha256: config.InitFrom is { } initial && File.Exists(initial) ? FileCheck.Sha256Hex(initial) : null)
    {
        Processor = TorchRuntime.Processor,
        BlasReproducibility = TorchRuntime.BlasReproducibility,
    };

    static RunSummary Summarize(RunStatus status, string? message, TrainingState state, MlNetMetrics? mlNet) => new()
    {
        Status = status,
        Message = message,
        Epochs = state.Epoch,
        Steps = state.Step,
        FinalTrainLoss = state.FinalTrainLoss ?? double.NaN,
        FinalTrainError = state.FinalTrainError ?? double.NaN,
        FinalValidationError = state.FinalValidationError,
        FinalTestError = state.FinalTestError,
        BestEpoch = state.BestEpoch,
        BestValidationError = state.BestValidationError,
        TestErrorAtBestEpoch = state.TestErrorAtBestEpoch,
        TrainingSeconds = state.TrainingSeconds,
        StepsPerSecond = state.TrainingSeconds > 0 ? state.Step / state.TrainingSeconds : 0,
        MlNet = mlNet,
    };
}
