namespace TorchLoss.Reporting.Documents;

/// <summary>A report as blocks, rendered to Markdown and to HTML from the same content.</summary>
public abstract record Block;
public sealed record Heading(int Level, string Text) : Block;
public sealed record Paragraph(string Text) : Block;
public sealed record BulletList(IReadOnlyList<string> Items) : Block;
public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;
/// <summary>An SVG file beside the report (relative path): linked from Markdown, inlined in HTML.</summary>
public sealed record Figure(string Title, string RelativePath) : Block;
public sealed record Code(string Text) : Block;

public sealed record Document(string Title, IReadOnlyList<Block> Blocks);
