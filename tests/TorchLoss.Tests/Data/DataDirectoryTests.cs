using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

public sealed class DataDirectoryTests : IDisposable
{
    readonly TempDirectory temp = new();

    static Func<string, string?> Environment(string? value) =>
        name => name == DataDirectory.EnvironmentVariable ? value : null;

    [Fact]
    public void An_explicit_directory_wins_over_the_environment()
    {
        Assert.Equal(temp["explicit"], DataDirectory.Resolve(temp["explicit"], Environment(temp["env"])));
    }

    [Fact]
    public void The_environment_variable_wins_over_the_checkout()
    {
        Assert.Equal(temp["env"], DataDirectory.Resolve(null, Environment(temp["env"]), AppContext.BaseDirectory));
    }

    [Fact]
    public void A_checkout_is_found_by_walking_up_to_its_solution_file()
    {
        File.WriteAllText(temp["TorchLoss.sln"], "");
        var nested = Directory.CreateDirectory(temp["src/App/bin/Debug"]).FullName;
        Assert.Equal(temp["datasets"], DataDirectory.Resolve(null, Environment(null), nested));
    }

    [Fact]
    public void Outside_a_checkout_the_users_data_folder_is_used()
    {
        var resolved = DataDirectory.Resolve(null, Environment(null), temp.Path);
        Assert.EndsWith(Path.Combine("torchloss", "datasets"), resolved);
        Assert.DoesNotContain(temp.Path, resolved);
    }

    [Fact]
    public void Tests_run_from_this_checkout_default_to_its_datasets_directory()
    {
        var root = DataDirectory.FindCheckout(AppContext.BaseDirectory);
        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "datasets", "manifest.json")));
    }

    public void Dispose() => temp.Dispose();
}
