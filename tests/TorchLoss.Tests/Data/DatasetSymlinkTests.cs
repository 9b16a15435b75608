using System.CommandLine;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

/// <summary>Dataset files that are symbolic links (real ones): judged, verified, kept and read by what they point to;
/// a dangling link is missing, and a fetch replaces a dangling or corrupt link itself, never writing through it.</summary>
public sealed class DatasetSymlinkTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly TempDirectory elsewhere = new();
    readonly Dictionary<string, byte[]> files = TinyDataset.Files();
    readonly StringWriter output = new();

    DatasetStore Store(FakeSource? source = null) => new(temp.Path, TinyDataset.Manifest(files), _ => source is null ? [] : [source]);

    string PathOf(string file) => Path.Combine(temp.Path, TinyDataset.Name, file);

    /// <summary>Every file of the dataset written elsewhere and linked into the data directory.</summary>
    void LinkAll()
    {
        Directory.CreateDirectory(temp[TinyDataset.Name]);
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(elsewhere[name], bytes);
            File.CreateSymbolicLink(PathOf(name), elsewhere[name]);
        }
    }

    int Run(params string[] args)
    {
        var services = new DataCommandServices(TinyDataset.Manifest(files), _ => [], output, ShowProgress: false);
        return CliRunner.Run(new RootCommand("test") { DataCommand.Create(services) }, [.. args, "--data-dir", temp.Path], TextWriter.Null);
    }

    [Fact]
    public void A_link_to_a_verified_file_is_ok_and_says_where_it_points()
    {
        LinkAll();
        var checks = Store().Verify(TinyDataset.Name);
        Assert.All(checks, c => Assert.Equal(FileState.Ok, c.State));
        Assert.All(checks, c => Assert.Equal(elsewhere[c.File.Name], c.LinkTarget));

        Assert.Equal(ExitCodes.Ok, Run("data", "verify", "tiny"));
        Assert.Contains($"  ok          {TinyDataset.TrainImages} (a symbolic link to {elsewhere[TinyDataset.TrainImages]})", output.ToString());
    }

    [Fact]
    public async Task A_fetch_keeps_valid_links_as_links_and_reads_through_them()
    {
        LinkAll();
        var source = new FakeSource("package", files);
        var report = await Store(source).FetchAsync(TinyDataset.Name);
        Assert.All(report.Outcomes, o => Assert.Equal(FetchAction.AlreadyPresent, o.Action));
        Assert.Equal(0, source.Calls);
        Assert.All(files.Keys, name => Assert.Equal(elsewhere[name], new FileInfo(PathOf(name)).LinkTarget));
        Assert.Equal(30, report.Files.LoadTrain().Count);
    }

    [Fact]
    public void A_link_to_a_linked_file_is_followed_to_the_end()
    {
        LinkAll();
        File.Delete(PathOf(TinyDataset.TestLabels));
        File.CreateSymbolicLink(elsewhere["hop"], elsewhere[TinyDataset.TestLabels]);
        File.CreateSymbolicLink(PathOf(TinyDataset.TestLabels), elsewhere["hop"]);
        var check = Store().Verify(TinyDataset.Name).Single(c => c.File.Name == TinyDataset.TestLabels);
        Assert.Equal((FileState.Ok, elsewhere[TinyDataset.TestLabels]), (check.State, check.LinkTarget));
    }

    [Fact]
    public async Task A_dangling_link_is_missing_and_the_fetch_replaces_the_link_not_its_target()
    {
        LinkAll();
        File.Delete(elsewhere[TinyDataset.TrainLabels]);
        var check = Store().Verify(TinyDataset.Name).Single(c => c.File.Name == TinyDataset.TrainLabels);
        Assert.Equal(FileState.Missing, check.State);
        Assert.Equal($"a symbolic link to {elsewhere[TinyDataset.TrainLabels]}, which does not exist", check.Problem);
        Assert.Equal(ExitCodes.Failed, Run("data", "verify", "tiny"));
        Assert.Contains($"  MISSING     {PathOf(TinyDataset.TrainLabels)}: a symbolic link to {elsewhere[TinyDataset.TrainLabels]}, which does not exist; " +
                        "run `torchloss data fetch tiny`", output.ToString());

        var report = await Store(new FakeSource("package", files)).FetchAsync(TinyDataset.Name);

        var outcome = report.Outcomes.Single(o => o.File.Name == TinyDataset.TrainLabels);
        Assert.Equal((FetchAction.Fetched, elsewhere[TinyDataset.TrainLabels]), (outcome.Action, outcome.ReplacedLinkTo));
        Assert.Null(new FileInfo(PathOf(TinyDataset.TrainLabels)).LinkTarget);
        Assert.Equal(files[TinyDataset.TrainLabels], File.ReadAllBytes(PathOf(TinyDataset.TrainLabels)));
        Assert.False(File.Exists(elsewhere[TinyDataset.TrainLabels]), "the fetch wrote through the dangling link");
        Assert.Equal(elsewhere[TinyDataset.TrainImages], new FileInfo(PathOf(TinyDataset.TrainImages)).LinkTarget);
    }

    [Fact]
    public async Task A_link_to_a_corrupt_file_is_replaced_and_the_file_it_points_to_is_left_alone()
    {
        LinkAll();
        var corrupt = files[TinyDataset.TestImages].Reverse().ToArray();
        File.WriteAllBytes(elsewhere[TinyDataset.TestImages], corrupt);
        var check = Store().Verify(TinyDataset.Name).Single(c => c.File.Name == TinyDataset.TestImages);
        Assert.Equal(FileState.Corrupt, check.State);
        Assert.EndsWith($"(in {elsewhere[TinyDataset.TestImages]}, which the symbolic link points to)", check.Problem);

        var report = await Store(new FakeSource("package", files)).FetchAsync(TinyDataset.Name);

        var outcome = report.Outcomes.Single(o => o.File.Name == TinyDataset.TestImages);
        Assert.Equal((FetchAction.ReplacedCorrupt, elsewhere[TinyDataset.TestImages]), (outcome.Action, outcome.ReplacedLinkTo));
        Assert.Equal(files[TinyDataset.TestImages], File.ReadAllBytes(PathOf(TinyDataset.TestImages)));
        Assert.Equal(corrupt, File.ReadAllBytes(elsewhere[TinyDataset.TestImages]));
    }

    [Fact]
    public void The_fetch_command_says_which_link_it_replaced()
    {
        var report = new FetchReport(new DatasetFiles(TinyDataset.Spec(files), temp.Path),
            [new FileFetchOutcome(TinyDataset.Spec(files).Files[0], FetchAction.Fetched, "package", [], "/mnt/gone/file")]);
        DataFetchCommand.Print(report, output);
        Assert.Contains("fetched from package, checksum ok (it replaces a symbolic link to /mnt/gone/file, which is left as it was)", output.ToString());
    }

    [Fact]
    public void A_loop_of_links_is_unreadable_not_a_crash()
    {
        LinkAll();
        File.Delete(PathOf(TinyDataset.TestLabels));
        File.CreateSymbolicLink(PathOf(TinyDataset.TestLabels), elsewhere["loop"]);
        File.CreateSymbolicLink(elsewhere["loop"], PathOf(TinyDataset.TestLabels));
        var check = Store().Verify(TinyDataset.Name).Single(c => c.File.Name == TinyDataset.TestLabels);
        Assert.Equal(FileState.Unreadable, check.State);

        // Fetching does not replace what it cannot read (an unreadable file takes the same path): it says why.
        var source = new FakeSource("package", files);
        var e = Assert.Throws<DataDirectoryException>(() => Store(source).Ensure(TinyDataset.Name));
        Assert.StartsWith($"cannot read {PathOf(TinyDataset.TestLabels)}: ", e.Message);
        Assert.EndsWith("; fix its permissions, or remove it and fetch again", e.Message);
        Assert.True(new FileInfo(PathOf(TinyDataset.TestLabels)).LinkTarget is not null, "the link was replaced");
    }

    [Fact]
    public void A_dataset_directory_that_is_a_link_is_followed()
    {
        var real = Directory.CreateDirectory(elsewhere["tiny-real"]).FullName;
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(real, name), bytes);
        Directory.CreateSymbolicLink(temp[TinyDataset.Name], real);
        Assert.All(Store().Verify(TinyDataset.Name), c => Assert.Equal(FileState.Ok, c.State));
        Assert.Equal(10, Store().Ensure(TinyDataset.Name).LoadTest().Count);
    }

    public void Dispose()
    {
        temp.Dispose();
        elsewhere.Dispose();
        output.Dispose();
    }
}
