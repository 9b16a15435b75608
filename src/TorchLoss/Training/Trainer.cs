using System.Diagnostics;
using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Reporting;
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

    /// <summary>Continues an interrupted run from its last checkpoint (up to <see cref="TrainConfig.Epochs"/>).</summary>
    public RunSummary Resume() => Execute(resume: true);

    RunSummary Execute(bool resume)
    {
        config.Validate();
        var device = Device.Parse(config.Device);
        device.EnsureAvailable();
        var head = HeadCatalog.Create(config.Head, config.HeadOptions);
        var spec = ModelSpec.Parse(config.Model, config.HiddenActivation);
        CheckCompatibility(head, spec);

        TorchRuntime.ManualSeed(config.Seed);
        using var model = spec.Build(data.Features, data.ClassCount, device, config.InitScale);
        if (config.InitFrom is { } initial && !resume) model.Load(initial);
        using var optimizer = CreateOptimizer(model);
        var (engine, engineNote) = TrainingEngines.Resolve(TrainingEngines.Parse(config.Engine), model, head, optimizer);
        var threads = ThreadSettings.Resolve(config.Threads, config.BlasThreads, engine).Apply();
        var schedule = LearningRateSchedule.Parse(config.Schedule, config.LearningRate);
        var names = ParameterNames(model);
        var environment = Environment(spec, model, head, device, engine, engineNote, threads);

        var state = new TrainingState { LearningRate = config.LearningRate };
        List<MetricRecord> kept = [];
        if (resume)
        {
            state = Checkpoint.Load(run, model, optimizer);
            schedule.Restore(state.LearningRate);
            kept = MetricsLog.Read(run.Path).Where(r => r.Epoch <= state.Epoch).ToList();
        }
        else
        {
            run.CreateNew();
        }
        JsonFiles.Write(run.File(RunFolder.ConfigFile), new RunConfigFile(config, environment));
        run.MarkIncomplete();
        File.Delete(run.File(RunFolder.SummaryFile));

        using var log = MetricsLog.Open(run.Path, kept);
        var loop = new EpochLoop(config, engine, data, model, head, optimizer, names, log, observer);
        var stepsPerEpoch = data.Train.Batches(config.BatchSize).Count;
        observer.RunStarted(environment, state.Epoch + 1, config.Epochs, stepsPerEpoch);

        var status = RunStatus.Completed;
        string? message = null;
        for (var epoch = state.Epoch + 1; epoch <= config.Epochs; epoch++)
        {
            optimizer.LearningRate = schedule.Current;
            var outcome = loop.Run(epoch, state.Step);
            if (outcome.Record is not { } record)
            {
                status = RunStatus.Diverged;
                message = $"loss became {outcome.BadLoss} in epoch {epoch} by step {outcome.Step}; " +
                          $"the last good checkpoint (epoch {state.Epoch}) is kept. Try a smaller --lr.";
                break;
            }
            state = state.After(record, optimizer.StepCount, schedule, out var improved);
            if (improved) model.Save(run.File(RunFolder.BestModelFile));
            Checkpoint.Save(run, model, optimizer, state);
            observer.EpochCompleted(record);
            if (config.EarlyStopPatience is { } patience && state.EpochsWithoutImprovement >= patience && epoch < config.Epochs)
            {
                status = RunStatus.StoppedEarly;
                message = $"validation error did not improve for {patience} epoch(s)";
                break;
            }
        }

        var summary = Summarize(status, message, state);
        JsonFiles.Write(run.File(RunFolder.SummaryFile), summary);
        run.MarkComplete();
        return summary;
    }

    void CheckCompatibility(OutputHead head, ModelSpec spec)
    {
        var outputs = spec.Outputs(data.ClassCount);
        if (outputs < head.MinOutputs)
            throw new FormatException($"head {head.Name} needs at least {head.MinOutputs} outputs but model {spec.Text} has {outputs}; " +
                                      "with the logistic model use sigmoid-bce or sigmoid-mse");
        if (spec.Kind == ModelKind.Logistic && data.ClassCount != 2)
            throw new FormatException($"the logistic model needs a binary task (e.g. --binary 3v5), but the data has {data.ClassCount} classes");
    }

    Optimizer CreateOptimizer(Module model) => config.Optimizer == "adam"
        ? new Adam(model.parameters(), config.LearningRate, weightDecay: config.WeightDecay)
        : new Sgd(model.parameters(), config.LearningRate, config.Momentum, weightDecay: config.WeightDecay, nesterov: config.Nesterov);

    /// <summary>"layer1.weight", "layer1.bias", ... numbering the linear layers from the input.</summary>
    public static IReadOnlyList<string> ParameterNames(Sequential model)
    {
        var names = new List<string>();
        var layer = 0;
        foreach (var linear in model.Layers.OfType<Linear>())
        {
            layer++;
            names.Add($"layer{layer}.weight");
            if (linear.HasBias) names.Add($"layer{layer}.bias");
        }
        return names;
    }

    RunEnvironment Environment(ModelSpec spec, Module model, OutputHead head, Device device, TrainingEngine engine, string? engineNote,
        ThreadSettings threads) => new(
        TorchLossVersion: System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(Trainer).Assembly)?.InformationalVersion ?? "unknown",
        LibtorchVersion: TorchRuntime.Version,
        DotnetVersion: System.Environment.Version.ToString(),
        OperatingSystem: System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Blas: TorchRuntime.Blas,
        Device: device.ToString(),
        Engine: engine.Name(),
        EngineNote: engineNote is null ? null : $"autograd because {engineNote}",
        IntraOpThreads: threads.IntraOp,
        BlasThreads: threads.Blas,
        ProcessorCount: System.Environment.ProcessorCount,
        ModelDescription: spec.Describe(data.Features, data.ClassCount),
        ParameterCount: model.ParameterCount(),
        HeadDescription: head.Description,
        LossConvention: head.Convention,
        DataDescription: $"{config.Dataset}: {data.Train.Count} train, {data.Validation.Count} validation, {data.Test.Count} test, " +
                         $"{data.ClassCount} classes{(config.BinaryTask is { } b ? $" (binary task {b})" : "")}" +
                         $"{(data.Standardized ? ", standardised" : ", pixels in [0, 1]")}",
        InitFromSha256: config.InitFrom is { } initial && File.Exists(initial) ? FileCheck.Sha256Hex(initial) : null);

    static RunSummary Summarize(RunStatus status, string? message, TrainingState state) => new()
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
    };
}
