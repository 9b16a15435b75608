using System.Globalization;

namespace TorchLoss.Data.Tables;

/// <summary>
/// How large a table file's parts may be. Each bounds memory that a small file could otherwise blow up: a line is held
/// whole before it is split (a 200 MB line took 14.6 GB), each column costs bookkeeping of about 450 bytes whatever the
/// rows, and a .gz of 100 KB can expand a thousandfold. All are far above real tables (the widest common ones, gene
/// expression, have some 60,000 columns; HIGGS.csv.gz expands to 7.5 GiB); a file beyond one is refused in one line
/// that names the limit. A plain file has no size limit: its size is the user's data.
/// </summary>
public sealed record TableLimits(int MaxLineLength, int MaxColumns, long MaxDecompressedBytes)
{
    /// <summary>Characters in one line: 4 Mi (4,194,304).</summary>
    public const int DefaultMaxLineLength = 4 << 20;

    public const int DefaultMaxColumns = 250_000;

    /// <summary>Bytes a .gz file may expand to (16 GiB).</summary>
    public const long DefaultMaxDecompressedBytes = 16L << 30;

    public static TableLimits Default { get; } = new(DefaultMaxLineLength, DefaultMaxColumns, DefaultMaxDecompressedBytes);

    /// <summary>The default limits in words, for --help.</summary>
    public static string Summary { get; } = string.Create(CultureInfo.InvariantCulture,
        $"lines of up to {DefaultMaxLineLength:N0} characters, up to {DefaultMaxColumns:N0} columns, a .gz up to {Bytes(DefaultMaxDecompressedBytes)} decompressed");

    /// <summary>A byte count in the largest binary unit that divides it ("16 GiB").</summary>
    internal static string Bytes(long count) => count switch
    {
        >= 1L << 30 when count % (1L << 30) == 0 => $"{count >> 30} GiB",
        >= 1L << 20 when count % (1L << 20) == 0 => $"{count >> 20} MiB",
        >= 1L << 10 when count % (1L << 10) == 0 => $"{count >> 10} KiB",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count:N0} bytes"),
    };
}
