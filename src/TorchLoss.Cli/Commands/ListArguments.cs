using System.Globalization;

namespace TorchLoss.Cli.Commands;

/// <summary>Options that take lists, such as --lr-grid 0.1,0.3 or --batch 32,128.</summary>
internal static class ListArguments
{
    public static List<string> Split(string text, char separator = ',') =>
        text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public static List<double> Numbers(string text, string option) => Split(text).Select(part =>
        double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new UserException($"{option}: '{part}' is not a number")).ToList();

    public static List<int> PositiveIntegers(string text, string option) => Split(text).Select(part =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
            : throw new UserException($"{option}: '{part}' is not a positive integer")).ToList();
}
