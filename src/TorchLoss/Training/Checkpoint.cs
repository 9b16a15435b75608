using TorchLoss.Reporting;
using TorchLoss.Torch;
using TorchLoss.Torch.NN;
using TorchLoss.Torch.Optim;

namespace TorchLoss.Training;

/// <summary>Saves and restores model, optimizer state and <see cref="TrainingState"/> in a run folder. The state
/// file is written last: a checkpoint counts only once its state file names it.</summary>
public static class Checkpoint
{
    public static void Save(RunFolder run, Module model, Optimizer optimizer, TrainingState state)
    {
        model.Save(run.File(RunFolder.ModelFile));
        ParameterFile.Write(run.File(RunFolder.OptimizerFile), optimizer.State());
        JsonFiles.Write(run.File(RunFolder.StateFile), state);
    }

    public static TrainingState Load(RunFolder run, Module model, Optimizer optimizer)
    {
        if (!run.HasCheckpoint) throw new InvalidDataException($"{run.Path} has no checkpoint ({RunFolder.StateFile} is missing): nothing to resume");
        var state = JsonFiles.Read<TrainingState>(run.File(RunFolder.StateFile));
        model.Load(run.File(RunFolder.ModelFile));
        var optimizerState = ParameterFile.Read(run.File(RunFolder.OptimizerFile));
        try { optimizer.LoadState(optimizerState, state.OptimizerSteps); }
        finally { foreach (var t in optimizerState.Values) t.Dispose(); }
        return state;
    }
}
