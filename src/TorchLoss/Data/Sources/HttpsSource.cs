namespace TorchLoss.Data.Sources;

/// <summary>Downloads files from a URL template (a ".gz" template is decompressed on the fly).</summary>
public sealed class HttpsSource(string urlTemplate, HttpClient client) : IDatasetSource
{
    static readonly Lazy<HttpClient> shared = new(() => new HttpClient(new SocketsHttpHandler
    {
        // Unreachable mirrors must fail fast so the next source gets its turn.
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    });

    public static HttpClient SharedClient => shared.Value;

    public string Description => urlTemplate;

    public async Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken)
    {
        var url = TemplatePath.Expand(urlTemplate, file);
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} for {url}");
        }
        // Disposing the content stream releases the response's connection.
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return TemplatePath.Uncompressed(body, url);
    }
}
