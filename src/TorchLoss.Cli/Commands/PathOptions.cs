using System.CommandLine;

namespace TorchLoss.Cli.Commands;

/// <summary>
/// Creates the CLI's file and folder options. An empty or blank value is refused while parsing ("--out: the path is
/// empty"): .NET's path functions throw ArgumentException on it, which would otherwise end the process with a trace.
/// </summary>
public static class PathOptions
{
    /// <summary>A path option with a default.</summary>
    public static Option<string> Path(string name, string description, string defaultValue)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        RefuseEmpty(option, "the path is empty");
        return option;
    }

    /// <summary>A path option without a default (null when absent).</summary>
    public static Option<string?> OptionalPath(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        RefuseEmpty(option, "the path is empty");
        return option;
    }

    /// <summary>Refuses an empty or blank value of <paramref name="option"/> with "NAME: <paramref name="problem"/>".</summary>
    public static void RefuseEmpty(Option option, string problem) => option.Validators.Add(result =>
    {
        if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))) result.AddError($"{option.Name}: {problem}");
    });

    /// <summary>Refuses a name or path that becomes a folder when it holds a control character (a newline, an escape
    /// sequence): such a folder breaks listings and can drive the terminal that shows it. <paramref name="option"/> names it.</summary>
    public static void RefuseControlCharacters(string value, string option)
    {
        if (Reporting.PrintableText.FirstControl(value) is { } c)
            throw new UserException($"{option} '{Reporting.PrintableText.Escape(value)}' contains the control character {Reporting.PrintableText.Escaped(c)}; " +
                                    "it would become a folder name: use printable characters only");
    }

    /// <summary><paramref name="path"/> made absolute, refused before anything runs unless it is a regular file
    /// (<paramref name="option"/> names it in the message).</summary>
    public static string RegularFile(string path, string option)
    {
        var full = System.IO.Path.GetFullPath(path);
        Runtime.FileKinds.RequireRegularFile(full, option);
        return full;
    }
}
