using System.Globalization;
using TorchLoss.Runtime;

namespace TorchLoss.Runtime;

/// <summary>A second writer was refused: another process (or another part of this one) holds the folder.</summary>
public sealed class FolderInUseException(string message) : IOException(message);

/// <summary>
/// An exclusive claim on a folder for one writer: an OS lock on the folder's lock file (flock, which .NET takes for
/// FileShare.None), so the kernel releases it when the process ends in any way, even SIGKILL: a dead process never
/// holds a folder. The lock file stays (deleting it would let two writers lock two different files); the holder's
/// PID and command go into a second file, for the one line a refused writer prints; each shared holder (a shard of a
/// study) writes a file of its own beside it, so that a refused writer names them too.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string LockFile = ".torchloss.lock";
    public const string HolderFile = ".torchloss.holder";
    /// <summary>A shared holder's file: this prefix and its PID.</summary>
    public const string SharedHolderPrefix = HolderFile + ".shared-";
    const int WouldBlock = 11; // EWOULDBLOCK on Linux, the HResult .NET reports for a held lock

    readonly FileStream stream;
    readonly string holderFile;

    FolderLock(FileStream stream, string holderFile)
    {
        this.stream = stream;
        this.holderFile = holderFile;
    }

    public string Folder => Path.GetDirectoryName(holderFile)!;

    /// <summary>Takes <paramref name="folder"/> (created if missing) for this process; <see cref="FolderInUseException"/>
    /// naming the holder when another writer has it. <paramref name="kind"/> names the folder in messages ("run folder").</summary>
    public static FolderLock Acquire(string folder, string kind)
    {
        var (stream, holderPath) = Open(folder, kind, FileAccess.ReadWrite, FileShare.None);
        // Shared holders' files left by killed shards: no shared holder can be alive while this lock is held.
        foreach (var stale in SharedHolderFiles(Path.GetDirectoryName(holderPath)!)) TryDelete(stale);
        WriteHolder(holderPath);
        FaultInjection.Reached("folder-lock:acquired");
        return new FolderLock(stream, holderPath);
    }

    static void WriteHolder(string path) => AtomicFile.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessId}\n{DateTime.Now:yyyy-MM-dd HH:mm:ss}\n{string.Join(' ', Environment.GetCommandLineArgs())}\n"));

    /// <summary>Takes <paramref name="folder"/> together with other shared holders (the shards of one study), keeping out
    /// an exclusive writer (a plain `compare` of the same study), and being kept out by one.</summary>
    public static FolderLock AcquireShared(string folder, string kind)
    {
        // .NET takes a shared flock for any FileShare other than None.
        var (stream, exclusiveHolder) = Open(folder, kind, FileAccess.Read, FileShare.ReadWrite);
        // An exclusive holder's file left by a killed writer: none can be alive while a shared lock is held.
        TryDelete(exclusiveHolder);
        var holderPath = Path.Combine(Path.GetDirectoryName(exclusiveHolder)!, SharedHolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        WriteHolder(holderPath);
        return new FolderLock(stream, holderPath);
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
            throw new FolderInUseException($"{kind} {folder} is in use by {Holders(folder)}; wait for it to finish or stop it");
        }
    }

    /// <summary>"process 1234 (since 2026-12-02 08:15:02)", or "processes 1234 (since ...) and 1240 (since ...)" for the
    /// shards of a study; "this process (PID 1234, since ...)" for this one; "another process" when the holder has not
    /// said yet (or is not TorchLoss).</summary>
    static string Holders(string folder)
    {
        var holders = new[] { Path.Combine(folder, HolderFile) }.Concat(SharedHolderFiles(folder).Order(StringComparer.Ordinal))
            .Select(Holder).OfType<(int Pid, string Since)>().Distinct().ToList();
        string Describe((int Pid, string Since) h) => h.Pid == Environment.ProcessId ? $"this process (PID {h.Pid}, since {h.Since})" : $"process {h.Pid} (since {h.Since})";
        string Short((int Pid, string Since) h) => h.Pid == Environment.ProcessId ? $"{h.Pid} (this process, since {h.Since})" : $"{h.Pid} (since {h.Since})";
        return holders.Count switch
        {
            0 => "another process",
            1 => Describe(holders[0]),
            _ => $"processes {string.Join(", ", holders[..^1].Select(Short))} and {Short(holders[^1])}",
        };
    }

    /// <summary>The PID and start of one holder file, or null when it is missing, unreadable or its process is gone.</summary>
    static (int Pid, string Since)? Holder(string holderPath)
    {
        try
        {
            if (!File.Exists(holderPath)) return null;
            var lines = File.ReadAllLines(holderPath);
            if (lines.Length < 2 || !int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsAlive(pid)) return null;
            return (pid, lines[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    static bool IsAlive(int pid) => !OperatingSystem.IsLinux() || Directory.Exists($"/proc/{pid}");

    static IEnumerable<string> SharedHolderFiles(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, SharedHolderPrefix + "*").Where(f => !f.Contains(AtomicFile.TemporaryMarker, StringComparison.Ordinal)) : [];

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        TryDelete(holderFile);
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
    public static bool IsLockFile(string path) => Path.GetFileName(path) is LockFile || Path.GetFileName(path).StartsWith(HolderFile, StringComparison.Ordinal);
}
