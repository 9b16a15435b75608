using System.Globalization;
using TorchLoss.Runtime;

namespace TorchLoss.Reporting;

/// <summary>A second writer was refused: another process (or another part of this one) holds the folder.</summary>
public sealed class FolderInUseException(string message) : IOException(message);

/// <summary>
/// An exclusive claim on a folder for one writer: an OS lock on the folder's lock file (flock, which .NET takes for
/// FileShare.None), so the kernel releases it when the process ends in any way, even SIGKILL: a dead process never
/// holds a folder. The lock file stays (deleting it would let two writers lock two different files); the holder's
/// PID and command go into a second file, for the one line a refused writer prints.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string LockFile = ".torchloss.lock";
    public const string HolderFile = ".torchloss.holder";
    const int WouldBlock = 11; // EWOULDBLOCK on Linux, the HResult .NET reports for a held lock

    readonly FileStream stream;
    readonly string holderFile;
    readonly bool shared;

    FolderLock(FileStream stream, string holderFile, bool shared)
    {
        this.stream = stream;
        this.holderFile = holderFile;
        this.shared = shared;
    }

    public string Folder => Path.GetDirectoryName(holderFile)!;

    /// <summary>Takes <paramref name="folder"/> (created if missing) for this process; <see cref="FolderInUseException"/>
    /// naming the holder when another writer has it. <paramref name="kind"/> names the folder in messages ("run folder").</summary>
    public static FolderLock Acquire(string folder, string kind)
    {
        var (stream, holderPath) = Open(folder, kind, FileAccess.ReadWrite, FileShare.None);
        AtomicFile.WriteAllText(holderPath, string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId}\n{DateTime.Now:yyyy-MM-dd HH:mm:ss}\n{string.Join(' ', Environment.GetCommandLineArgs())}\n"));
        FaultInjection.Reached("folder-lock:acquired");
        return new FolderLock(stream, holderPath, shared: false);
    }

    /// <summary>Takes <paramref name="folder"/> together with other shared holders (the shards of one study), keeping out
    /// an exclusive writer (a plain `compare` of the same study), and being kept out by one.</summary>
    public static FolderLock AcquireShared(string folder, string kind)
    {
        // .NET takes a shared flock for any FileShare other than None.
        var (stream, holderPath) = Open(folder, kind, FileAccess.Read, FileShare.ReadWrite);
        return new FolderLock(stream, holderPath, shared: true);
    }

    static (FileStream Stream, string HolderPath) Open(string folder, string kind, FileAccess access, FileShare share)
    {
        folder = Path.GetFullPath(folder);
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create {kind} {folder}: {e.Message}");
        }
        var holderPath = Path.Combine(folder, HolderFile);
        try { return (new FileStream(Path.Combine(folder, LockFile), FileMode.OpenOrCreate, access, share), holderPath); }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            throw new FolderInUseException($"{kind} {folder} is in use by {Holder(holderPath)}; wait for it to finish or stop it");
        }
    }

    /// <summary>"process 1234 (since 2026-12-02 08:15:02)"; "another process" when the holder has not said yet or the
    /// folder is shared (the shards of a study do not name themselves).</summary>
    static string Holder(string holderPath)
    {
        try
        {
            var lines = File.ReadAllLines(holderPath);
            if (lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                return pid == Environment.ProcessId ? $"this process (PID {pid}, since {lines[1]})" : $"process {pid} (since {lines[1]})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return "another process";
    }

    public void Dispose()
    {
        if (!shared)
        {
            try { File.Delete(holderFile); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        stream.Dispose();
    }

    /// <summary>Whether a writer holds <paramref name="folder"/> now (a probe that takes nothing: it neither creates the lock
    /// file nor keeps the lock). Shared holders (a study's shards) do not count.</summary>
    public static bool IsHeld(string folder)
    {
        var lockFile = Path.Combine(folder, LockFile);
        if (!File.Exists(lockFile)) return false;
        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException e) when (e.HResult == WouldBlock)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True for the files this class keeps in a folder (they do not make a folder "hold a run").</summary>
    public static bool IsLockFile(string path) => Path.GetFileName(path) is LockFile or HolderFile
        || Path.GetFileName(path).StartsWith(HolderFile + AtomicFile.TemporaryMarker, StringComparison.Ordinal);
}
