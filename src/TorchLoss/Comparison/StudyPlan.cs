using System.Globalization;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Runs;
using TorchLoss.Training;

namespace TorchLoss.Comparison;

/// <summary>A training run of the study: its folder (relative to the study's output) and its settings.</summary>
public sealed record PlannedRun(string Folder, TrainConfig Config, Arm? Arm, int Seed);

/// <summary>
/// The study's runs in the order they must happen. Tuning: every head and model at every learning rate of the
/// grid, seeds 1..<see cref="StudyConfig.TuningSeeds"/>, without ever scoring the test split. Then, per seed, the arms: random init for every head and
/// model; from the cross-entropy arm's final weights, more epochs with each head (cross-entropy itself being the
/// control); and on the first MLP, every head at every init scale other than 1 (scale 1 is the random-init arm).
/// </summary>
public sealed class StudyPlan(StudyConfig config)
{
    /// <summary>The study folder's folders of tuning runs and of the arms' runs.</summary>
    public const string TuningDirectory = "tuning", RunsDirectory = "runs";

    public StudyConfig Config => config;

    public IEnumerable<PlannedRun> TuningRuns() =>
        from seed in Enumerable.Range(1, config.TuningSeeds)
        from model in config.Models
        from head in config.Heads
        from lr in config.LearningRatesFor(head)
        select new PlannedRun(TuningFolder(model, head, lr, seed),
            Base(model, head, seed) with { LearningRate = lr, Epochs = config.TuningEpochs, EvaluateTest = false }, null, seed);

    /// <summary>tuning/MODEL/HEAD/lr-R for seed 1 (as before there were more), lr-R_seed-N for the others.</summary>
    public string TuningFolder(string model, string head, double lr, int seed = 1) =>
        Path.Combine(TuningDirectory, Slug(model), head, $"lr-{lr.ToString(CultureInfo.InvariantCulture)}{(seed == 1 ? "" : $"_seed-{seed}")}");

    public IReadOnlyList<Arm> Arms()
    {
        var arms = new List<Arm>();
        foreach (var model in config.Models)
            arms.AddRange(config.Heads.Select(h => new Arm(ArmKind.RandomInit, model, h)));
        if (config.FineTuneEpochs > 0 && config.Heads.Contains(SoftmaxCrossEntropyHead.HeadName))
            foreach (var model in config.Models)
                arms.AddRange(config.Heads.Select(h => new Arm(ArmKind.FineTune, model, h)));
        if (SweepModel is { } sweep)
            foreach (var head in config.Heads)
                arms.AddRange(config.InitScales.Where(s => s != 1).Select(s => new Arm(ArmKind.InitScale, sweep, head, s)));
        return arms;
    }

    /// <summary>The model the init-scale sweep runs on: the first MLP (saturation needs hidden units).</summary>
    public string? SweepModel => config.Models.FirstOrDefault(m => ModelSpec.Parse(m).Kind == ModelKind.Mlp);

    /// <summary>The arms' runs for every seed; <paramref name="learningRate"/> gives each (model, head) its tuned rate.</summary>
    public IEnumerable<PlannedRun> ArmRuns(Func<string, string, double> learningRate, string outputDirectory)
    {
        var arms = Arms();
        for (var seed = 1; seed <= config.Seeds; seed++)
            foreach (var arm in arms)
            {
                var run = Base(arm.Model, arm.Head, seed) with { LearningRate = learningRate(arm.Model, arm.Head) };
                run = arm.Kind switch
                {
                    ArmKind.FineTune => run with
                    {
                        Epochs = config.FineTuneEpochs,
                        InitFrom = Path.GetFullPath(Path.Combine(outputDirectory,
                            ArmFolder(new Arm(ArmKind.RandomInit, arm.Model, SoftmaxCrossEntropyHead.HeadName), seed), RunFolder.ModelFile)),
                    },
                    ArmKind.InitScale => run with { InitScale = arm.InitScale },
                    _ => run,
                };
                yield return new PlannedRun(ArmFolder(arm, seed), run, arm, seed);
            }
    }

    public static string ArmFolder(Arm arm, int seed) => Path.Combine(RunsDirectory, arm.Name, $"seed-{seed}");

    TrainConfig Base(string model, string head, int seed) => new()
    {
        Dataset = config.Dataset,
        Head = head,
        Model = model,
        Momentum = config.Momentum,
        WeightDecay = config.WeightDecay,
        Schedule = config.Schedule,
        BatchSize = config.BatchSize,
        Epochs = config.Epochs,
        Seed = (ulong)seed,
        Device = config.Device,
        Engine = config.Engine,
        Threads = config.Threads,
        BlasThreads = config.BlasThreads,
        TrainLimit = config.TrainLimit,
        LabelNoise = config.LabelNoise,
        ValidationSize = config.ValidationSize,
        Table = config.Table,
        TrueClassWeight = config.TrueClassWeight,
        TrueClassTarget = config.TrueClassTarget,
    };

    static string Slug(string model) => model.Replace(':', '-').Replace(',', '-');
}
