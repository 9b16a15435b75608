using System.Security.Cryptography;

namespace TorchLoss.Data;

public enum FileState { Ok, Missing, Corrupt, Unreadable }

/// <summary>
/// The state of one dataset file on disk; <see cref="Problem"/> explains anything but Ok. A symbolic link is judged by
/// the file it finally points to (<see cref="LinkTarget"/>): a link to a verified file is Ok, a dangling link is Missing.
/// </summary>
public sealed record FileCheck(DatasetFileSpec File, string Path, FileState State, string? Problem = null, string? LinkTarget = null)
{
    public static FileCheck Of(DatasetFileSpec file, string path)
    {
        if (Directory.Exists(path)) return new(file, path, FileState.Unreadable, "a directory stands where the file should be");
        FileInfo info;
        try
        {
            info = FinalTarget(path);
        }
        catch (IOException e) // a loop of links
        {
            return new(file, path, FileState.Unreadable, e.Message.TrimEnd('.'));
        }
        var link = info.FullName == System.IO.Path.GetFullPath(path) ? null : info.FullName;
        if (!info.Exists)
            return new(file, path, FileState.Missing, link is null ? null : $"a symbolic link to {link}, which does not exist", link);
        if (info.Length != file.Bytes)
            return new(file, path, FileState.Corrupt, $"{info.Length} bytes where {file.Bytes} are expected{Via(link)}", link);
        string actual;
        try
        {
            actual = Sha256Hex(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(file, path, FileState.Unreadable, e.Message.TrimEnd('.'), link);
        }
        return actual == file.Sha256
            ? new(file, path, FileState.Ok, LinkTarget: link)
            : new(file, path, FileState.Corrupt, $"sha256 {actual} where {file.Sha256} is expected{Via(link)}", link);
    }

    /// <summary>The file <paramref name="path"/> names after following every symbolic link; the path itself when it is
    /// not a link. Throws <see cref="IOException"/> for a loop of links.</summary>
    public static FileInfo FinalTarget(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null) return info;
        return info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? new FileInfo(target.FullName) : info;
    }

    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static string Via(string? link) => link is null ? "" : $" (in {link}, which the symbolic link points to)";
}
