using TorchLoss.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Training;

/// <summary>Loads the data a <see cref="TrainConfig"/> names onto its device, fetching the dataset on first use.</summary>
public static class TrainingData
{
    public static DataOptions Options(TrainConfig config) => new()
    {
        ValidationSize = config.ValidationSize,
        TrainLimit = config.TrainLimit,
        Standardize = config.Standardize,
        Binary = config.BinaryTask is { } b ? BinaryTask.Parse(b) : null,
    };

    public static ClassificationData Load(TrainConfig config, DatasetStore store, IProgress<FetchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var device = Runtime.Devices.Parse(config.Device);
        Runtime.Devices.EnsureAvailable(device);
        var options = Options(config);
        var files = store.EnsureAsync(config.Dataset, progress, cancellationToken).GetAwaiter().GetResult();
        return files.Load(options, device);
    }
}
