using TorchLoss.Runtime;

namespace TorchLoss.Runtime;

/// <summary>Writes a file so that readers see the old content or the new one, never a part: the content goes to
/// PATH.tmp-PID, which is renamed into place. A process killed in between leaves only the temporary file, which
/// <see cref="RemoveLeftovers"/> deletes once its folder is claimed again.</summary>
public static class AtomicFile
{
    public const string TemporaryMarker = ".tmp-";

    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>Writes through <paramref name="write"/> into a temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var temp = $"{path}{TemporaryMarker}{Environment.ProcessId}";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                FaultInjection.Reached($"atomic-write:opened:{Path.GetFileName(path)}");
                write(file);
                file.Flush();
            }
            FaultInjection.Reached($"atomic-write:written:{Path.GetFileName(path)}");
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        FaultInjection.Reached($"atomic-write:renamed:{Path.GetFileName(path)}");
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> atomically.</summary>
    public static void Copy(string source, string destination) => Write(destination, stream =>
    {
        using var input = File.OpenRead(source);
        input.CopyTo(stream);
    });

    /// <summary>Deletes temporary files left by killed writers in <paramref name="directory"/> (and below, when
    /// <paramref name="recursive"/>). Only for a folder this process holds exclusively: another writer's temporary file
    /// would be deleted under it.</summary>
    public static int RemoveLeftovers(string directory, bool recursive = true)
    {
        if (!Directory.Exists(directory)) return 0;
        var removed = 0;
        var depth = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        foreach (var file in Directory.EnumerateFiles(directory, $"*{TemporaryMarker}*", depth))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { } // the original failure is the one to report
        catch (UnauthorizedAccessException) { }
    }
}
