using System.Collections;
using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace TorchLoss.Cli;

/// <summary>
/// `--help` of a command with many options (train, compare) lists them under titled groups instead of one long list.
/// A command registers its groups with <see cref="Set"/>; <see cref="Install"/> puts the grouped help in front of
/// System.CommandLine's own (whose help builder is not public), which every other command keeps.
/// </summary>
public static class OptionGroups
{
    static readonly ConditionalWeakTable<Command, IReadOnlyList<(string Title, IReadOnlyList<Option> Options)>> Registered = new();

    /// <summary>Shows <paramref name="command"/>'s options in these groups, in this order; options in none of them follow
    /// under "Other options".</summary>
    public static Command Set(Command command, params (string Title, IReadOnlyList<Option> Options)[] groups)
    {
        var foreign = groups.SelectMany(g => g.Options).FirstOrDefault(o => !command.Options.Contains(o));
        if (foreign is not null) throw new ArgumentException($"{foreign.Name} is not an option of {command.Name}", nameof(groups));
        Registered.AddOrUpdate(command, groups);
        return command;
    }

    /// <summary>Makes the root's help option (which every subcommand inherits) write grouped help where a command has
    /// groups. Installing twice is harmless.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().FirstOrDefault();
        if (help is null || help.Action is GroupedHelpAction) return;
        help.Action = new GroupedHelpAction(help.Action);
    }

    /// <summary>Sets what `--help` shows after the option's names, e.g. RATE for `--lr &lt;RATE&gt;`.</summary>
    public static T Shows<T>(this T option, string placeholder) where T : Option
    {
        option.HelpName = placeholder;
        return option;
    }

    internal static IReadOnlyList<(string Title, IReadOnlyList<Option> Options)>? GroupsOf(Command command) =>
        Registered.TryGetValue(command, out var groups) ? groups : null;

    sealed class GroupedHelpAction(CommandLineAction? fallback) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parse)
        {
            var command = parse.CommandResult.Command;
            if (GroupsOf(command) is not { } groups)
                return fallback is SynchronousCommandLineAction sync ? sync.Invoke(parse) : 0;
            var output = parse.InvocationConfiguration.Output;
            var width = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? Math.Max(Console.WindowWidth, 60) : int.MaxValue;
            new GroupedHelpWriter(output, width).Write(command, groups);
            return 0;
        }
    }
}

/// <summary>Writes one command's help: description, usage, arguments, then each group of options in two columns.</summary>
internal sealed class GroupedHelpWriter(TextWriter output, int width)
{
    const int Indent = 2, Gap = 2, MaxLabelColumn = 34;

    public void Write(Command command, IReadOnlyList<(string Title, IReadOnlyList<Option> Options)> groups)
    {
        if (!string.IsNullOrWhiteSpace(command.Description))
        {
            output.WriteLine("Description:");
            WriteWrapped(command.Description, Indent);
            output.WriteLine();
        }
        output.WriteLine("Usage:");
        output.WriteLine($"{new string(' ', Indent)}{Usage(command)}");
        var visible = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(c => c.Options).Where(o => o.Recursive))
            .Where(o => !o.Hidden).Distinct().ToList();
        var sections = new List<(string Title, List<(string Label, string Text)> Rows)>();
        if (command.Arguments.Any(a => !a.Hidden))
            sections.Add(("Arguments", command.Arguments.Where(a => !a.Hidden).Select(a => ($"<{a.HelpName ?? a.Name}>", a.Description ?? "")).ToList()));
        foreach (var (title, options) in groups)
            sections.Add((title, options.Where(visible.Contains).Select(Row).ToList()));
        var rest = visible.Where(o => !groups.Any(g => g.Options.Contains(o))).ToList();
        if (rest.Count > 0) sections.Add(("Other options", rest.Select(Row).ToList()));

        var labelColumn = Math.Min(MaxLabelColumn, sections.SelectMany(s => s.Rows).Max(r => r.Label.Length));
        foreach (var (title, rows) in sections.Where(s => s.Rows.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"{title}:");
            foreach (var (label, text) in rows)
            {
                var column = Indent + labelColumn + Gap;
                if (label.Length > labelColumn)
                {
                    output.WriteLine($"{new string(' ', Indent)}{label}");
                    WriteWrapped(text, column);
                }
                else WriteWrapped(text, column, firstLinePrefix: $"{new string(' ', Indent)}{label.PadRight(labelColumn + Gap)}");
            }
        }
    }

    static string Usage(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.OfType<Command>().FirstOrDefault()) names.Insert(0, c.Name);
        var arguments = command.Arguments.Where(a => !a.Hidden)
            .Select(a => $"<{a.HelpName ?? a.Name}>{(a.Arity.MaximumNumberOfValues > 1 ? "..." : "")}");
        return string.Join(" ", [.. names, .. arguments, "[options]"]);
    }

    static (string Label, string Text) Row(Option option)
    {
        // The help option's Windows-style aliases (/?, /h) are left out, as System.CommandLine's own help does.
        var names = string.Join(", ", option.Aliases.Append(option.Name).Where(n => !n.StartsWith('/')).Distinct()
            .OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal));
        var placeholder = Placeholder(option) is { } p ? $" <{p}>" : "";
        var text = option.Description ?? "";
        var isFlag = option.ValueType == typeof(bool) || option.ValueType == typeof(bool?);
        if (!isFlag && option.HasDefaultValue && DefaultText(option.GetDefaultValue()) is { } value) text += $" [default: {value}]";
        if (option.Required) text += " [required]";
        return (names + placeholder, text.Trim());
    }

    /// <summary>What goes after the option's names: its HelpName, else a short list of its completions, else its name.</summary>
    static string? Placeholder(Option option)
    {
        if (option.Arity.MaximumNumberOfValues == 0 || option.ValueType == typeof(bool) || option.ValueType == typeof(bool?)) return null;
        if (option.HelpName is { } name) return name;
        var completions = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Order(StringComparer.Ordinal).ToList();
        return completions.Count is > 0 and <= 6 ? string.Join("|", completions) : option.Name.TrimStart('-');
    }

    static string? DefaultText(object? value) => value switch
    {
        null => null,
        string s => s.Length > 0 ? s : null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => e.Cast<object?>().Select(DefaultText).ToList() is { Count: > 0 } items ? string.Join(", ", items) : null,
        _ => value.ToString(),
    };

    /// <summary>Writes <paramref name="text"/> starting at <paramref name="column"/>, wrapped at word boundaries to the width;
    /// the first line starts with <paramref name="firstLinePrefix"/> (already <paramref name="column"/> wide) when given.</summary>
    void WriteWrapped(string text, int column, string? firstLinePrefix = null)
    {
        var room = width == int.MaxValue ? int.MaxValue : Math.Max(20, width - column - 1);
        var line = new System.Text.StringBuilder(firstLinePrefix ?? new string(' ', column));
        var lineStart = line.Length;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > lineStart && line.Length - lineStart + 1 + word.Length > room)
            {
                output.WriteLine(line.ToString());
                line.Clear().Append(' ', column);
            }
            if (line.Length > column && line[^1] != ' ') line.Append(' ');
            line.Append(word);
        }
        output.WriteLine(line.ToString().TrimEnd());
    }
}
