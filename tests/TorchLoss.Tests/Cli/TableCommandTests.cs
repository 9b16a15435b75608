using System.CommandLine;
using System.Text.Json.Nodes;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runtime;
using TorchLoss.Tests.Data.Tables;
using TorchLoss.Tests.Data;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`train`, `compare` and `data info` on a CSV file a user wrote, run in process as a user runs them. Serial:
/// training seeds libtorch and sets its thread counts (restored after each test).</summary>
[Collection(SerialCollection.Name)]
public sealed class TableCommandTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);
    readonly string csv;

    public TableCommandTests()
    {
        csv = temp["animals.csv"];
        File.WriteAllText(csv, TableFiles.Animals(rowsPerClass: 40));
    }

    public void Dispose()
    {
        threads.Apply();
        temp.Dispose();
    }

    static (int Code, string Output, string Error) Run(Func<DataCommandServices, Command> create, params string[] args) => InProcessCli.Run(create, args);

    string[] Train(string name, params string[] more) =>
    [
        "--dataset", $"csv:{csv}", "--model", "mlp:8", "--lr", "0.3", "--momentum", "0.9", "--batch", "16", "--epochs", "10",
        "--runs-dir", temp["runs"], "--name", name, .. more,
    ];

    [Fact]
    public void Train_on_a_csv_file_records_its_classes_split_and_standardisation()
    {
        var result = Run(TrainCommand.Create, Train("animals", "--label-column", "kind", "--split-seed", "4"));
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(temp["runs"], "animals", "config.json")))!;
        Assert.Equal($"csv:{csv}", (string?)config["config"]!["dataset"]);
        Assert.Equal(4UL, (ulong)config["config"]!["table"]!["split_seed"]!);
        var data = config["environment"]!["data"]!;
        Assert.Equal(["cat", "dog", "fox"], data["classes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["width", "height"], data["table"]!["feature_columns"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(2, data["standardization"]!["mean"]!.AsArray().Count);
        Assert.Contains("77 train, 19 validation, 24 test, 3 classes, 2 features standardised on the training split", (string?)config["environment"]!["data_description"]);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(temp["runs"], "animals", "summary.json")))!;
        Assert.True((double)summary["final_test_error"]! < 0.2, "the task is learnable");
    }

    [Fact]
    public void Resume_refuses_another_split()
    {
        Assert.Equal(ExitCodes.Ok, Run(TrainCommand.Create, Train("split")).Code);
        var resumed = Run(TrainCommand.Create, "--resume", Path.Combine(temp["runs"], "split"), "--split-seed", "9", "--epochs", "11");
        Assert.Equal(ExitCodes.UsageError, resumed.Code);
        Assert.Contains("--split-seed", resumed.Error);
    }

    [Theory]
    [InlineData("line 3 has 2 columns but the header has 3", "a,b,label\n1,2,x\n3,4\n", new string[0])]
    [InlineData("line 2, column 1 (b): 'x' is not a finite number", "a,b,label\n1,x,y\n3,4,z\n", new string[0])]
    [InlineData("--label-column 'species': ", "a,b,label\n1,2,x\n3,4,y\n", new[] { "--label-column", "species" })]
    [InlineData("--header 'maybe': expected auto, yes or no", "a,b,label\n1,2,x\n3,4,y\n", new[] { "--header", "maybe" })]
    [InlineData("the test split is empty (every class has a single row, which training keeps)", "a,b,label\n1,2,x\n3,4,y\n5,6,z\n", new string[0])]
    [InlineData("the validation split is empty (every class has a single row, which training keeps)", "a,b,label\n1,2,x\n3,4,y\n5,6,z\n", new[] { "--no-test" })]
    public void A_bad_table_is_one_line_and_exit_2(string problem, string text, string[] more)
    {
        File.WriteAllText(temp["bad.csv"], text);
        var result = Run(TrainCommand.Create, ["--dataset", $"csv:{temp["bad.csv"]}", "--runs-dir", temp["runs"], .. more]);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Contains(problem, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--label-column applies to table datasets; mnist is an image dataset", "mnist", "--label-column")]
    [InlineData("--skip-rows applies to csv: and tsv: files; digits defines its own columns and split", "digits", "--skip-rows")]
    public void Table_options_are_refused_where_they_cannot_apply(string message, string dataset, string option)
    {
        var result = Run(TrainCommand.Create, "--dataset", dataset, option, "1", "--runs-dir", temp["runs"]);
        Assert.Equal(ExitCodes.UsageError, result.Code);
        Assert.Equal($"torchloss: error: {message}", result.Error.Trim());
    }

    [Fact]
    public void Data_info_shows_each_class_in_each_split()
    {
        var result = Run(DataCommand.Create, "info", $"csv:{csv}", "--test-fraction", "0.25");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Contains("label column: last; 2 features: width, height", result.Output);
        Assert.Matches(@"\n1\s+dog\s+dog\s+24\s+6\s+10\n", result.Output);
        Assert.Matches(@"\nall\s+72\s+18\s+30\n", result.Output);
    }

    [Fact]
    public void Data_info_json_gives_the_same_counts_as_one_object()
    {
        var result = Run(DataCommand.Create, "info", $"csv:{csv}", "--test-fraction", "0.25", "--json");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        var info = System.Text.Json.JsonDocument.Parse(Assert.Single(result.Output.Trim().Split('\n'))).RootElement;
        Assert.Equal(["width", "height"], info.GetProperty("feature_columns").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((72, 18, 30), (info.GetProperty("train").GetInt32(), info.GetProperty("validation").GetInt32(), info.GetProperty("test").GetInt32()));
        var dog = info.GetProperty("classes")[1];
        Assert.Equal(("dog", 24, 6, 10), (dog.GetProperty("name").GetString(), dog.GetProperty("train").GetInt32(),
            dog.GetProperty("validation").GetInt32(), dog.GetProperty("test").GetInt32()));
    }

    [Fact]
    public void Compare_on_a_csv_file_sizes_its_models_and_says_how_the_data_was_split()
    {
        var result = Run(CompareCommand.Create, "--quick", "--dataset", $"csv:{csv}", "--heads", "softmax-ce,sigmoid-mse", "--seeds", "1",
            "--epochs", "4", "--fine-tune-epochs", "0", "--lr-grid", "0.3", "--tuning-epochs", "2", "--init-scales", "1", "--out", temp["study"]);
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.True(Directory.Exists(Path.Combine(temp["study"], "runs", "mlp-16-16_softmax-ce", "seed-1")), "2 features: MLPs of width 16");
        var report = File.ReadAllText(Path.Combine(temp["study"], "report.md"));
        Assert.Contains($"Data: {csv}, 2 features and 3 classes: 77 training, 19 validation and 24 test rows (a stratified test split", report);
        Assert.Contains("animals.csv has 3 classes", report);
    }

    [Fact]
    public void Eval_scores_every_row_of_another_file_with_the_runs_classes_and_refuses_its_own_validation_split_there()
    {
        Assert.Equal(ExitCodes.Ok, Run(TrainCommand.Create, Train("trained")).Code);
        File.WriteAllText(temp["more.csv"], TableFiles.Animals(rowsPerClass: 5, seed: 9));
        var run = Path.Combine(temp["runs"], "trained");
        var result = Run(EvalCommand.Create, run, "--dataset", $"csv:{temp["more.csv"]}");
        Assert.True(result.Code == ExitCodes.Ok, result.Error);
        Assert.Contains($"every row of csv:{temp["more.csv"]}: 15 examples", result.Output);
        Assert.Matches(@"
2\s+fox\s+5\s+", result.Output);
        var validation = Run(EvalCommand.Create, run, "--dataset", $"csv:{temp["more.csv"]}", "--split", "validation");
        Assert.Equal(ExitCodes.UsageError, validation.Code);
        Assert.Contains("--split validation scores the run's own validation split", validation.Error);
    }

    [Fact]
    public void Eval_reads_another_file_by_the_training_headers_names_in_any_order_and_refuses_other_columns()
    {
        Assert.Equal(ExitCodes.Ok, Run(TrainCommand.Create, Train("trained")).Code);
        var text = TableFiles.Animals(rowsPerClass: 5, seed: 9);
        File.WriteAllText(temp["more.csv"], text);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(','));
        File.WriteAllText(temp["reordered.csv"], string.Concat(rows.Select(f => $"{f[2]},{f[1]},{f[0]}\n")));
        var run = Path.Combine(temp["runs"], "trained");
        JsonNode Score(string file)
        {
            var result = Run(EvalCommand.Create, run, "--dataset", $"csv:{file}", "--json");
            Assert.True(result.Code == ExitCodes.Ok, result.Error);
            return JsonNode.Parse(result.Output)!;
        }
        var inOrder = Score(temp["more.csv"]);
        var reordered = Score(temp["reordered.csv"]);
        Assert.Equal(((double)inOrder["loss"]!, (double)inOrder["error"]!), ((double)reordered["loss"]!, (double)reordered["error"]!));
        Assert.True((double)inOrder["error"]! < 0.2, "the task is learnable");

        File.WriteAllText(temp["renamed.csv"], text.Replace("width", "breadth"));
        var renamed = Run(EvalCommand.Create, run, "--dataset", $"csv:{temp["renamed.csv"]}");
        Assert.Equal(ExitCodes.UsageError, renamed.Code);
        Assert.Equal($"torchloss: error: {temp["renamed.csv"]}: its columns are not the training file's (they are matched by header name, in any order): " +
                     "missing 'width'; extra 'breadth'", renamed.Error.Trim());
    }

    [Fact]
    public void Data_synthetic_writes_a_many_class_table_that_trains()
    {
        var path = temp["many.csv"];
        var made = Run(DataCommand.Create, "synthetic", "--classes", "20", "--rows-per-class", "30", "--features", "8", "--separation", "2", "--out", path);
        Assert.True(made.Code == ExitCodes.Ok, made.Error);
        Assert.Contains($"wrote 600 rows (20 classes x 30, 8 features, separation 2, seed 1) to {path}", made.Output);
        var trained = Run(TrainCommand.Create, "--dataset", $"csv:{path}", "--model", "linear", "--epochs", "5", "--batch", "16", "--lr", "0.3",
            "--runs-dir", temp["runs"], "--name", "many");
        Assert.True(trained.Code == ExitCodes.Ok, trained.Error);
        Assert.Contains("20 classes, 8 features", File.ReadAllText(Path.Combine(temp["runs"], "many", "config.json")));
    }
}
