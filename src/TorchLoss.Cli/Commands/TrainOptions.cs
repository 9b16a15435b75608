using System.CommandLine;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>The options of `torchloss train` and how they become a <see cref="TrainConfig"/>.</summary>
public sealed class TrainOptions
{
    static readonly TrainConfig Defaults = new();

    public readonly Option<string> Head = new("--head") { Description = $"Output head. {HeadCatalog.Help}.", DefaultValueFactory = _ => Defaults.Head };
    public readonly Option<string> Model = new("--model") { Description = $"Model: {ModelSpec.Syntax}.", DefaultValueFactory = _ => Defaults.Model };
    public readonly Option<string> HiddenActivation = new("--hidden-activation") { Description = "Hidden units of an MLP: sigmoid (as Golik et al.), tanh or relu.", DefaultValueFactory = _ => "sigmoid" };
    public readonly Option<string> MseReduction = MseReductionOption();
    public readonly Option<double> TrueClassWeight = new("--true-class-weight") { Description = "logit-mse: weight k of the true class's term (Hui & Belkin rescaling).", DefaultValueFactory = _ => 1 };
    public readonly Option<double> TrueClassTarget = new("--true-class-target") { Description = "logit-mse: target M for the true class's logit.", DefaultValueFactory = _ => 1 };
    public readonly Option<double> InitScale = new("--init-scale") { Description = "Multiply the initial weights by this (large values start the units saturated).", DefaultValueFactory = _ => 1 };
    public readonly Option<string?> InitFrom = new("--init-from") { Description = "Start from the parameters in this file (e.g. runs/NAME/model.params of a cross-entropy run)." };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "sgd or adam.", DefaultValueFactory = _ => Defaults.Optimizer };
    public readonly Option<double> LearningRate = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    public readonly Option<double> Momentum = new("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0 };
    public readonly Option<bool> Nesterov = new("--nesterov") { Description = "Nesterov momentum (SGD)." };
    public readonly Option<double> WeightDecay = new("--weight-decay") { Description = "L2 weight decay.", DefaultValueFactory = _ => 0 };
    public readonly Option<int> BatchSize = new("--batch") { Description = "Minibatch size.", DefaultValueFactory = _ => Defaults.BatchSize };
    public readonly Option<int> Epochs = new("--epochs") { Description = "Epochs (with --resume: the new total).", DefaultValueFactory = _ => Defaults.Epochs };
    public readonly Option<string> Schedule = new("--schedule") { Description = $"Learning-rate schedule: {LearningRateSchedule.Syntax}.", DefaultValueFactory = _ => Defaults.Schedule };
    public readonly Option<int?> EarlyStop = new("--early-stop") { Description = "Stop after this many epochs without validation improvement." };
    public readonly Option<ulong> Seed = new("--seed") { Description = "Seed for initialisation and shuffling.", DefaultValueFactory = _ => Defaults.Seed };
    public readonly Option<string> Device = new("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => Defaults.Device };
    public readonly Option<string> Engine = new("--engine")
    {
        Description = "How gradients are computed: fused (native step with the hand-derived dL/dz; SGD on the CPU), autograd " +
                      "(TorchSharp autograd; anything), closed-form (autograd with the head's hand-derived dL/dz as the loss's " +
                      "backward; any device), or auto (fused where it can run, else autograd).",
        DefaultValueFactory = _ => Defaults.Engine,
    };
    public readonly Option<int?> Threads = new("--threads") { Description = "Intra-op threads: the fused engine's own threads (default: one per core), or libtorch's for autograd (default: 1); see README, Performance." };
    public readonly Option<int?> BlasThreads = new("--blas-threads") { Description = "BLAS (oneMKL) threads inside each matrix product (default: 1 with the fused engine, one per core with autograd)." };
    public readonly Option<int> LogEvery = new("--log-every") { Description = "Steps between step-statistics records.", DefaultValueFactory = _ => Defaults.LogEvery };
    public readonly Option<bool> NoStepStatistics = new("--no-step-stats") { Description = "Record only loss and accuracy per step (to measure what the diagnostics cost)." };
    public readonly Option<string> Dataset = new("--dataset") { Description = "mnist or fashion-mnist.", DefaultValueFactory = _ => Defaults.Dataset };
    public readonly Option<string?> DataDir = new("--data-dir") { Description = "Dataset directory (default: $TORCHLOSS_DATA_DIR, else the checkout's datasets/)." };
    public readonly Option<int> ValidationSize = new("--validation-size") { Description = "Training examples held out (from the end) for validation.", DefaultValueFactory = _ => Defaults.ValidationSize };
    public readonly Option<int?> TrainLimit = new("--train-limit") { Description = "Use only the first K training examples." };
    public readonly Option<bool> Standardize = new("--standardize") { Description = "Standardise pixels with the training mean and std (default: scale to [0, 1])." };
    public readonly Option<string?> Binary = new("--binary") { Description = "Binary task: PvN (e.g. 3v5) or Pvrest; for logistic regression." };
    public readonly Option<string?> Name = new("--name") { Description = "Run name (folder under --runs-dir); default: head_model_timestamp." };
    public readonly Option<string> RunsDir = new("--runs-dir") { Description = "Where run folders go.", DefaultValueFactory = _ => "runs" };
    public readonly Option<string?> Resume = new("--resume") { Description = "Continue the run in this folder from its last checkpoint (settings from its config.json; --epochs may raise the total)." };
    public readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per epoch and the summary, for scripts (no progress bar)." };

    public IEnumerable<Option> All() =>
    [
        Head, Model, HiddenActivation, MseReduction, TrueClassWeight, TrueClassTarget, InitScale, InitFrom, Optimizer, LearningRate,
        Momentum, Nesterov, WeightDecay, BatchSize, Epochs, Schedule, EarlyStop, Seed, Device, Engine, Threads, BlasThreads, LogEvery,
        NoStepStatistics, Dataset, DataDir, ValidationSize, TrainLimit, Standardize, Binary, Name, RunsDir, Resume, Json,
    ];

    public TrainConfig ToConfig(ParseResult p) => new()
    {
        Dataset = p.GetValue(Dataset)!,
        Head = p.GetValue(Head)!,
        Model = p.GetValue(Model)!,
        HiddenActivation = HiddenActivations.Parse(p.GetValue(HiddenActivation)!),
        MseReduction = ParseReduction(p.GetValue(MseReduction)!),
        TrueClassWeight = p.GetValue(TrueClassWeight),
        TrueClassTarget = p.GetValue(TrueClassTarget),
        InitScale = p.GetValue(InitScale),
        InitFrom = p.GetValue(InitFrom) is { } from ? Path.GetFullPath(from) : null,
        Optimizer = p.GetValue(Optimizer)!.Trim().ToLowerInvariant(),
        LearningRate = p.GetValue(LearningRate),
        Momentum = p.GetValue(Momentum),
        Nesterov = p.GetValue(Nesterov),
        WeightDecay = p.GetValue(WeightDecay),
        BatchSize = p.GetValue(BatchSize),
        Epochs = p.GetValue(Epochs),
        Schedule = p.GetValue(Schedule)!,
        EarlyStopPatience = p.GetValue(EarlyStop),
        Seed = p.GetValue(Seed),
        Device = p.GetValue(Device)!,
        Engine = p.GetValue(Engine)!,
        Threads = p.GetValue(Threads),
        BlasThreads = p.GetValue(BlasThreads),
        LogEvery = p.GetValue(LogEvery),
        StepStatistics = !p.GetValue(NoStepStatistics),
        ValidationSize = p.GetValue(ValidationSize),
        TrainLimit = p.GetValue(TrainLimit),
        Standardize = p.GetValue(Standardize),
        BinaryTask = p.GetValue(Binary),
        DataDirectory = p.GetValue(DataDir),
    };

    /// <summary>Each option that decides what a run computes, with the setting it becomes (compared on --resume).</summary>
    public IEnumerable<(Option Option, Func<TrainConfig, object?> Setting)> Settings() =>
    [
        (Head, c => c.Head), (Model, c => c.Model), (HiddenActivation, c => c.HiddenActivation), (MseReduction, c => c.MseReduction),
        (TrueClassWeight, c => c.TrueClassWeight), (TrueClassTarget, c => c.TrueClassTarget), (InitScale, c => c.InitScale),
        (InitFrom, c => c.InitFrom), (Optimizer, c => c.Optimizer), (LearningRate, c => c.LearningRate), (Momentum, c => c.Momentum),
        (Nesterov, c => c.Nesterov), (WeightDecay, c => c.WeightDecay), (BatchSize, c => c.BatchSize), (Schedule, c => c.Schedule),
        (EarlyStop, c => c.EarlyStopPatience), (Seed, c => c.Seed), (Device, c => c.Device), (Engine, c => c.Engine),
        (LogEvery, c => c.LogEvery), (NoStepStatistics, c => c.StepStatistics), (Dataset, c => c.Dataset),
        (ValidationSize, c => c.ValidationSize), (TrainLimit, c => c.TrainLimit), (Standardize, c => c.Standardize), (Binary, c => c.BinaryTask),
    ];

    /// <summary>--mse-reduction, shared by every command that builds squared-error heads.</summary>
    public static Option<string> MseReductionOption() => new("--mse-reduction")
    {
        Description = "Squared error over classes: half-sum (1/2 * sum (a-y)^2, the default) or mean (1/C * sum).",
        DefaultValueFactory = _ => "half-sum",
    };

    public static SquaredErrorReduction ParseReduction(string text) => text.Trim().ToLowerInvariant() switch
    {
        "half-sum" => SquaredErrorReduction.HalfSum,
        "mean" => SquaredErrorReduction.MeanOverClasses,
        _ => throw new FormatException($"unknown --mse-reduction '{text}': expected half-sum or mean"),
    };

    /// <summary>True when the user typed the option (not just its default).</summary>
    public static bool Given(ParseResult p, Option option) => p.GetResult(option) is { Implicit: false };
}
