namespace TorchLoss.Reporting.Documents;

/// <summary>A report as blocks, rendered to Markdown and to HTML from the same content.</summary>
public abstract record Block;
public sealed record Heading(int Level, string Text) : Block;
public sealed record Paragraph(string Text) : Block;
public sealed record BulletList(IReadOnlyList<string> Items) : Block;
public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block
{
    /// <summary>Whether a column holds numbers, to be right-aligned: most of its cells that say anything (not empty,
    /// not a dash) begin with a number, e.g. "7.56 ± 0.42 %", "0.107 → 0.226", "3.5 (2/2)".</summary>
    public bool IsNumeric(int column)
    {
        var cells = Rows.Select(r => column < r.Count ? r[column].Trim() : "").Where(c => c is not ("" or "–" or "-")).ToList();
        return cells.Count > 0 && cells.Count(StartsWithNumber) * 2 >= cells.Count;
    }

    static bool StartsWithNumber(string cell)
    {
        var rest = cell.TrimStart('+', '-', '−');
        return rest.Length > 0 && (char.IsAsciiDigit(rest[0]) || (rest[0] == '.' && rest.Length > 1 && char.IsAsciiDigit(rest[1])));
    }
}
/// <summary>An SVG file beside the report (relative path): linked from Markdown, inlined in HTML.</summary>
public sealed record Figure(string Title, string RelativePath) : Block;
public sealed record Code(string Text) : Block;

public sealed record Document(string Title, IReadOnlyList<Block> Blocks);
