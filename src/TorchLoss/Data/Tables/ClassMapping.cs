using System.Globalization;

namespace TorchLoss.Data.Tables;

/// <summary>
/// Maps a table's label values to classes 0..K-1: in numeric order when every value is a number, else in ordinal text
/// order; or, for a dataset that names its classes, label i is class i. <see cref="Names"/> is what reports print.
/// </summary>
public sealed class ClassMapping
{
    readonly Dictionary<string, int> indexOf;

    ClassMapping(IReadOnlyList<string> values, IReadOnlyList<string> names)
    {
        Values = values;
        Names = names;
        indexOf = values.Select((value, i) => (value, i)).ToDictionary(p => p.value, p => p.i);
    }

    /// <summary>The label as written in the file, by class.</summary>
    public IReadOnlyList<string> Values { get; }

    public IReadOnlyList<string> Names { get; }

    public int Count => Values.Count;

    public static ClassMapping FromLabels(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        var ordered = distinct.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? distinct.OrderBy(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ThenBy(v => v, StringComparer.Ordinal).ToArray()
            : distinct.Order(NaturalOrder.Instance).ToArray();
        return new ClassMapping(ordered, ordered);
    }

    /// <summary>The mapping a run recorded: label value i (as in its file) is class i, named <paramref name="names"/>[i].</summary>
    public static ClassMapping Recorded(IReadOnlyList<string> values, IReadOnlyList<string> names) =>
        values.Count == names.Count ? new(values, names) : throw new ArgumentException("one name per label value");

    /// <summary>Labels 0..K-1 (integers) name the classes <paramref name="names"/> in order.</summary>
    public static ClassMapping Named(IReadOnlyList<string> names) =>
        new(Enumerable.Range(0, names.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), names);

    /// <summary>Each row's class; <paramref name="where"/> names row i in the error for a value outside the mapping.</summary>
    public long[] Map(IReadOnlyList<string> labels, Func<int, string> where, string unknownReason)
    {
        var classes = new long[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!indexOf.TryGetValue(Canonical(labels[i]), out var index))
                throw new TableFormatException($"{where(i)}: class '{labels[i]}' {unknownReason}");
            classes[i] = index;
        }
        return classes;
    }

    /// <summary>"2.0" is label 2 of a named dataset, whose values are integers.</summary>
    string Canonical(string label) =>
        !indexOf.ContainsKey(label) && double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        && number == Math.Floor(number) && number is >= 0 and < int.MaxValue && indexOf.ContainsKey(((int)number).ToString(CultureInfo.InvariantCulture))
            ? ((int)number).ToString(CultureInfo.InvariantCulture)
            : label;
}

/// <summary>Text order in which runs of digits compare by their value ("c2" before "c10"), the rest ordinally.</summary>
sealed class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                int si = i, sj = j;
                while (i < x.Length && char.IsAsciiDigit(x[i])) i++;
                while (j < y.Length && char.IsAsciiDigit(y[j])) j++;
                var a = x[si..i].TrimStart('0');
                var b = y[sj..j].TrimStart('0');
                var byValue = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                if (byValue != 0) return byValue;
            }
            else
            {
                var byChar = x[i].CompareTo(y[j]);
                if (byChar != 0) return byChar;
                i++;
                j++;
            }
        }
        var byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }
}
