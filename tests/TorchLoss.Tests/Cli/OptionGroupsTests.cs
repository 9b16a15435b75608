using System.CommandLine;
using System.Text.RegularExpressions;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;

namespace TorchLoss.Tests.Cli;

/// <summary>`train --help` and `compare --help` list their options under titled groups, each option once, with placeholders
/// that say what goes there; other commands keep System.CommandLine's own help.</summary>
public sealed partial class OptionGroupsTests
{
    static string Help(Command command, params string[] args)
    {
        var output = new StringWriter();
        var code = CliRunner.Run(new RootCommand("test") { command }, [command.Name, .. args, "--help"], TextWriter.Null, stdout: output);
        Assert.Equal(0, code);
        return output.ToString();
    }

    public static TheoryData<string> GroupedCommands() => ["train", "compare"];

    static Command Create(string name) => name == "train" ? TrainCommand.Create() : CompareCommand.Create();

    [Theory]
    [MemberData(nameof(GroupedCommands))]
    public void EveryOptionIsListedOnceUnderItsGroupInOrder(string name)
    {
        var command = Create(name);
        var help = Help(command);
        var groups = OptionGroups.GroupsOf(command)!;
        var lines = help.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var headings = lines.Where(l => l.Length > 0 && !l.StartsWith(' ') && l.EndsWith(':')).ToList();
        Assert.Equal(["Description:", "Usage:", .. groups.Select(g => g.Title + ":"), "Other options:"], headings);
        var listed = lines.Select(l => OptionLine().Match(l)).Where(m => m.Success)
            .SelectMany(m => m.Groups["names"].Value.Split(", ")).ToList();
        var expected = command.Options.Where(o => !o.Hidden).Select(o => o.Name).Append("--help").ToList();
        Assert.Equal(expected.Order(), listed.Where(n => n.StartsWith("--")).Order());
        // Each grouped option sits under its own heading.
        foreach (var (title, options) in groups)
        {
            var section = lines.SkipWhile(l => l != title + ":").Skip(1).TakeWhile(l => l.Length > 0).ToList();
            Assert.All(options, o => Assert.Contains(section, l => OptionLine().Match(l) is { Success: true } m && m.Groups["names"].Value.Split(", ").Contains(o.Name)));
        }
        Assert.Contains("  -?, -h, --help", help);
    }

    [Fact]
    public void PlaceholdersSayWhatGoesThereAndFlagsHaveNone()
    {
        var help = Help(TrainCommand.Create());
        Assert.Matches(@"\n  --lr <RATE> +Learning rate, up to 1e6\. \[default: 0\.1\]", help);
        Assert.Matches(@"\n  --dataset <NAME\|csv:PATH\|tsv:PATH> ", help);
        Assert.Matches(@"\n  --header <auto\|no\|yes> ", help);
        Assert.Matches(@"\n  --nesterov +Nesterov momentum \(SGD\)\.\n", help);
        Assert.DoesNotContain("[default: False]", help);
        Assert.DoesNotContain("/?", help);
        var compare = Help(CompareCommand.Create());
        Assert.Matches(@"\n  --shard <I/N> ", compare);
        Assert.Matches(@"\n  --header <auto\|no\|yes> ", compare);
    }

    [Fact]
    public void ATerminalsWidthWrapsTheDescriptionsUnderTheirColumn()
    {
        var command = TrainCommand.Create();
        var output = new StringWriter();
        new GroupedHelpWriter(output, 72).Write(command, OptionGroups.GroupsOf(command)!);
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 72, $"{l.Length} characters: {l}"));
        // A continuation line starts at the description column.
        var head = lines.FindIndex(l => l.StartsWith("  --head <HEAD>"));
        var column = lines[head].IndexOf("Output head.", StringComparison.Ordinal);
        Assert.Equal(new string(' ', column), lines[head + 1][..column]);
        Assert.NotEqual(' ', lines[head + 1][column]);
    }

    [Fact]
    public void EveryOptionThatTakesAValueSaysWhatGoesThere()
    {
        var root = CommandTree.Create();
        OptionPlaceholders.Apply(root);
        IEnumerable<Command> All(Command c) => c.Subcommands.SelectMany(All).Prepend(c);
        var bare = All(root).SelectMany(c => c.Options.Select(o => (Command: c.Name, Option: o)))
            .Where(x => x.Option.Arity.MaximumNumberOfValues > 0 && x.Option.ValueType != typeof(bool) && x.Option.ValueType != typeof(bool?))
            .Where(x => x.Option.HelpName is null && !x.Option.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Any())
            .Select(x => $"{x.Command} {x.Option.Name}").ToList();
        Assert.Empty(bare);
    }

    [Fact]
    public void CommandsWithoutGroupsKeepTheDefaultHelp()
    {
        var help = Help(BenchCommand.Create());
        Assert.Contains("\nOptions:\n", help.Replace("\r", ""));
    }

    [Fact]
    public void AGroupMayOnlyNameTheCommandsOwnOptions()
    {
        var command = new Command("x") { new Option<int>("--a") };
        var e = Assert.Throws<ArgumentException>(() => OptionGroups.Set(command, ("G", [new Option<int>("--b")])));
        Assert.Contains("--b is not an option of x", e.Message);
    }

    [GeneratedRegex(@"^  (?<names>-[^ <]+(?:, -[^ <]+)*)(?: <[^>]+>)?(?:  |$)")]
    private static partial Regex OptionLine();
}
