using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace TorchLoss.Data.Tables;

/// <summary>
/// Reads examples out of any ML.NET <see cref="IDataView"/> (a text file, a database, data in memory): one label column
/// (text, a number, a boolean or a key) and feature columns that are numbers or fixed-size vectors of numbers (float or
/// double), concatenated in the order given.
/// </summary>
public static class DataViewRows
{
    public static LabelledRows Read(IDataView view, string labelColumn, IReadOnlyList<string> featureColumns)
    {
        var label = Column(view, labelColumn);
        var features = featureColumns.Select(name => Column(view, name)).ToArray();
        var widths = features.Select(Width).ToArray();
        var featureNames = features.SelectMany((column, i) => widths[i] == 1 && column.Type is not VectorDataViewType
            ? [column.Name]
            : Enumerable.Range(0, widths[i]).Select(k => $"{column.Name}[{k}]")).ToArray();

        var values = new List<float>();
        var labels = new List<string>();
        using var cursor = view.GetRowCursor([label, .. features]);
        var readLabel = LabelGetter(cursor, label);
        var readers = features.Select(column => FeatureGetter(cursor, column)).ToArray();
        while (cursor.MoveNext())
        {
            labels.Add(readLabel());
            foreach (var read in readers) read(values);
        }
        return new LabelledRows(values.ToArray(), labels.ToArray(), featureNames);
    }

    static DataViewSchema.Column Column(IDataView view, string name) =>
        view.Schema.GetColumnOrNull(name) ?? throw new FormatException(
            $"the data has no column '{name}'; its columns are {string.Join(", ", view.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}");

    static int Width(DataViewSchema.Column column) => column.Type switch
    {
        VectorDataViewType { IsKnownSize: true } vector when IsNumber(vector.ItemType) => vector.Size,
        VectorDataViewType vector => throw new FormatException($"feature column '{column.Name}' is a vector of {vector.ItemType} " +
                                                               $"{(vector.IsKnownSize ? "" : "of unknown size ")}; features must be fixed-size float or double"),
        var type when IsNumber(type) => 1,
        var type => throw new FormatException($"feature column '{column.Name}' holds {type}; features must be numbers"),
    };

    static bool IsNumber(DataViewType type) => type == NumberDataViewType.Single || type == NumberDataViewType.Double;

    static Func<string> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case TextDataViewType:
            {
                var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                ReadOnlyMemory<char> value = default;
                return () => { get(ref value); return value.ToString().Trim(); };
            }
            case KeyDataViewType:
            {
                var get = cursor.GetGetter<uint>(column);
                uint value = 0;
                // ML.NET keys count from 1 (0 is "missing"): key k is class k - 1.
                return () => { get(ref value); return value == 0 ? "" : (value - 1).ToString(CultureInfo.InvariantCulture); };
            }
            case BooleanDataViewType:
                return Formatted<bool>(cursor, column, v => v ? "true" : "false");
            case var t when t == NumberDataViewType.Single: return Formatted<float>(cursor, column, v => v.ToString("R", CultureInfo.InvariantCulture));
            case var t when t == NumberDataViewType.Double: return Formatted<double>(cursor, column, v => v.ToString("R", CultureInfo.InvariantCulture));
            case var t when t == NumberDataViewType.Int32: return Formatted<int>(cursor, column, v => v.ToString(CultureInfo.InvariantCulture));
            case var t when t == NumberDataViewType.Int64: return Formatted<long>(cursor, column, v => v.ToString(CultureInfo.InvariantCulture));
            case var t when t == NumberDataViewType.UInt32: return Formatted<uint>(cursor, column, v => v.ToString(CultureInfo.InvariantCulture));
            default: throw new FormatException($"label column '{column.Name}' holds {column.Type}; labels must be text, numbers, booleans or keys");
        }
    }

    static Func<string> Formatted<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, string> format)
    {
        var get = cursor.GetGetter<T>(column);
        T value = default!;
        return () => { get(ref value); return format(value); };
    }

    static Action<List<float>> FeatureGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var itemType = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        if (column.Type is VectorDataViewType)
        {
            if (itemType == NumberDataViewType.Single)
            {
                var get = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                return values => { get(ref buffer); values.AddRange(buffer.DenseValues()); };
            }
            var getDouble = cursor.GetGetter<VBuffer<double>>(column);
            VBuffer<double> doubles = default;
            return values => { getDouble(ref doubles); values.AddRange(doubles.DenseValues().Select(v => (float)v)); };
        }
        if (itemType == NumberDataViewType.Single)
        {
            var get = cursor.GetGetter<float>(column);
            float value = 0;
            return values => { get(ref value); values.Add(value); };
        }
        var getOne = cursor.GetGetter<double>(column);
        double one = 0;
        return values => { getOne(ref one); values.Add((float)one); };
    }
}
