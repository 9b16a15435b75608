namespace TorchLoss.Data;

/// <summary>Where datasets live: an explicit choice, else $TORCHLOSS_DATA_DIR, else the checkout's datasets/, else the user's data folder.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "TORCHLOSS_DATA_DIR";

    const string SolutionFile = "TorchLoss.sln";

    /// <param name="explicitDirectory">e.g. the CLI's --data-dir; wins when given.</param>
    /// <param name="getEnvironmentVariable">defaults to the process environment (tests pass their own).</param>
    /// <param name="startDirectory">where to start looking for a checkout; defaults to AppContext.BaseDirectory.</param>
    public static string Resolve(string? explicitDirectory = null, Func<string, string?>? getEnvironmentVariable = null,
                                 string? startDirectory = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnvironment = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return FindCheckout(startDirectory ?? AppContext.BaseDirectory) is { } root
            ? Path.Combine(root, "datasets")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
                           "torchloss", "datasets");
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> that holds TorchLoss.sln, or null.</summary>
    public static string? FindCheckout(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }
}
