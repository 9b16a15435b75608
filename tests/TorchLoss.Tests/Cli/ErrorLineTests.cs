using System.CommandLine;
using System.Globalization;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;

namespace TorchLoss.Tests.Cli;

/// <summary>An error line stays one bounded line whatever the user gave: a value it echoes is cut at
/// <see cref="ErrorLine.MaxEchoedLength"/> characters with its length said, control characters are shown escaped, and
/// the whole line is cut at <see cref="ErrorLine.MaxLength"/>.</summary>
public class ErrorLineTests
{
    static readonly string Million = new('x', 1_000_000);

    static string Cut(string value) => value[..(ErrorLine.MaxEchoedLength - 1)] + "…";

    [Fact]
    public void AShortMessageIsUnchanged()
    {
        const string message = "--lr: '0,1' is not a number (use a dot for decimals); cross-entropy's 'x' stays";
        Assert.Equal(message, ErrorLine.Of(message));
    }

    [Fact]
    public void ALongQuotedValueIsCutAndItsLengthSaid() =>
        Assert.Equal($"unknown head '{Cut(Million)}' (1,000,000 characters): expected one of softmax-ce",
            ErrorLine.Of($"unknown head '{Million}': expected one of softmax-ce"));

    [Fact]
    public void ALongQuotedValueWithSpacesIsCutAsOneValue()
    {
        var words = string.Concat(Enumerable.Repeat("mlp:8 ", 1000));
        Assert.Equal($"unknown model '{Cut(words)}' (6,000 characters): expected linear", ErrorLine.Of($"unknown model '{words}': expected linear"));
    }

    [Fact]
    public void ALongUnquotedValueIsCutToo()
    {
        var path = "/tmp/" + string.Concat(Enumerable.Repeat("deep/", 200)) + "file";
        Assert.Equal($"--config {Cut(path)} (1,009 characters): no such file", ErrorLine.Of($"--config {path}: no such file"));
    }

    [Fact]
    public void ControlCharactersAreShownEscaped() =>
        Assert.Equal(@"unknown head 'a\x1b[2Jb\tc\r': expected one of", ErrorLine.Of("unknown head 'a\u001b[2Jb\tc\r': expected one of"));

    [Fact]
    public void AMessageOfManyShortValuesIsCutAsAWhole()
    {
        var message = "the data has no column 'label'; its columns are " + string.Join(", ", Enumerable.Range(0, 100_000).Select(i => $"c{i}"));
        var line = ErrorLine.Of(message);
        Assert.StartsWith("the data has no column 'label'; its columns are c0, c1, c2", line);
        Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"… (the message is {message.Length:N0} characters long)"), line);
        Assert.True(line.Length < ErrorLine.MaxLength + 100, $"{line.Length} characters");
    }

    static RootCommand Root() => new("test") { TrainCommand.Create(), CompareCommand.Create() };

    public static TheoryData<string, string[]> LongValues() => new()
    {
        { $"unknown head '{Cut(Million)}' (1,000,000 characters): expected one of", ["train", "--head", Million] },
        { $"--lr: '{Cut(Million)}' (1,000,000 characters) is not", ["train", "--lr", Million] },
        { $"unknown option '{Cut("--" + Million)}' (1,000,002 characters)", ["train", "--" + Million] },
        { $"unexpected argument '{Cut(Million)}' (1,000,000 characters)", ["train", Million] },
        { $"--heads: '{Cut(Million + ",")}' (1,000,001 characters) has an empty entry", ["compare", "--heads", Million + ","] },
        { @"unknown head 'softmax-ce\x1b]0;pwned\x07': expected one of", ["train", "--head", "softmax-ce\u001b]0;pwned\u0007"] },
    };

    [Theory]
    [MemberData(nameof(LongValues))]
    public void TheCliEchoesAtMostTheStartOfALongValue(string expected, string[] args)
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run(Root(), args, stderr));
        var line = Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"torchloss: error: {expected}", line);
        Assert.True(line.Length < ErrorLine.MaxLength + 100, $"{line.Length} characters");
    }
}
