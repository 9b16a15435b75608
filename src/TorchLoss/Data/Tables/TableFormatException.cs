namespace TorchLoss.Data.Tables;

/// <summary>A table file that cannot be used as it is; the message names the file and, where there is one, the line and column.</summary>
public sealed class TableFormatException(string message) : IOException(message);
