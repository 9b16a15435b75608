using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace TorchLoss.Tests.Reliability;

/// <summary>A real one-node Slurm cluster (Debian's slurm-wlm 22.05 and munge) in a temporary directory: its own munged,
/// slurmctld and slurmd on free ports, so tests can submit sbatch jobs and wait for them. It never touches a system
/// Slurm or munged. Dispose cancels every job and stops every process the cluster started, even those of failed jobs.</summary>
sealed class SlurmCluster : IDisposable
{
    static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(2);
    const string MungeKey = "/etc/munge/munge.key";
    static readonly string[] Programs = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scontrol", "scancel"];

    static readonly Lazy<string?> SkipReasonOnce = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return "a one-node Slurm cluster needs Linux";
        var missing = Programs.Where(p => Find(p) is null).ToList();
        if (missing.Count > 0)
            return $"no Slurm here: {string.Join(", ", missing)} not installed (scripts/setup.sh --tests installs slurm-wlm and munge)";
        if (geteuid() != 0) return "a one-node Slurm cluster needs root here";
        if (!File.Exists(MungeKey)) return $"no munge key at {MungeKey} (the munge package creates it; or run mungekey -c)";
        return null;
    });

    /// <summary>Why a cluster cannot start here (Slurm or munge missing, not root, no munge key), or null when it can.
    /// Cheap and cached: it only looks for files.</summary>
    public static string? SkipReason => SkipReasonOnce.Value;

    readonly string conf;
    readonly List<(string Name, int Pid)> daemons = [];
    bool disposed;

    SlurmCluster(string directory)
    {
        Directory = directory;
        conf = Path.Combine(directory, "slurm.conf");
        Environment = new Dictionary<string, string> { ["SLURM_CONF"] = conf };
    }

    /// <summary>The cluster's temporary directory: slurm.conf, the daemons' state, pid and log files. Jobs may write here.</summary>
    public string Directory { get; }

    /// <summary>What a child process needs to talk to this cluster (SLURM_CONF). Remove any other SLURM_* variable the
    /// child would inherit, as <see cref="Run"/> does, so a test run inside a Slurm job cannot reach that job's cluster.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The process ids of munged, slurmctld and slurmd, from their pid files.</summary>
    public IReadOnlyList<int> DaemonProcessIds => daemons.Select(d => d.Pid).ToList();

    /// <summary>Starts munged, slurmctld and slurmd in a new temporary directory and waits until the node is idle;
    /// throws, with the tails of the daemons' logs, when it is not within 30 seconds.</summary>
    public static SlurmCluster Start()
    {
        var cluster = new SlurmCluster(System.IO.Directory.CreateTempSubdirectory("torchloss-slurm-").FullName);
        try
        {
            cluster.Boot();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    void Boot()
    {
        var d = Directory;
        System.IO.Directory.CreateDirectory(Path.Combine(d, "state"));
        System.IO.Directory.CreateDirectory(Path.Combine(d, "spool"));
        var (code, node, error) = Run("slurmd", "-C");
        if (code != 0) throw Failure($"slurmd -C failed: {error}");
        // slurmd -C prints this machine's node line (name, CPU layout, memory) exactly as slurmd will register it, so the
        // node is never drained for reporting less than slurm.conf claims. The address keeps DNS out of it.
        var nodeLine = node.Split('\n')[0].Trim() + " NodeAddr=127.0.0.1 State=UNKNOWN";
        var host = nodeLine.Split(' ')[0]["NodeName=".Length..];
        var (controllerPort, nodePort) = (FreePort(), FreePort());
        File.WriteAllText(conf, $"""
            ClusterName=torchloss
            SlurmctldHost={host}(127.0.0.1)
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            AuthInfo=socket={d}/munge.socket
            CredType=cred/munge
            StateSaveLocation={d}/state
            SlurmdSpoolDir={d}/spool
            SlurmctldPidFile={d}/slurmctld.pid
            SlurmdPidFile={d}/slurmd.pid
            SlurmctldPort={controllerPort}
            SlurmdPort={nodePort}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/backfill
            SchedulerParameters=batch_sched_delay=0
            ReturnToService=2
            SlurmctldLogFile={d}/slurmctld.log
            SlurmdLogFile={d}/slurmd.log
            MpiDefault=none
            {nodeLine}
            PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """);

        // --force: munged otherwise refuses a key file owned by the munge user while it runs as root.
        StartDaemon("munged", "munged.pid", $"--socket={d}/munge.socket", $"--key-file={MungeKey}", $"--pid-file={d}/munged.pid",
            $"--log-file={d}/munged.log", $"--seed-file={d}/munge.seed", "--force");
        StartDaemon("slurmctld", "slurmctld.pid", "-f", conf);
        StartDaemon("slurmd", "slurmd.pid", "-f", conf, "-N", host);

        var clock = Stopwatch.StartNew();
        var sinfo = "";
        while (clock.Elapsed < StartLimit)
        {
            if (daemons.FirstOrDefault(d => !IsAlive(d.Pid)).Name is { } dead) throw Failure($"{dead} exited");
            var (_, output, sinfoError) = Run("sinfo", "-h", "-o", "%t");
            if (output.Trim() == "idle") return;
            sinfo = (output + sinfoError).Trim();
            Thread.Sleep(200);
        }
        throw Failure($"the node is not idle after {StartLimit.TotalSeconds} s (sinfo: '{sinfo}')");
    }

    void StartDaemon(string program, string pidFile, params string[] args)
    {
        var (code, output, error) = Run(program, args);
        if (code != 0) throw Failure($"{program} exited with {code}: {output}{error}");
        var path = Path.Combine(Directory, pidFile);
        var clock = Stopwatch.StartNew();
        // The daemon writes its pid file after its parent has exited, so it may take a moment to appear.
        while (clock.Elapsed < StartLimit)
        {
            if (ReadPid(path) is { } pid)
            {
                daemons.Add((program, pid));
                return;
            }
            Thread.Sleep(50);
        }
        throw Failure($"{program} wrote no pid file {path}");
    }

    /// <summary>Runs `sbatch --parsable ARGS` and returns the job id (an array job's id, without a task suffix).</summary>
    public string Sbatch(params string[] args)
    {
        var (code, output, error) = Run("sbatch", ["--parsable", .. args]);
        if (code != 0) throw Failure($"sbatch {string.Join(' ', args)} exited with {code}: {error}");
        // --parsable prints "ID" or "ID;CLUSTER".
        return output.Trim().Split(';')[0];
    }

    /// <summary>Runs PROGRAM ARGS to its end (at most 2 minutes) with the cluster's <see cref="Environment"/> and no other
    /// SLURM_* variable; returns its exit code, stdout and stderr.</summary>
    public (int Code, string Output, string Error) Run(string program, params string[] args)
    {
        var path = program.Contains('/') ? program : Find(program) ?? program;
        var start = new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("SLURM_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in Environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran longer than {CommandLimit.TotalMinutes} minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Waits until no job is pending or running; throws, with squeue's list and the logs' tails, after <paramref name="limit"/>.</summary>
    public void WaitForJobs(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var queue = "";
        while (clock.Elapsed < limit)
        {
            var (code, output, error) = Run("squeue", "-h");
            if (code != 0) throw Failure($"squeue exited with {code}: {error}");
            if (output.Trim().Length == 0) return;
            queue = output;
            Thread.Sleep(250);
        }
        throw Failure($"jobs still queued after {limit.TotalSeconds} s:\n{queue}");
    }

    /// <summary>The state of job <paramref name="jobId"/> (e.g. COMPLETED, FAILED) while slurmctld still knows it (5 minutes
    /// after it ends); an array job's distinct task states joined by commas; null when the job is unknown.</summary>
    public string? JobState(string jobId)
    {
        var (code, output, _) = Run("scontrol", "-o", "show", "job", jobId);
        if (code != 0) return null;
        var states = Regex.Matches(output, @"\bJobState=(\S+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        return states.Count == 0 ? null : string.Join(',', states);
    }

    /// <summary>Cancels every job, stops slurmd, slurmctld and munged (SIGTERM, then SIGKILL), kills whatever else the
    /// cluster started, and deletes <see cref="Directory"/>.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            // squeue and scancel retry for a minute when slurmctld is gone, so ask only while it runs.
            if (daemons.Any(d => d.Name == "slurmctld" && IsAlive(d.Pid))) CancelJobs();
        }
        catch (Exception) { } // the daemons are stopped below whatever state they are in
        finally
        {
            StopAll();
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }

    // Waits until the cancelled jobs have left the queue: slurmd, stopped while a job step still reports its end to
    // slurmctld, would not exit on SIGTERM.
    void CancelJobs()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var jobs = Run("squeue", "-h", "-o", "%A").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (jobs.Length == 0) return;
            Run("scancel", jobs);
            Thread.Sleep(100);
        }
    }

    void StopAll()
    {
        var pids = new[] { "slurmd.pid", "slurmctld.pid", "munged.pid" }.Select(f => ReadPid(Path.Combine(Directory, f)))
            .OfType<int>().Concat(DaemonProcessIds).Distinct().ToList();
        foreach (var pid in pids) Signal(pid, SigTerm);
        var clock = Stopwatch.StartNew();
        while (pids.Any(IsAlive) && clock.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(50);
        // Also kills slurmstepd and job processes: everything the daemons started carries this cluster's SLURM_CONF.
        foreach (var pid in pids.Where(IsAlive).Concat(ProcessesWithConf()).Distinct()) Signal(pid, SigKill);
    }

    /// <summary>Whether process <paramref name="pid"/> runs (a zombie does not).</summary>
    public static bool IsAlive(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return false; }
        // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so the state follows the last ") ".
        var state = stat[(stat.LastIndexOf(") ", StringComparison.Ordinal) + 2)..];
        return !state.StartsWith('Z') && !state.StartsWith('X');
    }

    IEnumerable<int> ProcessesWithConf()
    {
        var marker = $"SLURM_CONF={conf}";
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            string environ;
            try { environ = File.ReadAllText(Path.Combine(entry, "environ")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (environ.Split('\0').Contains(marker)) yield return pid;
        }
    }

    Exception Failure(string message)
    {
        var logs = new[] { "munged.log", "slurmctld.log", "slurmd.log" }.Select(name =>
        {
            var path = Path.Combine(Directory, name);
            var tail = File.Exists(path) ? File.ReadLines(path).TakeLast(15) : ["(none)"];
            return $"--- {name}:\n{string.Join('\n', tail)}";
        });
        return new InvalidOperationException($"Slurm test cluster: {message}\n{string.Join('\n', logs)}");
    }

    static int? ReadPid(string path)
    {
        try { return int.TryParse(File.ReadAllText(path).Trim(), out var pid) && pid > 0 ? pid : null; }
        catch (IOException) { return null; }
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    /// <summary>PROGRAM's path on PATH or in /usr/sbin (often missing from a non-login PATH) or /usr/bin, or null.</summary>
    static string? Find(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin").Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    const int SigTerm = 15, SigKill = 9;

    static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    [DllImport("libc")]
    static extern uint geteuid();
}
