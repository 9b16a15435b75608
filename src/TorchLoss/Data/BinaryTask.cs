namespace TorchLoss.Data;

/// <summary>
/// A two-class view of a dataset for logistic regression: <see cref="Positive"/> becomes label 1 and
/// <see cref="Negative"/> label 0; with no negative class every other class is label 0 (one vs rest).
/// </summary>
public sealed record BinaryTask(int Positive, int? Negative = null)
{
    public bool IsOneVsRest => Negative is null;

    public bool Includes(byte label) => IsOneVsRest || label == Positive || label == Negative;

    public long Relabel(byte label) => label == Positive ? 1 : 0;

    public IReadOnlyList<string> ClassNames(IReadOnlyList<string> classes) =>
        [Negative is int negative ? classes[negative] : $"not {classes[Positive]}", classes[Positive]];

    public void Validate(int classCount)
    {
        if (Positive < 0 || Positive >= classCount)
            throw new ArgumentOutOfRangeException(nameof(Positive), Positive, $"binary task: class {Positive} is outside 0..{classCount - 1}");
        if (Negative is int negative && (negative < 0 || negative >= classCount))
            throw new ArgumentOutOfRangeException(nameof(Negative), negative, $"binary task: class {negative} is outside 0..{classCount - 1}");
        if (Negative == Positive)
            throw new ArgumentOutOfRangeException(nameof(Negative), Negative, $"binary task: class {Positive} cannot be set against itself");
    }

    /// <summary>Parses "3v5" (class 3 against class 5) or "3vrest" (class 3 against all others).</summary>
    public static BinaryTask Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split('v');
        if (parts.Length == 2 && int.TryParse(parts[0], out var positive))
        {
            if (parts[1] == "rest") return new BinaryTask(positive);
            if (int.TryParse(parts[1], out var negative)) return new BinaryTask(positive, negative);
        }
        throw new FormatException($"binary task '{text}': expected PvN (e.g. 3v5) or Pvrest (e.g. 3vrest)");
    }

    public override string ToString() => IsOneVsRest ? $"{Positive}vrest" : $"{Positive}v{Negative}";
}
