using System.Globalization;
using TorchLoss.Data.Tables;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;

namespace TorchLoss.Cli.Commands;

/// <summary>The `torchloss train` arguments that produce a run with a given config (every setting that differs from
/// train's defaults), e.g. for each run of `compare --plan`.</summary>
public static class TrainCommandLine
{
    static readonly TrainConfig Defaults = new();

    public static IReadOnlyList<string> For(TrainConfig c, string runsDirectory, string name)
    {
        var args = new List<string> { "train" };
        void Add<T>(string option, T value, T defaultValue)
        {
            if (!EqualityComparer<T>.Default.Equals(value, defaultValue)) args.AddRange([option, Text(value)]);
        }
        void Flag(string option, bool on)
        {
            if (on) args.Add(option);
        }
        Add("--dataset", c.Dataset, Defaults.Dataset);
        Add("--head", c.Head, Defaults.Head);
        Add("--model", c.Model, Defaults.Model);
        Add("--hidden-activation", c.HiddenActivation, Defaults.HiddenActivation);
        if (c.MseReduction != Defaults.MseReduction) args.AddRange(["--mse-reduction", c.MseReduction == SquaredErrorReduction.HalfSum ? "half-sum" : "mean"]);
        Add("--true-class-weight", c.TrueClassWeight, Defaults.TrueClassWeight);
        Add("--true-class-target", c.TrueClassTarget, Defaults.TrueClassTarget);
        Add("--init-scale", c.InitScale, Defaults.InitScale);
        Add("--init-from", c.InitFrom, Defaults.InitFrom);
        Add("--optimizer", c.Optimizer, Defaults.Optimizer);
        args.AddRange(["--lr", Text(c.LearningRate)]); // always given: in a study, it is what tuning chose
        Add("--momentum", c.Momentum, Defaults.Momentum);
        Flag("--nesterov", c.Nesterov);
        Add("--weight-decay", c.WeightDecay, Defaults.WeightDecay);
        Add("--batch", c.BatchSize, Defaults.BatchSize);
        Add("--epochs", c.Epochs, Defaults.Epochs);
        Add("--schedule", c.Schedule, Defaults.Schedule);
        Add("--early-stop", c.EarlyStopPatience, Defaults.EarlyStopPatience);
        Add("--seed", c.Seed, Defaults.Seed);
        Add("--device", c.Device, Defaults.Device);
        Add("--engine", c.Engine, Defaults.Engine);
        Add("--threads", c.Threads, Defaults.Threads);
        Add("--blas-threads", c.BlasThreads, Defaults.BlasThreads);
        Add("--log-every", c.LogEvery, Defaults.LogEvery);
        Flag("--no-step-stats", !c.StepStatistics);
        Flag("--no-test", !c.EvaluateTest);
        Add("--validation-size", c.ValidationSize, Defaults.ValidationSize);
        Add("--train-limit", c.TrainLimit, Defaults.TrainLimit);
        Add("--label-noise", c.LabelNoise, Defaults.LabelNoise);
        if (c.Standardize is bool standardize) args.AddRange(["--standardize", standardize ? "true" : "false"]);
        Add("--binary", c.BinaryTask, Defaults.BinaryTask);
        if (c.Table is { } table) args.AddRange(TableArguments(table, TableDatasets.IsFile(c.Dataset)));
        Add("--data-dir", c.DataDirectory, Defaults.DataDirectory);
        args.AddRange(["--runs-dir", runsDirectory, "--name", name]);
        return args;
    }

    /// <summary>The table options that differ from their defaults; a table of the manifest takes only the split's.</summary>
    public static IEnumerable<string> TableArguments(TableOptions t, bool isFile)
    {
        var defaults = new TableOptions();
        if (isFile)
        {
            if (t.LabelColumn is { } label) yield return $"--label-column={label}"; // "=": a label column "-1" is not an option
            if (t.FeatureColumns is { } features) yield return $"--feature-columns={features}";
            if (t.SkipRows != defaults.SkipRows) { yield return "--skip-rows"; yield return Text(t.SkipRows); }
            if (t.Header != defaults.Header) { yield return "--header"; yield return t.Header == HeaderMode.Present ? "yes" : "no"; }
            if (t.TestFile is { } test) { yield return "--test-file"; yield return test; }
        }
        if (t.TestFraction != defaults.TestFraction) { yield return "--test-fraction"; yield return Text(t.TestFraction); }
        if (t.SplitSeed != defaults.SplitSeed) { yield return "--split-seed"; yield return Text(t.SplitSeed); }
    }

    /// <summary>The arguments as one line a POSIX shell reads back unchanged.</summary>
    public static string Shell(IEnumerable<string> args) => string.Join(' ', args.Select(Quote));

    static string Quote(string word) =>
        word.Length > 0 && word.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_.,:/=+@%".Contains(ch)) ? word : $"'{word.Replace("'", "'\\''")}'";

    static string Text<T>(T value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        HiddenActivation a => a.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };
}
