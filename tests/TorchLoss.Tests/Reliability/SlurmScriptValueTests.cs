using System.Diagnostics;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Tests.Cli;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Reliability;

/// <summary>What `compare --slurm` writes into its scripts: a value with a control character is refused before anything
/// is written (a newline in --partition once became a command that bash ran), and paths with spaces, quotes, % and # are
/// quoted so that sbatch's directives and bash's lines read them back whole.</summary>
public sealed class SlurmScriptValueTests : IDisposable
{
    readonly CliDataset data = new();
    readonly TempDirectory root = new();

    public void Dispose()
    {
        root.Dispose();
        data.Dispose();
    }

    /// <summary>A folder name with what a shell or sbatch would read otherwise: spaces, both quotes, %, # and $.</summary>
    const string AwkwardName = "a study 100% 'one' \"two\" #3 $HOME";

    (int Code, string Output, string Error) Slurm(params string[] args) =>
        data.Run(CompareCommand.Create, ["--heads", "softmax-ce", "--models", "linear", "--fine-tune-epochs", "0", "--slurm", .. args]);

    public static TheoryData<string, string, string> ControlCharacters() => new()
    {
        { "--partition", "gpu\ntouch pwned", "--partition: 'gpu\\ntouch pwned' holds a control character (U+000A), which a Slurm script cannot hold" },
        { "--partition", "gpu\r", "--partition: 'gpu\\r' holds a control character (U+000D)" },
        { "--partition", "gpu\u001b[2J", "--partition: 'gpu\\x1b[2J' holds a control character (U+001B)" },
        { "--partition", "gpu\u0085", "--partition: 'gpu\\x85' holds a control character (U+0085)" },
        { "--time", "10\n", "--time: '10\\n' is not a Slurm time limit" },
    };

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void AValueWithAControlCharacterIsRefusedBeforeAnythingIsWritten(string option, string value, string expected)
    {
        var study = data["study"];
        var (code, _, error) = Slurm("--out", study, option, value);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"torchloss: error: {expected}", Assert.Single(error.TrimEnd('\n').Split('\n')));
        Assert.False(Directory.Exists(study), "the study folder was created");
    }

    [Fact]
    public void AStudyFolderWithANewlineIsRefusedBeforeAnythingIsWritten()
    {
        var study = root["study\nrm -rf ~"];
        var (code, _, error) = Slurm("--out", study);
        Assert.Equal(ExitCodes.UsageError, code);
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Equal($"torchloss: error: --out '{study.Replace("\n", "\\n")}' contains the control character \\n; it would become a folder name: use printable characters only", line);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void AStudyFolderWithABackslashIsRefused()
    {
        var study = root["back\\slash"];
        var (code, _, error) = Slurm("--out", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"torchloss: error: --out: {study} holds a backslash, which makes sbatch read the log file name literally", error);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void PathsAreQuotedForSbatchAndForBash()
    {
        var study = root[AwkwardName];
        var (code, output, error) = Slurm("--out", study, "--partition", "gpu x#y", "--time", "10");
        Assert.True(code == ExitCodes.Ok, error);
        var folder = Path.Combine(study, SlurmScripts.Folder);
        var shard = File.ReadAllLines(Path.Combine(folder, "shard.sbatch"));
        // sbatch: double quotes, with \ and " escaped inside; %% is a literal % in a Slurm file name.
        var logs = Path.Combine(folder, "logs").Replace("%", "%%").Replace("\"", "\\\"");
        Assert.Contains($"#SBATCH --output=\"{logs}/shard-%A_%a.out\"", shard);
        Assert.Contains("#SBATCH --partition=\"gpu x#y\"", shard);
        Assert.Contains("#SBATCH --time=10", shard);
        // bash: the words of the exec line and of the printed submit command, as bash splits them.
        var exec = shard.Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
        var words = BashWords(exec["exec ".Length..]);
        Assert.Equal(study, words[words.IndexOf("--out") + 1]);
        var submit = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("sh ", StringComparison.Ordinal));
        Assert.Equal(["sh", Path.Combine(folder, "submit.sh")], BashWords(submit));
    }

    /// <summary>The words bash makes of <paramref name="line"/> (a command line, variables unset), one per line from printf.</summary>
    static List<string> BashWords(string line)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"set -u; SLURM_ARRAY_TASK_ID=1; printf '%s\\0' {line}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var bash = Process.Start(start)!;
        var words = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, bash.StandardError.ReadToEnd());
        return words.TrimEnd('\0').Split('\0').ToList();
    }

    /// <summary>Real sbatch reads the directives: the report job of a study in a folder with spaces, quotes, % and # writes
    /// its log where --output names it, and the command in the script reaches torchloss whole (it says the study's runs
    /// are not finished, as `compare --report` does for a study not yet run).</summary>
    [SlurmFact]
    public void SbatchReadsTheQuotedDirectivesOfAnAwkwardlyNamedStudy()
    {
        var study = root[AwkwardName];
        var scripts = CliProcess.Run(["compare", "--heads", "softmax-ce", "--models", "linear", "--fine-tune-epochs", "0", "--out", study,
            "--slurm", "--partition", "debug", "--time", "5"]);
        Assert.True(scripts.Code == 0, scripts.Error);
        var folder = Path.Combine(study, SlurmScripts.Folder);

        using var cluster = SlurmCluster.Start();
        var job = cluster.Sbatch(Path.Combine(folder, "report.sbatch"));
        cluster.WaitForJobs(TimeSpan.FromMinutes(2));
        var log = Assert.Single(Directory.GetFiles(Path.Combine(folder, "logs")));
        Assert.StartsWith($"report-{job}_", Path.GetFileName(log));
        Assert.Contains("run(s) of the study are not finished", File.ReadAllText(log));
    }
}
