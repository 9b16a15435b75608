using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;

namespace TorchLoss.Comparison;

/// <summary>Every setting of a Golik-style comparison. <see cref="Quick"/>, <see cref="Default"/> and
/// <see cref="Full"/> are the presets; the CLI overrides single fields.</summary>
public sealed record StudyConfig
{
    public string Preset { get; init; } = "default";
    public string Dataset { get; init; } = "mnist";
    /// <summary>Golik et al.'s three heads and Hui and Belkin's square loss on logits.</summary>
    public IReadOnlyList<string> Heads { get; init; } =
        [SoftmaxCrossEntropyHead.HeadName, SoftmaxSquaredErrorHead.HeadName, SigmoidSquaredErrorHead.HeadName, LogitSquaredErrorHead.HeadName];
    public IReadOnlyList<string> Models { get; init; } = ["mlp:256,256", "linear"];
    public int Seeds { get; init; } = 3;
    public int Epochs { get; init; } = 15;
    /// <summary>Epochs of squared-error fine-tuning after the cross-entropy run (and of the cross-entropy control).</summary>
    public int FineTuneEpochs { get; init; } = 5;
    /// <summary>Init scales of the sweep on the first MLP model (1 is the random-init arm itself).</summary>
    public IReadOnlyList<double> InitScales { get; init; } = [1, 4, 16];
    public IReadOnlyList<double> LearningRates { get; init; } = [0.03, 0.1, 0.3, 1.0];
    /// <summary>A grid of its own for some heads (e.g. the square loss on logits, which needs smaller rates); the others
    /// use <see cref="HeadDefaultLearningRates"/> or <see cref="LearningRates"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>>? HeadLearningRates { get; init; }

    /// <summary>The grid of a head that wants one of its own unless <see cref="HeadLearningRates"/> names it: the square
    /// loss on logits diverges or collapses at the rates that suit the others (89 % error on MNIST's MLP with the quick
    /// grid; 7.6 % with 0.01-0.3).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<double>> HeadDefaultLearningRates =
        new Dictionary<string, IReadOnlyList<double>> { [LogitSquaredErrorHead.HeadName] = [0.01, 0.03, 0.1, 0.3] };
    /// <summary><see cref="LogitSquaredErrorHead"/>'s rescaling (Hui and Belkin): weight k of the true class's term and its target M; the other heads ignore them.</summary>
    public double TrueClassWeight { get; init; } = 1;
    public double TrueClassTarget { get; init; } = 1;
    public int TuningEpochs { get; init; } = 3;
    /// <summary>Seeds of every tuning run (1..N): the rate with the lowest mean best-validation error over them is chosen.</summary>
    public int TuningSeeds { get; init; } = 1;
    public double Momentum { get; init; } = 0.9;
    /// <summary>SGD's L2 weight decay of every run (PyTorch's: added to the gradient as decay x weight).</summary>
    public double WeightDecay { get; init; }
    /// <summary>The learning-rate schedule of every run, tuning runs included, as train's --schedule
    /// (<see cref="Training.LearningRateSchedule.Syntax"/>): the rate tuning picks is where it starts.</summary>
    public string Schedule { get; init; } = "constant";
    public int BatchSize { get; init; } = 128;
    public int? TrainLimit { get; init; }
    /// <summary>The share of training labels every run sees changed to another class (<see cref="Training.TrainConfig.LabelNoise"/>).</summary>
    public double LabelNoise { get; init; }
    /// <summary>Examples held out for validation; null: the dataset's default (10,000 images, or 20 % of a table's training rows).</summary>
    public int? ValidationSize { get; init; }
    /// <summary>How a table dataset is read and split (the same split for every run); null for images.</summary>
    public Data.Tables.TableOptions? Table { get; init; }
    /// <summary>The validation accuracy whose first epoch the table reports ("epochs to reach").</summary>
    public double TargetAccuracy { get; init; } = 0.9;
    public string Device { get; init; } = "cpu";
    /// <summary>Training engine of every run: auto, fused, autograd or closed-form (see <see cref="Engines.TrainingEngine"/>).</summary>
    public string Engine { get; init; } = "auto";
    public int? Threads { get; init; }
    public int? BlasThreads { get; init; }
    public string? DataDirectory { get; init; }

    /// <summary>The learning rates tuning tries for <paramref name="head"/>.</summary>
    public IReadOnlyList<double> LearningRatesFor(string head) =>
        HeadLearningRates is { } own && own.TryGetValue(head, out var rates) ? rates
        : HeadDefaultLearningRates.TryGetValue(head, out var preset) ? preset
        : LearningRates;

    public static StudyConfig Default => new();

    /// <summary>Under five minutes on a 2-core CPU: 20,000 training images, two seeds, short runs, but every arm.</summary>
    public static StudyConfig Quick => new()
    {
        Preset = "quick", Seeds = 2, Epochs = 6, FineTuneEpochs = 3, TuningEpochs = 2, TrainLimit = 20_000,
        LearningRates = [0.1, 0.3, 1.0],
    };

    public static StudyConfig Full => new()
    {
        Preset = "full", Seeds = 5, Epochs = 40, FineTuneEpochs = 10, TuningEpochs = 5, InitScales = [1, 2, 4, 8, 16],
        LearningRates = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0],
    };

    /// <summary>
    /// This preset for a table of <paramref name="features"/> feature columns: MLPs of width 2 × features (a power of two,
    /// 16 to 256) beside the linear model, batches of 32, no training limit, more epochs (a table of a few thousand rows
    /// gives far fewer steps per epoch than MNIST's 50,000 images), and, since such runs take a second, more seeds and a
    /// wider learning-rate grid.
    /// </summary>
    public StudyConfig ForTable(int features)
    {
        var width = (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, 2 * features)), 16, 256);
        var table = Preset switch
        {
            "quick" => this with { Seeds = 3, Epochs = 30, FineTuneEpochs = 10, TuningEpochs = 10, LearningRates = [0.03, 0.1, 0.3, 1.0] },
            "full" => this with { Seeds = 10, Epochs = 200, FineTuneEpochs = 50, TuningEpochs = 40, LearningRates = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0] },
            _ => this with { Seeds = 5, Epochs = 100, FineTuneEpochs = 30, TuningEpochs = 20, LearningRates = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0] },
        };
        return table with { Models = [$"mlp:{width},{width}", "linear"], BatchSize = 32, TrainLimit = null };
    }

    public static StudyConfig FromPreset(string name) => name switch
    {
        "quick" => Quick,
        "default" => Default,
        "full" => Full,
        _ => throw new FormatException($"unknown preset '{name}': expected quick, default or full"),
    };

    /// <summary>Throws FormatException with a message fit for a user.</summary>
    public void Validate()
    {
        Require(Heads.Count > 0, "name at least one head");
        Require(Models.Count > 0, "name at least one model");
        foreach (var head in Heads) using (HeadCatalog.Create(head)) { }
        foreach (var model in Models)
            Require(ModelSpec.Parse(model).Kind != ModelKind.Logistic, "the comparison uses one output per class: linear or mlp:...");
        Require(Heads.Distinct().Count() == Heads.Count, "a head is named twice");
        Engines.TrainingEngines.Parse(Engine);
        Training.LearningRateSchedule.Parse(Schedule, 1);
        Require(Seeds >= 1, $"seeds must be at least 1, got {Seeds}");
        Require(Epochs >= 1, $"epochs must be at least 1, got {Epochs}");
        Require(FineTuneEpochs >= 0, $"fine-tune epochs must be >= 0, got {FineTuneEpochs}");
        Require(TuningEpochs >= 1, $"tuning epochs must be at least 1, got {TuningEpochs}");
        Require(LabelNoise is >= 0 and < 1, $"the label-noise fraction must be in [0, 1), got {LabelNoise}");
        Require(TuningSeeds >= 1, $"tuning seeds must be at least 1, got {TuningSeeds}");
        Require(Momentum is >= 0 and < 1, $"momentum must be in [0, 1), got {Momentum}");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"weight decay must be a number >= 0, got {WeightDecay}");
        Require(LearningRates.Count > 0 && LearningRates.All(r => r > 0 && double.IsFinite(r)), "learning rates must be positive numbers");
        Require(LearningRates.Distinct().Count() == LearningRates.Count, "a learning rate is named twice");
        foreach (var (head, rates) in HeadLearningRates ?? new Dictionary<string, IReadOnlyList<double>>())
        {
            Require(Heads.Contains(head), $"--lr-grid-for {head}: the study has no head {head} (heads: {string.Join(", ", Heads)})");
            Require(rates.Count > 0 && rates.All(r => r > 0 && double.IsFinite(r)), $"--lr-grid-for {head}: learning rates must be positive numbers");
            Require(rates.Distinct().Count() == rates.Count, $"--lr-grid-for {head}: a learning rate is named twice");
        }
        Require(TrueClassWeight > 0 && double.IsFinite(TrueClassWeight), $"the true class's weight k must be a positive number, got {TrueClassWeight}");
        Require(TrueClassTarget > 0 && double.IsFinite(TrueClassTarget), $"the true class's target M must be a positive number, got {TrueClassTarget}");
        Require(InitScales.Distinct().Count() == InitScales.Count, "an init scale is named twice");
        Require(InitScales.All(s => s > 0 && double.IsFinite(s)), "init scales must be positive numbers");
        Require(ValidationSize is null or > 0, "the comparison picks learning rates on a validation split: --validation-size must be > 0");
        Require(TargetAccuracy is > 0 and < 1, $"target accuracy must lie in (0, 1), got {TargetAccuracy}");
        Runtime.Devices.Parse(Device);
        Table?.Validate();
    }

    static void Require(bool condition, string message)
    {
        if (!condition) throw new FormatException(message);
    }
}
