using System.CommandLine;
using TorchLoss.Data.Tables;

namespace TorchLoss.Cli.Commands;

/// <summary>`torchloss data synthetic`: writes a seeded many-class Gaussian-cluster table to train and compare on.</summary>
public static class DataSyntheticCommand
{
    public static Command Create(DataCommandServices services)
    {
        var classes = NumericOptions.Int("--classes", $"Classes (clusters), 2 to {SyntheticTable.MaxClasses}.", 100, min: 2, max: SyntheticTable.MaxClasses);
        var features = NumericOptions.Int("--features", $"Feature columns, 1 to {SyntheticTable.MaxFeatures}.", 32, min: 1, max: SyntheticTable.MaxFeatures);
        var rows = NumericOptions.Int("--rows-per-class", "Rows of each class.", 200, min: 1);
        var separation = NumericOptions.Double("--separation", "Standard deviation of the cluster centers' coordinates (the noise has 1): larger is easier.", 0.7, positive: true, max: 1e6);
        var seed = NumericOptions.Seed("--seed", "Seed of the centers and the noise.", 1);
        var output = PathOptions.Path("--out", "The CSV file to write.", "synthetic.csv").Shows("FILE");
        var command = new Command("synthetic",
            "Write a seeded table of Gaussian clusters, one per class (default 100 classes x 200 rows, 32 features), as CSV: " +
            "a many-class task (Golik et al. trained softmax outputs over thousands of states) for train and compare (--dataset csv:FILE).")
        {
            classes, features, rows, separation, seed, output,
        };
        command.SetAction(parse =>
        {
            var table = new SyntheticTable(parse.GetValue(classes), parse.GetValue(features), parse.GetValue(rows), parse.GetValue(separation), parse.GetValue(seed));
            var path = Path.GetFullPath(parse.GetValue(output)!);
            table.Write(path);
            services.Output.WriteLine($"wrote {table.Rows} rows ({table.Classes} classes x {table.RowsPerClass}, {table.Features} features, separation " +
                                      $"{Numbers.General(table.Separation)}, seed {table.Seed}) to {path}; train on it with --dataset csv:{path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
