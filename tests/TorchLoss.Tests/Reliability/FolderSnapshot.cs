using System.Security.Cryptography;

namespace TorchLoss.Tests.Reliability;

/// <summary>Everything below a folder, to show that a refused command changed nothing: each file's SHA-256, each
/// symbolic link's target (never followed), each folder's name; keyed by full path, so several folders make one snapshot.</summary>
static class FolderSnapshot
{
    public static SortedDictionary<string, string> Of(params string[] folders)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders) Add(folder, entries);
        return entries;
    }

    static void Add(string folder, SortedDictionary<string, string> entries)
    {
        void Walk(DirectoryInfo directory)
        {
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                var name = entry.FullName;
                if (entry.LinkTarget is { } target) entries[name] = $"link to {target}";
                else if (entry is DirectoryInfo child)
                {
                    entries[name] = "folder";
                    Walk(child);
                }
                else entries[name] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)));
            }
        }
        if (Directory.Exists(folder)) Walk(new DirectoryInfo(folder));
    }
}
