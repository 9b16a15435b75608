namespace TorchLoss.Tests.Reliability;

/// <summary>The one-node <see cref="SlurmCluster"/> the `compare --slurm` tests run on: it runs a job array and a job that
/// depends on it, and stops every daemon it started when disposed.</summary>
public class SlurmClusterTests
{
    [SlurmFact]
    public void RunsAnArrayAndADependentJobThenStopsItsDaemons()
    {
        IReadOnlyList<int> daemons;
        string directory;
        using (var cluster = SlurmCluster.Start())
        {
            (daemons, directory) = (cluster.DaemonProcessIds, cluster.Directory);
            Assert.Equal(3, daemons.Count);
            Assert.All(daemons, pid => Assert.True(SlurmCluster.IsAlive(pid), $"daemon {pid} is not running"));

            var work = Directory.CreateDirectory(Path.Combine(cluster.Directory, "work")).FullName;
            var array = cluster.Sbatch("--array=1-2", $"--chdir={work}", "--output=/dev/null",
                "--wrap", "echo task $SLURM_ARRAY_TASK_ID > out-$SLURM_ARRAY_TASK_ID.txt");
            var join = cluster.Sbatch($"--dependency=afterok:{array}", $"--chdir={work}", "--output=/dev/null",
                "--wrap", "cat out-1.txt out-2.txt > all.txt");
            cluster.WaitForJobs(TimeSpan.FromSeconds(60));

            Assert.Equal("COMPLETED", cluster.JobState(array));
            Assert.Equal("COMPLETED", cluster.JobState(join));
            Assert.Equal("task 1\ntask 2\n", File.ReadAllText(Path.Combine(work, "all.txt")));
        }
        Assert.All(daemons, pid => Assert.False(SlurmCluster.IsAlive(pid), $"daemon {pid} still runs after Dispose"));
        Assert.False(Directory.Exists(directory), $"{directory} is left behind");
    }
}
