using TorchLoss.Data;
using TorchLoss.Data.Tables;
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
        ScoresTest = config.EvaluateTest,
    };

    public static ClassificationData Load(TrainConfig config, DatasetStore store, IProgress<FetchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var device = Runtime.Devices.Parse(config.Device);
        Runtime.Devices.EnsureAvailable(device);
        var options = Options(config);
        if (TableDatasets.TryParse(config.Dataset, out var table)) return TableData.Load(table, config.Table ?? new TableOptions(), options, device);
        var files = store.EnsureAsync(config.Dataset, progress, cancellationToken).GetAwaiter().GetResult();
        if (config.Table is { } split && !files.Spec.IsTable)
            throw new FormatException($"{config.Dataset} is an image dataset: the table options (--label-column, --test-fraction, ...) do not apply");
        return files.Load(options, device, config.Table);
    }
}
