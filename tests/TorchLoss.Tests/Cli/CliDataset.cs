using System.CommandLine;
using System.Security.Cryptography;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Data;
using TorchLoss.Tests.Data;
using TorchLoss.Tests.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>
/// <see cref="SyntheticImages"/>' learnable task as a dataset on disk ("rows": 6x6 images, class c lights up row c),
/// listed in a manifest of its own, with a data folder and a runs folder: `train` and `compare` run through the CLI
/// on it in seconds, without MNIST. Everything lives in one temporary folder, deleted on dispose.
/// </summary>
sealed class CliDataset : IDisposable
{
    public const string Name = "rows";
    readonly TempDirectory root = new();

    public CliDataset(int train = 300, int test = 100, int classes = 4)
    {
        var files = new Dictionary<string, byte[]>();
        void Add(string images, string labels, LabelledImages split)
        {
            files[images] = IdxWriter.Write([split.Count, split.Height, split.Width], split.Pixels);
            files[labels] = IdxWriter.Labels(split.Labels);
        }
        Add(TinyDataset.TrainImages, TinyDataset.TrainLabels, SyntheticImages.Make(train, classes, seed: 1));
        Add(TinyDataset.TestImages, TinyDataset.TestLabels, SyntheticImages.Make(test, classes, seed: 2));
        var directory = Directory.CreateDirectory(Path.Combine(DataDirectory, Name));
        foreach (var (file, bytes) in files) File.WriteAllBytes(Path.Combine(directory.FullName, file), bytes);
        Manifest = new([new DatasetSpec(Name, "rows of 6x6 images (test data)", Enumerable.Range(0, classes).Select(c => $"row {c}").ToArray(),
            files.Select(f => new DatasetFileSpec(f.Key, f.Value.Length, Convert.ToHexStringLower(SHA256.HashData(f.Value)))).ToArray(),
            [new SourceSpec(SourceSpec.Https, Url: "https://example.invalid/{file}")],
            new SplitFiles(TinyDataset.TrainImages, TinyDataset.TrainLabels), new SplitFiles(TinyDataset.TestImages, TinyDataset.TestLabels))]);
    }

    public DatasetManifest Manifest { get; }

    /// <summary>The dataset's store, for code that trains through the library.</summary>
    public DatasetStore Store => new(DataDirectory, Manifest);

    public string DataDirectory => root["data"];

    public string RunsDirectory => root["runs"];

    public string this[string relative] => root[relative];

    /// <summary>Runs `torchloss COMMAND ARGS --dataset rows --data-dir ...` in-process: exit code, stdout, stderr.</summary>
    public (int Code, string Output, string Error) Run(Func<DataCommandServices, Command> command, params string[] args) =>
        Run(command, new StringWriter(), default, args);

    /// <summary>As <see cref="Run(Func{DataCommandServices, Command}, string[])"/>, writing stdout to <paramref name="output"/>
    /// and running under <paramref name="cancellationToken"/> (as if SIGINT cancelled it).</summary>
    public (int Code, string Output, string Error) Run(Func<DataCommandServices, Command> command, StringWriter output,
        CancellationToken cancellationToken, params string[] args)
    {
        var stderr = new StringWriter();
        var created = command(new DataCommandServices(Manifest, null, output, ShowProgress: false));
        var rootCommand = new RootCommand("test") { created };
        var code = CliRunner.Run(rootCommand, [created.Name, .. args, "--dataset", Name, "--data-dir", DataDirectory], stderr, cancellationToken);
        return (code, output.ToString(), stderr.ToString());
    }

    public void Dispose() => root.Dispose();
}
