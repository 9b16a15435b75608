using System.Security.Cryptography;

namespace TorchLoss.Data;

public enum FileState { Ok, Missing, Corrupt, Unreadable }

/// <summary>The state of one dataset file on disk; <see cref="Problem"/> explains anything but Ok.</summary>
public sealed record FileCheck(DatasetFileSpec File, string Path, FileState State, string? Problem = null)
{
    public static FileCheck Of(DatasetFileSpec file, string path)
    {
        if (Directory.Exists(path)) return new(file, path, FileState.Unreadable, "a directory stands where the file should be");
        var info = new FileInfo(path);
        if (!info.Exists) return new(file, path, FileState.Missing);
        if (info.Length != file.Bytes)
            return new(file, path, FileState.Corrupt, $"{info.Length} bytes where {file.Bytes} are expected");
        string actual;
        try
        {
            actual = Sha256Hex(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(file, path, FileState.Unreadable, e.Message);
        }
        return actual == file.Sha256
            ? new(file, path, FileState.Ok)
            : new(file, path, FileState.Corrupt, $"sha256 {actual} where {file.Sha256} is expected");
    }

    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
