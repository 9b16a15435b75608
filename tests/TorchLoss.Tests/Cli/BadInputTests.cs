using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Cli;

/// <summary>
/// Every user mistake the CLI knows of ends in exit code 2 and exactly one line on stderr, "torchloss: error: ...",
/// naming the option or file, without a stack trace. Run in process through the commands' factories; a few also as a
/// child process of the built CLI, which proves there is no native crash (exit code exactly 2, not 134).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(1);

    // Placeholders in the table: a folder, a file that is not executable, both created per test.
    const string Folder = "{folder}";
    const string PlainFile = "{file}";

    readonly TempDirectory temp = new();

    public BadInputTests() => File.WriteAllText(temp["plain.txt"], "not a program");

    public void Dispose() => temp.Dispose();

    /// <summary>The CLI's commands, as Program.cs registers them.</summary>
    static RootCommand Root() => new("test")
    {
        CompareCommand.Create(), TrainCommand.Create(), EvalCommand.Create(), RunsCommand.Create(TextWriter.Null), PlotCommand.Create(TextWriter.Null), GradCheckCommand.Create(TextWriter.Null), LandscapeCommand.Create(TextWriter.Null),
        SaturationCommand.Create(TextWriter.Null), ExamplesCommand.Create(TextWriter.Null), BenchCommand.Create(), DataCommand.Create(),
        InfoCommand.Create(), DemoCommand.Create(),
    };

    public static TheoryData<string, string[]> Cases() => new()
    {
        // Numbers: invariant culture, strict, finite.
        { "--lr: '0,1' is not a number (use a dot for decimals)", ["train", "--lr", "0,1"] },
        { "--lr: '1,000' is not a number (use a dot for decimals)", ["train", "--lr", "1,000"] },
        { "--lr: '1 000' is not a number", ["train", "--lr", "1 000"] },
        { "--lr: 'NaN' is not a finite number", ["train", "--lr", "NaN"] },
        { "--true-class-target: '1e309' is not a finite number", ["train", "--true-class-target", "1e309"] },
        { "--batch: '1.5' is not an integer", ["train", "--batch", "1.5"] },
        { "--batch: '1e3' is not an integer", ["train", "--batch", "1e3"] },
        { "--batch: must be at most 2147483647, got 99999999999", ["train", "--batch", "99999999999"] },
        { "--seed: '-1' is not an integer from 0 to 18446744073709551615", ["train", "--seed", "-1"] },
        { "--momentum: must be less than 1, got 1", ["train", "--momentum", "1"] },
        { "--lr: must be at most 1e6, got 1e308", ["train", "--lr", "1e308"] },
        { "--init-scale: must be at most 1e6", ["train", "--init-scale", "1e300"] },
        { "--lr: '0,1' is not a number (use a dot for decimals)", ["demo", "--lr", "0,1"] },
        { "--seed: 'x' is not an integer", ["gradcheck", "--seed", "x"] },
        { "--lr-grid: '1e' is not a number", ["compare", "--lr-grid", "0.1,1e"] },
        { "--lr-grid: 1e300 is above the maximum 1e6", ["compare", "--lr-grid", "0.1,1e300"] },
        { "--init-scales: 'Infinity' is not a finite number", ["compare", "--init-scales", "1,Infinity"] },
        { "--target-accuracy: must be less than 1, got 1", ["compare", "--target-accuracy", "1"] },
        // Counts name their option.
        { "--warmup: must be at least 0, got -1", ["bench", "--warmup", "-1"] },
        { "--steps: must be at least 1, got 0", ["bench", "--steps", "0"] },
        { "--repetitions: must be at least 1, got 0", ["bench", "--repetitions", "0"] },
        { "--seeds: must be at least 1, got 0", ["compare", "--seeds", "0"] },
        { "--fine-tune-epochs: must be at least 0, got -1", ["compare", "--fine-tune-epochs", "-1"] },
        { "--validation-size: must be at least 0, got -5", ["train", "--validation-size", "-5"] },
        { "--log-every: must be at least 1, got 0", ["train", "--log-every", "0"] },
        { "--threads: must be at least 1, got 0", ["train", "--threads", "0"] },
        // Thread counts and sizes that would run for minutes.
        { $"--threads: must be at most {ThreadLimits.MaxThreads} ({ThreadLimits.Rule}), got 1000", ["train", "--threads", "1000"] },
        { $"--blas-threads: must be at most {ThreadLimits.MaxBlasThreads}", ["train", "--blas-threads", "1000"] },
        { $"--threads: must be at most {ThreadLimits.MaxThreads}", ["compare", "--threads", "1000"] },
        { "--threads: '1000x1': INTRA must be at most", ["bench", "--threads", "1000x1"] },
        { "--batch-sizes: 100000 is above the maximum 1000", ["gradcheck", "--batch-sizes", "1,100000"] },
        { "--classes: must be at most 100", ["gradcheck", "--classes", "1000"] },
        { "--saturated-logit: must be at most 10000", ["gradcheck", "--saturated-logit", "1e300"] },
        { "--points: must be at most 100000, got 100000000", ["landscape", "--points", "100000000"] },
        { "--points: must be at most 100000", ["saturation", "--points", "100000000"] },
        { "--classes: must be at most 100", ["saturation", "--classes", "100000"] },
        { "--steps: must be at most 100000, got 2000000000", ["demo", "--steps", "2000000000"] },
        { "--steps: must be at most 10000", ["examples", "--steps", "100000000"] },
        // Values whose arithmetic overflows.
        { "--range: '-1e308:1e308' is outside the allowed range: FROM and TO must lie within +-1e150", ["landscape", "--range=-1e308:1e308"] },
        { "--samples: x = 1e200 is outside +-1e150", ["landscape", "--samples", "1e200:1,1:0"] },
        { "--range: '-1e300:1e300' is outside the allowed range: FROM and TO must lie within +-1e150", ["saturation", "--range=-1e300:1e300"] },
        { "--lr: must be at most 10, got 1e308", ["examples", "--lr", "1e308"] },
        // Empty paths.
        { "--resume: the path is empty", ["train", "--resume", ""] },
        { "--init-from: the path is empty", ["train", "--init-from", ""] },
        { "--runs-dir: the path is empty", ["train", "--runs-dir", " "] },
        { "--data-dir: the path is empty", ["train", "--data-dir", ""] },
        { "--name: the run name is empty", ["train", "--name", ""] },
        { "--out: the path is empty", ["landscape", "--out", ""] },
        { "--out: the path is empty", ["saturation", "--out", ""] },
        { "--out: the path is empty", ["compare", "--out", ""] },
        { "--data-dir: the path is empty", ["compare", "--data-dir", ""] },
        { "--data-dir: the path is empty", ["examples", "--data-dir", ""] },
        { "--data-dir: the path is empty", ["data", "--data-dir", "", "verify"] },
        { "--python: the path is empty", ["bench", "--pytorch", "--python", ""] },
        // Names that become folders hold no control characters (a newline, a terminal escape sequence); the line shows them escaped.
        { "--name 'a\\nb' contains the control character \\n; it would become a folder name: use printable characters only", ["train", "--name", "a\nb"] },
        { "--name '\\x1b]0;x\\x07' contains the control character \\x1b", ["train", "--name", "\u001b]0;x\u0007"] },
        { "--name 'a\\u202eb' contains the control character \\u202e", ["train", "--name", "a\u202eb"] },
        { "--runs-dir 'r\\tuns' contains the control character \\t", ["train", "--runs-dir", "r\tuns", "--name", "x"] },
        { "--out 'x\\ry' contains the control character \\r", ["train", "--out", "x\ry"] },
        { "--out 'study\\x1b[2J' contains the control character \\x1b", ["compare", "--out", "study\u001b[2J"] },
        // Files that are not what they should be.
        { "is a directory, not a file", ["train", "--init-from", Folder] },
        { "holds no run (config.json is missing)", ["eval", Folder] },
        { "--split 'train': expected test or validation", ["eval", Folder, "--split", "train"] },
        { "dataset 'csv:': the path after 'csv:' is empty", ["train", "--dataset", "csv:"] },
        { "--test-fraction: must be less than 1, got 1", ["train", "--test-fraction", "1"] },
        { "--python: '/nonexistent/python' was not found", ["bench", "--pytorch", "--python", "/nonexistent/python"] },
        { "is not a regular file", ["bench", "--pytorch", "--python", Folder] },
        { "is not executable", ["bench", "--pytorch", "--python", PlainFile] },
        { "is not a run folder (it has no metrics.jsonl or metrics.csv)", ["plot", Folder] },
        { "--metric 'loss': expected test-error, validation-error, train-loss, dldz, saturated", ["plot", Folder, "--metric", "loss"] },
        // Commands.
        { "unknown command 'frob'; commands: compare, train, eval, runs, plot, gradcheck", ["frob"] },
        { "no command given; commands of 'data': fetch, verify, info, synthetic (see --help)", ["data"] },
        { "unknown command 'trian' (did you mean train?); commands: compare", ["trian"] },
        { "unknown command 'fecth' (did you mean fetch?); commands of 'data'", ["data", "fecth"] },
        { "unknown option '--bach' (did you mean --batch?); see --help", ["train", "--bach", "3"] },
        { "unexpected argument 'maybe' (see --help)", ["train", "--nesterov", "maybe"] },
        { "unknown command 'frob'; commands of 'data': fetch, verify, info", ["data", "frob"] },
        { "unknown option '--frob'", ["--frob"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputIsOneLineNamingTheOptionAndExitCode2(string message, string[] args)
    {
        var stderr = new StringWriter();
        var code = CliRunner.Run(Root(), args.Select(Expand).ToArray(), stderr);
        AssertOneLineUsageError(message, code, stderr.ToString());
    }

    [Fact]
    public void NumbersAreReadInTheInvariantCultureUnderAGermanLocale()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = German();
        try
        {
            var stderr = new StringWriter();
            AssertOneLineUsageError("--lr: '0,1' is not a number (use a dot for decimals)", CliRunner.Run(Root(), ["train", "--lr", "0,1"], stderr), stderr.ToString());
            var lr = NumericOptions.Double("--lr", "", 1, positive: true);
            var batch = NumericOptions.Int("--batch", "", 1);
            var command = new RootCommand { lr, batch };
            var parsed = command.Parse(["--lr", "0.25", "--batch", "1000"]);
            Assert.Empty(parsed.Errors);
            Assert.Equal(0.25, parsed.GetValue(lr));
            Assert.Equal(1000, parsed.GetValue(batch));
            Assert.Equal(1e-3, command.Parse(["--lr", "1e-3"]).GetValue(lr));
            Assert.Contains("'1.000' is not an integer", command.Parse(["--batch", "1.000"]).Errors.Single().Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>de-DE; where the build runs in globalization-invariant mode (Directory.Build.props) and has no cultures,
    /// a culture with de-DE's number format: decimal comma, thousands dot.</summary>
    static CultureInfo German()
    {
        try
        {
            return CultureInfo.GetCultureInfo("de-DE");
        }
        catch (CultureNotFoundException)
        {
            var german = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            german.NumberFormat.NumberDecimalSeparator = ",";
            german.NumberFormat.NumberGroupSeparator = ".";
            return german;
        }
    }

    [Fact]
    public void NumericOptionsKeepTheirDefaultsAndAcceptPlainNumbers()
    {
        var x = NumericOptions.Double("--x", "", 0.5);
        var n = NumericOptions.OptionalInt("--n", "", min: -3);
        var command = new RootCommand { x, n };
        Assert.Equal(0.5, command.Parse([]).GetValue(x));
        Assert.Null(command.Parse([]).GetValue(n));
        Assert.Equal(-2, command.Parse(["--x", "-2", "--n", "-3"]).GetValue(x));
        Assert.Equal(-3, command.Parse(["--n", "-3"]).GetValue(n));
        Assert.Equal(0.1, command.Parse(["--x", ".1"]).GetValue(x));
        foreach (var bad in new[] { "0x10", "1_000", "1e", "--", "1.2.3", "+-1" })
            Assert.NotEmpty(command.Parse(["--x", bad]).Errors);
    }

    [Fact]
    public void AModelTooLargeToAllocateIsOneLine()
    {
        using var data = new CliDataset();
        var (code, _, error) = data.Run(TrainCommand.Create, "--model", "mlp:2000000000", "--runs-dir", data.RunsDirectory, "--epochs", "1", "--validation-size", "50");
        AssertOneLineUsageError("not enough memory: libtorch could not allocate", code, error);
    }

    // Child processes: a regression here would be a trace and exit 134, or a hang, not a wrong line.

    [Fact]
    public void AnEmptyPathIsExitCode2InTheBuiltCli() =>
        AssertChildUsageError("--init-from: the path is empty", "train", "--init-from", "");

    [Fact]
    public void AnUnknownCommandIsExitCode2InTheBuiltCli() =>
        AssertChildUsageError("unknown command 'frob'", "frob");

    /// <summary>The tool's runtimeconfig turns on the switch that makes .NET's GZipStream see a cut stream (StrictGzip).</summary>
    [Fact]
    public void ACutGzipTableIsExitCode2InTheBuiltCli()
    {
        var gz = temp["t.csv.gz"];
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(gz), System.IO.Compression.CompressionLevel.Fastest))
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(Data.Tables.TableFiles.Animals(rowsPerClass: 100)));
        File.WriteAllBytes(gz, File.ReadAllBytes(gz)[..^8]); // every row there, the trailer gone
        AssertChildUsageError($"{gz}: cannot be read as gzip-compressed text (cut short or damaged)", "data", "info", $"csv:{gz}");
    }

    [Fact]
    public void AFifoAsInitialParametersIsRefusedWithoutOpeningIt()
    {
        if (!OperatingSystem.IsLinux()) return; // FIFOs are told apart on Linux only (FileKinds)
        var fifo = temp["params.fifo"];
        Assert.Equal(0, mkfifo(fifo, 0x180)); // 0600
        AssertChildUsageError($"--init-from: {fifo} is not a regular file", "train", "--init-from", fifo);
    }

    /// <summary>Settings files that once ended the process with an unhandled exception (exit 134): a JSON key given twice,
    /// a YAML infinity, and an alias bomb (which also took 4.4 GB before it failed).</summary>
    [Theory]
    [InlineData("twice.json", "{\"learning_rate\":0.3,\"learning_rate\":0.5}", ": 'learning_rate' is given twice")]
    [InlineData("infinite.yaml", "learning_rate: .inf\n", ": line 1: learning_rate: '.inf' is not a finite number")]
    [InlineData("bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
                             "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
                             "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\ni: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n",
        ": line 1: YAML anchors and aliases (&name, *name) are not accepted in a settings file")]
    public void AHostileSettingsFileIsExitCode2InTheBuiltCli(string name, string text, string problem)
    {
        File.WriteAllText(temp[name], text);
        AssertChildUsageError($"--config {temp[name]}{problem}", "train", "--config", temp[name]);
    }

    string Expand(string arg) => arg switch
    {
        Folder => temp.Path,
        PlainFile => temp["plain.txt"],
        _ => arg,
    };

    static void AssertOneLineUsageError(string message, int code, string stderr)
    {
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("torchloss: error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", stderr);
    }

    static void AssertChildUsageError(string message, params string[] args)
    {
        var cli = typeof(CliRunner).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ChildTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"torchloss {string.Join(' ', args)} ran longer than {ChildTimeout.TotalSeconds} s");
        }
        Assert.Equal("", output.Result);
        AssertOneLineUsageError(message, process.ExitCode, error.Result);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int mkfifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [Fact]
    public void A_bare_torchloss_prints_usage_and_succeeds()
    {
        var stderr = new StringWriter();
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, CliRunner.Run(Root(), [], stderr, stdout: output));
        Assert.Contains("Usage:", output.ToString());
        Assert.Contains("train", output.ToString());
        Assert.Equal("", stderr.ToString());
    }

    [Theory]
    [InlineData("trian", "train")]
    [InlineData("--bach", "--batch")]
    [InlineData("comapre", "compare")]
    [InlineData("xyz", null)]
    public void The_nearest_name_is_suggested_only_when_close(string typed, string? expected) =>
        Assert.Equal(expected, Suggestions.Nearest(typed, ["train", "compare", "eval", "--batch", "--bench"]));
}
