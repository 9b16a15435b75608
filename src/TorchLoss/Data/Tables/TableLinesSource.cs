using Microsoft.ML.Data;

namespace TorchLoss.Data.Tables;

/// <summary>
/// The data rows of a table file as ML.NET's text loader reads them: decompressed, without the skipped lines, the header
/// and blank lines, so the loader's rows are exactly the rows <see cref="TableScan"/> checked.
/// </summary>
sealed class TableLinesSource(string path, int skipRows, bool hasHeader, TableLimits limits) : IMultiStreamSource
{
    public int Count => 1;

    public string GetPathOrNull(int index) => path;

    public Stream Open(int index) => throw new NotSupportedException("the rows are read as text");

    public TextReader OpenTextReader(int index) =>
        new LinesReader(TableText.Lines(path, skipRows, limits).Skip(hasHeader ? 1 : 0).Select(line => line.Text).GetEnumerator());

    /// <summary>A reader over lines produced one at a time.</summary>
    sealed class LinesReader(IEnumerator<string> lines) : TextReader
    {
        string current = ""; // the line being read, with its '\n'
        int position;

        public override string? ReadLine()
        {
            if (!Fill()) return null;
            var rest = current[position..^1];
            position = current.Length;
            return rest;
        }

        public override int Peek() => Fill() ? current[position] : -1;

        public override int Read() => Fill() ? current[position++] : -1;

        bool Fill()
        {
            if (position < current.Length) return true;
            if (!lines.MoveNext()) return false;
            current = lines.Current + "\n";
            position = 0;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) lines.Dispose();
            base.Dispose(disposing);
        }
    }
}
