namespace TorchLoss.Data;

/// <summary>No source could provide a verified copy of a dataset file; the message lists what was tried.</summary>
public sealed class DatasetUnavailableException(string message) : IOException(message);

/// <summary>The data directory cannot be created, read or written.</summary>
public sealed class DataDirectoryException(string message, Exception? inner = null) : IOException(message, inner);
