namespace TorchLoss.Runtime;

/// <summary>Finds symbolic links inside a folder TorchLoss writes to: appending to a file or writing into a folder
/// through a link would change what it points to, outside the folder.</summary>
public static class SymbolicLinks
{
    /// <summary>The first symbolic link under <paramref name="folder"/> (in name order, any depth, links never followed)
    /// with what it points to, or null when there is none or the folder does not exist.</summary>
    public static (string Path, string Target)? First(string folder)
    {
        if (!Directory.Exists(folder)) return null;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(folder)]);
        while (pending.TryPop(out var directory))
        {
            var entries = directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            if (entries.FirstOrDefault(e => e.LinkTarget is not null) is { } link) return (link.FullName, link.LinkTarget!);
            foreach (var child in entries.OfType<DirectoryInfo>().Reverse()) pending.Push(child);
        }
        return null;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> (one line) when <paramref name="folder"/> holds a symbolic link;
    /// <paramref name="kind"/> names the folder ("run folder").</summary>
    public static void Refuse(string folder, string kind)
    {
        if (First(folder) is not var (path, target)) return;
        throw new InvalidDataException($"{kind} {Reporting.PrintableText.Escape(folder)}: {Reporting.PrintableText.Escape(System.IO.Path.GetRelativePath(folder, path))} " +
                                       $"is a symbolic link (to {Reporting.PrintableText.Escape(target)}); " +
                                       "TorchLoss never writes through a link in a folder it writes: replace the link by a copy of the file (or remove it), then run again");
    }
}
