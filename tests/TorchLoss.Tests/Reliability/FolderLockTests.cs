using System.Diagnostics;
using System.Text.RegularExpressions;
using TorchLoss.Reporting;
using TorchLoss.Runtime;
using TorchLoss.Tests.Data;

namespace TorchLoss.Tests.Reliability;

/// <summary>One writer per folder: a second claim is refused naming the holder, and a dead holder holds nothing.</summary>
public class FolderLockTests
{
    [Fact]
    public void ASecondClaimIsRefusedNamingTheHolderUntilTheFirstIsReleased()
    {
        using var root = new TempDirectory();
        var folder = root["run"];
        using (FolderLock.Acquire(folder, "run folder"))
        {
            var e = Assert.Throws<FolderInUseException>(() => FolderLock.Acquire(folder, "run folder"));
            Assert.StartsWith($"run folder {folder} is in use by this process (PID {Environment.ProcessId}, since ", e.Message);
            Assert.EndsWith("; wait for it to finish or stop it", e.Message);
        }
        using (FolderLock.Acquire(folder, "run folder")) { }
        Assert.Equal([FolderLock.LockFile], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void SharedHoldersAreNamedAsAnExclusiveOneIsAndTheirFilesGoWithThem()
    {
        using var root = new TempDirectory();
        var folder = root["study"];
        using (FolderLock.AcquireShared(folder, "study folder"))
        {
            var e = Assert.Throws<FolderInUseException>(() => FolderLock.Acquire(folder, "study folder"));
            Assert.Matches($@"^study folder {Regex.Escape(folder)} is in use by this process \(PID {Environment.ProcessId}, since [0-9: -]+\); wait for it to finish or stop it$", e.Message);
        }
        // A shard killed without releasing leaves its file; a dead holder is never named, and the next writer removes it.
        File.WriteAllText(Path.Combine(folder, FolderLock.SharedHolderPrefix + "999999999"), "999999999\n2026-01-01 00:00:00\ncompare\n");
        using (FolderLock.AcquireShared(folder, "study folder"))
            Assert.StartsWith($"study folder {folder} is in use by this process (PID {Environment.ProcessId}, since ",
                Assert.Throws<FolderInUseException>(() => FolderLock.Acquire(folder, "study folder")).Message);
        using (FolderLock.Acquire(folder, "study folder")) { }
        Assert.Equal([FolderLock.LockFile], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AnotherProcessHoldsTheFolderWhileItLivesAndNotAfterItIsKilled()
    {
        using var root = new TempDirectory();
        var folder = Directory.CreateDirectory(root["study"]).FullName;
        // flock(1) takes the same kind of lock (flock(2)) on the lock file and holds it while its command runs; -o keeps the
        // lock in flock itself, so killing flock is killing the holder.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-o", Path.Combine(folder, FolderLock.LockFile), "sleep", "60"]))!;
        try
        {
            var refused = WaitUntil(() =>
            {
                try { FolderLock.Acquire(folder, "study folder").Dispose(); return null; }
                catch (FolderInUseException e) { return e; }
            });
            Assert.Equal($"study folder {folder} is in use by another process; wait for it to finish or stop it", refused.Message);
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // SIGKILL: the kernel releases the lock as the process exits
            holder.WaitForExit();
        }
        // flock's child holds a copy of the lock until it closes it before exec, or is killed too: allow it to go.
        var free = false;
        for (var i = 0; i < 200 && !free; i++)
        {
            try
            {
                FolderLock.Acquire(folder, "study folder").Dispose();
                free = true;
            }
            catch (FolderInUseException) { Thread.Sleep(25); }
        }
        Assert.True(free, "the folder was still held 5 s after its holder was killed");
    }

    [Fact]
    public void LeftoversOfKilledWritersAreRemovedAndNothingElse()
    {
        using var root = new TempDirectory();
        var folder = Directory.CreateDirectory(root["run"]).FullName;
        Directory.CreateDirectory(Path.Combine(folder, "checkpoints"));
        File.WriteAllText(Path.Combine(folder, "model.params.tmp-4242"), "partial");
        File.WriteAllText(Path.Combine(folder, "checkpoints", "state.json.tmp-17"), "partial");
        File.WriteAllText(Path.Combine(folder, "model.params"), "kept");
        Assert.Equal(1, AtomicFile.RemoveLeftovers(folder, recursive: false));
        Assert.Equal(1, AtomicFile.RemoveLeftovers(folder));
        Assert.Equal(["model.params"], Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    static FolderInUseException WaitUntil(Func<FolderInUseException?> attempt)
    {
        for (var i = 0; i < 200; i++)
        {
            if (attempt() is { } refused) return refused;
            Thread.Sleep(25); // flock(1) has not taken the lock yet
        }
        throw new TimeoutException("flock(1) did not take the lock within 5 s");
    }
}
