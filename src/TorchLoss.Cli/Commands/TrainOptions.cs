using System.CommandLine;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>The options of `torchloss train` and how they become a <see cref="TrainConfig"/>.</summary>
public sealed class TrainOptions
{
    static readonly TrainConfig Defaults = new();

    /// <summary>The largest learning rate, init scale, weight decay and <see cref="LogitSquaredErrorHead"/> weight or target
    /// accepted: the model trains in float32 (at most 3.4e38), and a step of such a size overflows it at once (and k (z - M)^2 for |M| above
    /// ~1e19); 1e6 is far above any rate or scale that trains, and far below where arithmetic overflows.</summary>
    public const double MaxScale = 1e6;

    public readonly Option<string> Head = new("--head") { HelpName = "HEAD", Description = $"Output head. {HeadCatalog.Help}.", DefaultValueFactory = _ => Defaults.Head };
    public readonly Option<string> Model = new("--model") { HelpName = "MODEL", Description = $"Model: {ModelSpec.Syntax}.", DefaultValueFactory = _ => Defaults.Model };
    public readonly Option<string> HiddenActivation = new("--hidden-activation") { Description = "Hidden units of an MLP: sigmoid (as Golik et al.), tanh or relu.", DefaultValueFactory = _ => "sigmoid" };
    public readonly Option<string> MseReduction = MseReductionOption();
    public readonly Option<double> TrueClassWeight = NumericOptions.Double("--true-class-weight", $"{LogitSquaredErrorHead.HeadName}: weight k of the true class's term (Hui & Belkin rescaling); up to {Numbers.Limit(MaxScale)}.", 1, positive: true, max: MaxScale).Shows("K");
    public readonly Option<double> TrueClassTarget = NumericOptions.Double("--true-class-target", $"{LogitSquaredErrorHead.HeadName}: target M for the true class's logit; up to {Numbers.Limit(MaxScale)}.", 1, positive: true, max: MaxScale).Shows("M");
    public readonly Option<double> InitScale = NumericOptions.Double("--init-scale", $"Multiply the initial weights by this (large values start the units saturated); up to {Numbers.Limit(MaxScale)}.", 1, positive: true, max: MaxScale).Shows("FACTOR");
    public readonly Option<string?> InitFrom = PathOptions.OptionalPath("--init-from", $"Start from the parameters in this file (e.g. runs/NAME/model.params of a cross-entropy run); its tensors' names have at most {ParameterFile.MaxNameLength} characters.").Shows("FILE");
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "sgd or adam.", DefaultValueFactory = _ => Defaults.Optimizer };
    public readonly Option<double> LearningRate = NumericOptions.Double("--lr", $"Learning rate, up to {Numbers.Limit(MaxScale)}.", Defaults.LearningRate, positive: true, max: MaxScale).Shows("RATE");
    public readonly Option<double> Momentum = NumericOptions.Double("--momentum", "SGD momentum, in [0, 1).", 0, min: 0, max: 1, belowMax: true).Shows("MU");
    public readonly Option<bool> Nesterov = new("--nesterov") { Description = "Nesterov momentum (SGD)." };
    public readonly Option<double> WeightDecay = NumericOptions.Double("--weight-decay", $"L2 weight decay, 0 to {Numbers.Limit(MaxScale)}.", 0, min: 0, max: MaxScale).Shows("LAMBDA");
    public readonly Option<int> BatchSize = NumericOptions.Int("--batch", "Minibatch size.", Defaults.BatchSize, min: 1).Shows("SIZE");
    public readonly Option<int> Epochs = NumericOptions.Int("--epochs", "Epochs (with --resume: the new total).", Defaults.Epochs, min: 1).Shows("N");
    public readonly Option<string> Schedule = new("--schedule") { HelpName = "constant|newbob|step:EPOCHS:FACTOR", Description = $"Learning-rate schedule: {LearningRateSchedule.Syntax}.", DefaultValueFactory = _ => Defaults.Schedule };
    public readonly Option<int?> EarlyStop = NumericOptions.OptionalInt("--early-stop", "Stop after this many epochs without validation improvement.", min: 1).Shows("EPOCHS");
    public readonly Option<ulong> Seed = NumericOptions.Seed("--seed", "Seed for initialisation and shuffling.", Defaults.Seed).Shows("N");
    public readonly Option<string> Device = new("--device") { HelpName = "cpu|cuda|cuda:N", Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => Defaults.Device };
    public readonly Option<string> Engine = new("--engine")
    {
        HelpName = "ENGINE",
        Description = "How gradients are computed: fused (native step with the hand-derived dL/dz; SGD on the CPU), autograd " +
                      "(TorchSharp autograd; anything), closed-form (autograd with the head's hand-derived dL/dz as the loss's " +
                      "backward; any device), or auto (fused where it can run, else autograd).",
        DefaultValueFactory = _ => Defaults.Engine,
    };
    public readonly Option<int?> Threads = NumericOptions.Threads("--threads", "Intra-op threads: the fused engine's own threads (default: one per core), or libtorch's for autograd (default: 1); see README, Performance.").Shows("N");
    public readonly Option<int?> BlasThreads = NumericOptions.BlasThreads("--blas-threads", "BLAS (oneMKL) threads inside each matrix product (default: 1 with the fused engine; with autograd 1 for small steps and one per core from batch x parameters = 2^27, batch 499 on the 784-256-256-10 MLP).").Shows("N");
    public readonly Option<int> LogEvery = NumericOptions.Int("--log-every", "Steps between step-statistics records.", Defaults.LogEvery, min: 1).Shows("STEPS");
    public readonly Option<bool> NoStepStatistics = new("--no-step-stats") { Description = "Record only loss and accuracy per step (to measure what the diagnostics cost)." };
    public readonly Option<bool> NoTest = new("--no-test") { Description = "Never score the test split (as compare's tuning runs, which choose settings and must not see it)." };
    public readonly Option<string> Dataset = new("--dataset") { HelpName = "NAME|csv:PATH|tsv:PATH", Description = TableCliOptions.DatasetHelp, DefaultValueFactory = _ => Defaults.Dataset };
    public readonly Option<string?> DataDir = PathOptions.OptionalPath("--data-dir", "Dataset directory (default: $TORCHLOSS_DATA_DIR, else the checkout's datasets/).").Shows("DIR");
    public readonly Option<int?> ValidationSize = NumericOptions.OptionalInt("--validation-size",
        "Training examples held out for validation: the last ones of an image training file (default 10000), a stratified sample of a table's (default 20 % of its training rows).", min: 0).Shows("N");
    public readonly Option<int?> TrainLimit = NumericOptions.OptionalInt("--train-limit", "Use only the first K training examples.", min: 1).Shows("K");
    public readonly Option<double> LabelNoise = NumericOptions.Double("--label-noise",
        "Share of training labels changed to another class before training, in [0, 1) (the same labels for every seed; validation and test stay clean).", 0, min: 0, max: 1, belowMax: true).Shows("FRACTION");
    public readonly Option<bool?> Standardize = new("--standardize")
    {
        Description = "Standardise inputs with the training split's mean and std: images off by default (pixels scaled to [0, 1]), tables on " +
                      "(per feature); --standardize false turns it off.",
    };
    public readonly TableCliOptions Table = new();
    public readonly Option<string?> Binary = new("--binary") { HelpName = "PvN|Pvrest", Description = "Binary task: PvN (e.g. 3v5) or Pvrest; for logistic regression." };
    public readonly Option<string?> Name = new("--name") { HelpName = "NAME", Description = "Run name (folder under --runs-dir; printable characters, no /); default: head_model_timestamp." };
    public readonly Option<string> RunsDir = PathOptions.Path("--runs-dir", "Where run folders go.", "runs").Shows("DIR");
    public readonly Option<string?> Out = PathOptions.OptionalPath("--out",
        "The run folder itself (as compare's --out names its study's folder), instead of --runs-dir and --name.").Shows("DIR");
    public readonly Option<string?> Resume = PathOptions.OptionalPath("--resume", "Continue the run in this folder from its last checkpoint (settings from its config.json; --epochs may raise the total).").Shows("RUN_DIR");
    public readonly Option<string?> Config = PathOptions.OptionalPath("--config",
        "Settings from a file (JSON or YAML, keys as in a run's config.json; a run's config.json itself works): options given beside it win. " +
        SettingsFile.Rules).Shows("FILE");
    public readonly Option<bool> Png = new("--png") { Description = "Also write each of the run's plots as a PNG beside its SVG (plots/*.png), drawn as plot --out FILE.png draws." };
    public readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per epoch and the summary, for scripts (no progress bar)." };

    readonly DatasetManifest manifest;

    /// <param name="manifest">the datasets `--dataset` may name besides table files (default: the embedded manifest).</param>
    public TrainOptions(DatasetManifest? manifest = null)
    {
        this.manifest = manifest ?? DatasetManifest.Embedded;
        PathOptions.RefuseEmpty(Name, "the run name is empty");
        Head.With(Completions.Heads);
        Dataset.With(() => Completions.Datasets(this.manifest));
        Engine.With(Completions.Engines);
        Device.With(Completions.Devices);
        Optimizer.With("sgd", "adam");
        HiddenActivation.With("sigmoid", "tanh", "relu");
        MseReduction.With("half-sum", "mean");
        Schedule.With("constant", "step:", "newbob");
    }

    public IEnumerable<Option> All() =>
    [
        Head, Model, HiddenActivation, MseReduction, TrueClassWeight, TrueClassTarget, InitScale, InitFrom, Optimizer, LearningRate,
        Momentum, Nesterov, WeightDecay, BatchSize, Epochs, Schedule, EarlyStop, Seed, Device, Engine, Threads, BlasThreads, LogEvery,
        NoStepStatistics, NoTest, Dataset, DataDir, ValidationSize, TrainLimit, LabelNoise, Standardize, Binary, .. Table.All(), Name, RunsDir, Out, Resume, Config, Png, Json,
    ];

    /// <summary>The options by topic, as `train --help` lists them.</summary>
    public (string Title, IReadOnlyList<Option> Options)[] Groups() =>
    [
        ("Model and head", [Head, Model, HiddenActivation, MseReduction, TrueClassWeight, TrueClassTarget, InitScale, InitFrom]),
        ("Optimisation", [Optimizer, LearningRate, Momentum, Nesterov, WeightDecay, BatchSize, Epochs, Schedule, EarlyStop, Seed]),
        ("Data", [Dataset, DataDir, ValidationSize, TrainLimit, LabelNoise, Standardize, Binary]),
        ("Tables (--dataset csv:PATH, tsv:PATH or a manifest table)", [.. Table.All()]),
        ("Device and speed", [Device, Engine, Threads, BlasThreads]),
        ("What is recorded", [LogEvery, NoStepStatistics, NoTest]),
        ("Where it goes, resuming, settings files", [Name, RunsDir, Out, Resume, Config, Png, Json]),
    ];

    /// <summary>The run's settings: the options given, over the --config file's settings when there is one, over the defaults.</summary>
    public TrainConfig ToConfig(ParseResult p) =>
        Merge(p, p.GetValue(Config) is { } file ? SettingsFile.ReadTrain(file) : new TrainConfig());

    /// <summary><paramref name="baseline"/> with every option the user gave applied over it.</summary>
    TrainConfig Merge(ParseResult p, TrainConfig baseline)
    {
        T Pick<T>(Option<T> option, T current) => Given(p, option) ? p.GetValue(option)! : current;
        var dataset = TableCliOptions.Dataset(Pick(Dataset, baseline.Dataset));
        return baseline with
        {
            Dataset = dataset,
            Table = Table.ToOptions(p, dataset, manifest, baseline.Table),
            Head = Pick(Head, baseline.Head),
            Model = Pick(Model, baseline.Model),
            HiddenActivation = Given(p, HiddenActivation) ? HiddenActivations.Parse(p.GetValue(HiddenActivation)!) : baseline.HiddenActivation,
            MseReduction = Given(p, MseReduction) ? ParseReduction(p.GetValue(MseReduction)!) : baseline.MseReduction,
            TrueClassWeight = Pick(TrueClassWeight, baseline.TrueClassWeight),
            TrueClassTarget = Pick(TrueClassTarget, baseline.TrueClassTarget),
            InitScale = Pick(InitScale, baseline.InitScale),
            InitFrom = Pick(InitFrom, baseline.InitFrom) is { } from ? PathOptions.RegularFile(from, "--init-from") : null,
            Optimizer = Pick(Optimizer, baseline.Optimizer).Trim().ToLowerInvariant(),
            LearningRate = Pick(LearningRate, baseline.LearningRate),
            Momentum = Pick(Momentum, baseline.Momentum),
            Nesterov = Pick(Nesterov, baseline.Nesterov),
            WeightDecay = Pick(WeightDecay, baseline.WeightDecay),
            BatchSize = Pick(BatchSize, baseline.BatchSize),
            Epochs = Pick(Epochs, baseline.Epochs),
            Schedule = Pick(Schedule, baseline.Schedule),
            EarlyStopPatience = Pick(EarlyStop, baseline.EarlyStopPatience),
            Seed = Pick(Seed, baseline.Seed),
            Device = Pick(Device, baseline.Device),
            Engine = Pick(Engine, baseline.Engine),
            Threads = Pick(Threads, baseline.Threads),
            BlasThreads = Pick(BlasThreads, baseline.BlasThreads),
            LogEvery = Pick(LogEvery, baseline.LogEvery),
            StepStatistics = Given(p, NoStepStatistics) ? !p.GetValue(NoStepStatistics) : baseline.StepStatistics,
            EvaluateTest = Given(p, NoTest) ? !p.GetValue(NoTest) : baseline.EvaluateTest,
            ValidationSize = Pick(ValidationSize, baseline.ValidationSize),
            TrainLimit = Pick(TrainLimit, baseline.TrainLimit),
            LabelNoise = Pick(LabelNoise, baseline.LabelNoise),
            Standardize = Pick(Standardize, baseline.Standardize),
            BinaryTask = Pick(Binary, baseline.BinaryTask),
            DataDirectory = Pick(DataDir, baseline.DataDirectory),
        };
    }

    /// <summary>Each option that decides what a run computes, with the setting it becomes (compared on --resume).</summary>
    public IEnumerable<(Option Option, Func<TrainConfig, object?> Setting)> Settings() =>
    [
        (Head, c => c.Head), (Model, c => c.Model), (HiddenActivation, c => c.HiddenActivation), (MseReduction, c => c.MseReduction),
        (TrueClassWeight, c => c.TrueClassWeight), (TrueClassTarget, c => c.TrueClassTarget), (InitScale, c => c.InitScale),
        (InitFrom, c => c.InitFrom), (Optimizer, c => c.Optimizer), (LearningRate, c => c.LearningRate), (Momentum, c => c.Momentum),
        (Nesterov, c => c.Nesterov), (WeightDecay, c => c.WeightDecay), (BatchSize, c => c.BatchSize), (Schedule, c => c.Schedule),
        (EarlyStop, c => c.EarlyStopPatience), (Seed, c => c.Seed), (Device, c => c.Device), (Engine, c => c.Engine),
        (LogEvery, c => c.LogEvery), (NoStepStatistics, c => c.StepStatistics), (NoTest, c => c.EvaluateTest),
        (Dataset, c => c.Dataset),
        (ValidationSize, c => c.ValidationSize), (TrainLimit, c => c.TrainLimit), (LabelNoise, c => c.LabelNoise), (Standardize, c => c.Standardize), (Binary, c => c.BinaryTask),
        .. Table.Settings(),
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
