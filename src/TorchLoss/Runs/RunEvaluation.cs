using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runs;

/// <summary>One class's share of an evaluation: how many examples have it and how many of them were predicted right.</summary>
public sealed record ClassScore(int Class, string Name, int Examples, int Correct)
{
    public double Accuracy => Examples == 0 ? double.NaN : (double)Correct / Examples;
}

/// <summary>A run's model scored on one split: the head's mean loss, the error, each class's accuracy and the
/// confusion matrix (rows: the true class, columns: the predicted one), and ML.NET's multiclass evaluation of the same
/// predictions as an independent check.</summary>
public sealed record EvaluationResult(
    string Run,
    string ModelFile,
    string Dataset,
    string Split,
    int Examples,
    double Loss,
    double Error,
    IReadOnlyList<ClassScore> PerClass,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix,
    MlNetMetrics MlNet)
{
    public double Accuracy => 1 - Error;
}

/// <summary>Which of a run's splits <see cref="RunEvaluation"/> scores.</summary>
public enum EvaluationSplit { Test, Validation }

/// <summary>Loads a run's model (its final model.params or its best.params) as its config.json builds it, and scores it on
/// a split of data loaded the way the run's were (or on other data with the same inputs and classes).</summary>
public static class RunEvaluation
{
    /// <summary>The run's settings, refusing a folder that is no run, a run of the old binding, or one without the model file.</summary>
    public static RunConfigFile ReadRun(RunFolder run, bool best)
    {
        RunConfigFile? read;
        try { read = run.ReadConfig(); }
        catch (NotARunConfigException e)
        {
            throw new InvalidDataException($"cannot evaluate {e.Folder}: it is not a TorchLoss run folder ({e.Reason})");
        }
        var file = read ?? throw new InvalidDataException(run.Exists
            ? $"{run.Path} holds no run ({RunFolder.ConfigFile} is missing)"
            : $"{run.Path} is not a run folder (it does not exist)");
        if (file.FormatMismatch is { } why) throw new InvalidDataException($"cannot evaluate {run.Path}: {why}");
        var model = run.File(best ? RunFolder.BestModelFile : RunFolder.ModelFile);
        if (!File.Exists(model))
            throw new FileNotFoundException(best
                ? $"{run.Path} has no {RunFolder.BestModelFile} (it never finished an epoch with a validation split)"
                : $"{run.Path} has no {RunFolder.ModelFile} (it was interrupted before its first checkpoint)");
        return file;
    }

    public static EvaluationResult Evaluate(RunFolder run, RunConfigFile file, ClassificationData data, EvaluationSplit split, bool best, string dataset)
    {
        var config = file.EffectiveConfig;
        var scored = split == EvaluationSplit.Test ? data.Test : data.Validation;
        if (scored.Count == 0)
            throw new InvalidDataException($"the {split.ToString().ToLowerInvariant()} split of {dataset} is empty (the run held out no validation examples?)");
        var spec = ModelSpec.Parse(config.Model, config.HiddenActivation);
        using var head = HeadCatalog.Create(config.Head, config.HeadOptions);
        using var model = spec.Build(data.Features, data.ClassCount, data.Device);
        var modelPath = run.File(best ? RunFolder.BestModelFile : RunFolder.ModelFile);
        ModelFile.Load(model, modelPath);
        model.eval();
        // Scored as the run scored itself, so that eval gives the digits in its metrics.
        var engine = file.Environment.Engine is { } name ? TrainingEngines.Parse(name) : TrainingEngine.Autograd;
        var score = TrainingEngines.Score(engine, model, head, scored, file.Environment.IntraOpThreads)!;
        var predictions = Evaluation.Predictions(model, head, scored);
        var (labels, predicted) = (predictions.Labels, predictions.Predicted);
        var confusion = Enumerable.Range(0, data.ClassCount).Select(_ => new int[data.ClassCount]).ToArray();
        for (var i = 0; i < labels.Length; i++) confusion[labels[i]][predicted[i]]++;
        var perClass = Enumerable.Range(0, data.ClassCount)
            .Select(c => new ClassScore(c, data.ClassNames[c], confusion[c].Sum(), confusion[c][c])).ToArray();
        return new EvaluationResult(run.Path, modelPath, dataset, split.ToString().ToLowerInvariant(), scored.Count, score.Loss, score.Error,
            perClass, confusion, MlNetEvaluation.Evaluate(predictions));
    }
}
