using TorchLoss.Benchmarking;
using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Models;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Comparison;

/// <summary>A study's expected training time on this machine: each unfinished run's seconds, and the sum per phase.</summary>
public sealed record StudyEstimate(IReadOnlyDictionary<string, double> SecondsByFolder, IReadOnlyDictionary<StudyPhase, double> SecondsByPhase,
    int CalibrationSteps)
{
    /// <summary>What a run costs besides its steps and evaluation: checkpoints, predictions, ML.NET's evaluation, the
    /// model export, plots and report. `compare --quick` studies spent 0.28-0.44 s per run outside the training steps
    /// here, evaluation included.</summary>
    public const double PerRunSeconds = 0.25;

    public double TotalSeconds => SecondsByPhase.Values.Sum();

    /// <summary>
    /// Times train's own step (the study's engine, batch and threads) for <paramref name="calibrationSteps"/> steps per
    /// distinct (model, head) on data of the study's shape, then gives every unfinished run epochs × steps per epoch of
    /// it. Each epoch's evaluation (validation, and test where the run scores it, plus the initial model's) counts as
    /// forward passes at a third of a training step's cost per example, and every run pays <see cref="PerRunSeconds"/>
    /// for its files. Finished runs count zero.
    /// </summary>
    public static StudyEstimate Of(StudyConfig config, StudySchedule schedule, ClassificationData data, int calibrationSteps = 20)
    {
        var stepSeconds = new Dictionary<(string Model, string Head), double>();
        var bySeconds = new Dictionary<string, double>();
        var byPhase = new Dictionary<StudyPhase, double>();
        var device = Devices.Parse(config.Device);
        var engine = TrainingEngines.Parse(config.Engine);
        var before = new ThreadSettings(TorchRuntime.Threads, TorchRuntime.BlasThreads);
        try
        {
            foreach (var step in schedule.Steps)
            {
                byPhase.TryAdd(step.Phase, 0);
                if (step.Status == StepStatus.Finished) continue;
                var run = step.Run.Config;
                var key = (run.Model, run.Head);
                if (!stepSeconds.TryGetValue(key, out var perStep))
                    stepSeconds[key] = perStep = Calibrate(config, run, data, device, engine, calibrationSteps);
                var stepsPerEpoch = (data.Train.Count + run.BatchSize - 1) / run.BatchSize;
                var evaluated = data.Validation.Count + (run.EvaluateTest ? data.Test.Count : 0);
                var seconds = run.Epochs * stepsPerEpoch * perStep + (run.Epochs + 1) * evaluated * perStep / (3.0 * run.BatchSize) + PerRunSeconds;
                bySeconds[step.Run.Folder] = seconds;
                byPhase[step.Phase] += seconds;
            }
        }
        finally
        {
            before.Apply();
        }
        return new StudyEstimate(bySeconds, byPhase, calibrationSteps);
    }

    static double Calibrate(StudyConfig config, TrainConfig run, ClassificationData data, TorchSharp.torch.Device device, TrainingEngine engine,
        int steps)
    {
        var widths = ModelSpec.Parse(run.Model).Widths(data.Features, data.ClassCount);
        var size = ThreadSettings.ForwardMultiplyAdds(run.BatchSize, ModelSpec.ParameterCount(widths));
        var resolved = engine == TrainingEngine.Auto ? TrainingEngine.Fused : engine;
        ThreadSettings.Resolve(config.Threads, config.BlasThreads, resolved, size).Apply(resolved);
        var settings = new BenchSettings { WarmupSteps = Math.Max(1, steps / 4), Steps = steps, Repetitions = 1 };
        return 1 / TrainingThroughput.StepsPerSecond(device, engine, run.Head, widths, run.BatchSize, settings).Median;
    }
}
