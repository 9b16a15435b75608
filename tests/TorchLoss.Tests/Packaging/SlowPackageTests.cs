using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchLoss.Runtime;

namespace TorchLoss.Tests.Packaging;

/// <summary>
/// The packages as a user gets them (README, "Getting it"): the tool installed with `dotnet tool install --tool-path`
/// and run, and a project of the user's own that references the TorchLoss package, built and run. Slow: packing builds
/// the CLI and libraries afresh and packs libtorch's natives (about 1.5 minutes here); leave it out with
/// `--filter "Category!=Slow"`.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class SlowPackageTests(PackedSource packed) : IClassFixture<PackedSource>
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The portable RID the packages are made for (linux-x64 here), not a distro-specific one.</summary>
    static string Rid => RuntimeInformation.RuntimeIdentifier;

    [Fact]
    public void Slow_PackMakesTheLibraryTheFusedEngineAndARidSpecificTool()
    {
        var v = packed.Version;
        Assert.Equal(
            [$"TorchLoss.{v}.nupkg", $"TorchLoss.Cli.{v}.nupkg", $"TorchLoss.Cli.{Rid}.{v}.nupkg", $"TorchLoss.Fused.{v}.nupkg"],
            packed.Packages);
    }

    /// <summary>The libraries carry their XML docs, which a consumer's IDE shows.</summary>
    [Theory]
    [InlineData("TorchLoss", "lib/net10.0/TorchLoss.Core.xml", "T:TorchLoss.Heads.HeadCatalog")]
    [InlineData("TorchLoss.Fused", "lib/net10.0/TorchLoss.Fused.xml", "T:TorchLoss.Fused.NativeStepStatistics")]
    public void Slow_TheLibraryPackagesCarryTheirXmlDocs(string package, string entry, string documentedMember)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packed.Source, $"{package}.{packed.Version}.nupkg"));
        var docs = zip.GetEntry(entry);
        Assert.NotNull(docs);
        using var reader = new StreamReader(docs.Open());
        var xml = System.Xml.Linq.XDocument.Load(reader);
        Assert.Contains(xml.Descendants("member"), m => (string?)m.Attribute("name") == documentedMember);
    }

    [Fact]
    public void Slow_TheInstalledToolRunsAndCarriesTheLoaderFix()
    {
        var tools = packed["tools"];
        ChildProcess.Succeed(ChildProcess.Dotnet,
            ["tool", "install", "--tool-path", tools, "--add-source", packed.Source, "--configfile", packed.NuGetConfig,
             "--version", packed.Version, "TorchLoss.Cli"], packed[""], Timeout);

        var output = ChildProcess.Succeed(Path.Combine(tools, "torchloss"), ["info"], packed[""], Timeout);
        Assert.Matches(new Regex($@"^TorchSharp\s+{Regex.Escape(TorchRuntime.TorchSharpVersion)}$", RegexOptions.Multiline), output);

        // Patched whatever the packing host's libstdc++ (the tool runs on other hosts): the same file as TorchSharp's
        // but for the flags of one version need.
        var installed = File.ReadAllBytes(Directory.GetFiles(Path.Combine(tools, ".store"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single());
        var original = File.ReadAllBytes(Path.Combine(PackedSource.GlobalPackages, "torchsharp", TorchRuntime.TorchSharpVersion,
            "runtimes", Rid, "native", "libLibTorchSharp.so"));
        Assert.Equal(original.Length, installed.Length);
        Assert.InRange(original.Zip(installed).Count(p => p.First != p.Second), 1, 2);

        // libtorch's Python bindings and test backends, which TorchSharp never loads, stay out; what it loads is there.
        var natives = Directory.GetFiles(Path.Combine(tools, ".store"), "*.so*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("libtorch_cpu.so", natives);
        Assert.Contains("libc10.so", natives);
        foreach (var unused in new[] { "libtorch_python.so", "libtorchbind_test.so", "libnnapi_backend.so", "libLdaNative.so.dbg" })
            Assert.DoesNotContain(unused, natives);
    }

    [Fact]
    public void Slow_AProjectReferencingTheLibraryPackageComputesWhatTheSourceBuildComputes()
    {
        var project = packed["consumer"];
        Directory.CreateDirectory(project);
        // Empty Directory.Build files stop MSBuild from importing any above the temporary folder.
        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />");
        File.Copy(packed.NuGetConfig, Path.Combine(project, "nuget.config"));
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <!-- Links, not ~1 GB of copies of libtorch in bin/, as in this repository's own builds. -->
                <CreateSymbolicLinksForCopyLocalIfPossible>true</CreateSymbolicLinksForCopyLocalIfPossible>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TorchLoss" Version="[{packed.Version}]" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(PackedSource.RepoRoot, "tests/TorchLoss.Tests/Packaging/ConsumerCode.cs"), Path.Combine(project, "ConsumerCode.cs"));
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            TorchLoss.Runtime.TorchRuntime.Initialize();
            var (head, model, fused, blas) = TorchLoss.Tests.Packaging.ConsumerCode.Losses();
            Console.WriteLine(FormattableString.Invariant($"head {head:R} model {model:R} fused {fused:R} blas {blas}"));
            """);

        ChildProcess.Succeed(ChildProcess.Dotnet, ["build", "-c", "Release", "-nologo", "-v", "q"], project, Timeout);
        var output = Bin(project, "Consumer.dll");
        var line = ChildProcess.Succeed(ChildProcess.Dotnet, [output], project, Timeout);

        var m = ConsumerLine().Match(line);
        Assert.True(m.Success, line);
        double Number(string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        TorchRuntime.Initialize();
        var expected = ConsumerCode.Losses();
        Assert.Equal(ConsumerCode.TinyHeadLoss, Number("head"), 1e-6);
        Assert.Equal(expected.HeadLoss, Number("head"), 1e-9);
        Assert.Equal(expected.ModelLoss, Number("model"), 1e-6);
        Assert.Equal(Number("model"), Number("fused"), 1e-5);
        Assert.Equal(expected.FusedLoss, Number("fused"), 1e-6);
        Assert.Equal(expected.FusedUsesBlas.ToString(), m.Groups["blas"].Value);

        // The fused engine's native library came from the TorchLoss.Fused package, as a native asset for this RID.
        Assert.True(File.Exists(Bin(project, $"runtimes/{Rid}/native/libtorchloss_fused.so")), line);
        // Where the host's libstdc++ lacks GLIBCXX_3.4.32, the package's buildTransitive targets patched the consumer's build.
        if (!HostHasGlibcxx3432())
        {
            var loaded = new FileInfo(Bin(project, $"runtimes/{Rid}/native/libLibTorchSharp.so"));
            Assert.Contains("libtorchsharp-loader-fix", loaded.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? loaded.FullName);
        }

        static string Bin(string project, string file) => Path.Combine(project, "bin", "Release", "net10.0", file);
    }

    static bool HostHasGlibcxx3432() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists) is { } host && File.ReadAllText(host).Contains("GLIBCXX_3.4.32");

    [GeneratedRegex(@"^head (?<head>\S+) model (?<model>\S+) fused (?<fused>\S+) blas (?<blas>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ConsumerLine();
}
