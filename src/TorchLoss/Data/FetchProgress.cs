namespace TorchLoss.Data;

/// <summary>Progress of one file's fetch: uncompressed bytes written so far out of the manifest's size.</summary>
public readonly record struct FetchProgress(string Dataset, string File, string Source, long BytesDone, long BytesTotal);
