using Spectre.Console;

namespace TorchLoss.Cli.Commands;

/// <summary>Prints rows under headers: a Spectre table on a terminal, aligned plain text when the output is
/// redirected or is not the console (scripts, tests).</summary>
public static class ConsoleTable
{
    /// <param name="textColumns">how many leading columns hold text (left-aligned); the rest are numbers (right-aligned).</param>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, int textColumns)
    {
        if (output == Console.Out && !Console.IsOutputRedirected)
        {
            var table = new Table().Border(TableBorder.Simple);
            for (var c = 0; c < headers.Count; c++)
                table.AddColumn(new TableColumn(new Text(headers[c])) { Alignment = c < textColumns ? Justify.Left : Justify.Right });
            foreach (var row in rows) table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
            AnsiConsole.Write(table);
            return;
        }
        var widths = headers.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, c) =>
            c < textColumns ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
        output.WriteLine(Line(headers));
        foreach (var row in rows) output.WriteLine(Line(row));
    }
}
