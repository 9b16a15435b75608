using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Runs;

/// <summary>
/// Saves and restores model, optimizer state and <see cref="TrainingState"/> in a run folder. Each epoch's
/// parameters go to files of their own under checkpoints/, and state.json, written last, names them: a process
/// killed at any moment leaves the previous state.json naming complete files of the previous epoch. Only then are
/// older checkpoints removed and model.params (the latest model, for users and --init-from) replaced.
/// </summary>
public static class Checkpoint
{
    public const string Directory = "checkpoints";

    public static void Save(RunFolder run, nn.Module model, optim.Optimizer optimizer, TrainingState state)
    {
        System.IO.Directory.CreateDirectory(run.File(Directory));
        var (modelFile, optimizerFile) = TrainingStateCheck.CheckpointFiles(state.Epoch);
        ModelFile.Save(model, run.File(modelFile));
        ParameterFile.Write(run.File(optimizerFile), optimizer.State());
        JsonFiles.Write(run.File(RunFolder.StateFile), state with { ModelCheckpoint = modelFile, OptimizerCheckpoint = optimizerFile });
        Settle(run, modelFile, optimizerFile);
    }

    /// <summary>What follows state.json: older checkpoints removed, model.params made the checkpoint's model. Done again
    /// on resume, since a process stopped after state.json was written may not have got this far.</summary>
    static void Settle(RunFolder run, string modelFile, string optimizerFile)
    {
        foreach (var old in System.IO.Directory.GetFiles(run.File(Directory)))
            if (Path.GetFileName(old) != Path.GetFileName(modelFile) && Path.GetFileName(old) != Path.GetFileName(optimizerFile))
                File.Delete(old);
        FaultInjection.Reached("checkpoint:pruned");
        AtomicFile.Copy(run.File(modelFile), run.File(RunFolder.ModelFile));
    }

    public static TrainingState Load(RunFolder run, nn.Module model, optim.Optimizer optimizer)
    {
        var state = run.ReadStateToResume()
                    ?? throw new InvalidDataException($"{run.Path} has no checkpoint ({RunFolder.StateFile} is missing): nothing to resume");
        if (state.ModelCheckpoint is not { } modelFile || state.OptimizerCheckpoint is not { } optimizerFile)
            throw new InvalidDataException($"{run.File(RunFolder.StateFile)} names no checkpoint files: nothing to resume");
        ModelFile.Load(model, run.File(modelFile));
        var optimizerState = ParameterFile.Read(run.File(optimizerFile));
        try { optimizer.LoadState(optimizerState); }
        finally { foreach (var t in optimizerState.Values) t.Dispose(); }
        Settle(run, modelFile, optimizerFile);
        return state;
    }
}
