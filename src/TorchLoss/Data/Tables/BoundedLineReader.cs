using System.Text;

namespace TorchLoss.Data.Tables;

/// <summary>
/// <see cref="TextReader.ReadLine"/> that never holds more than <paramref name="maxLength"/> characters of a line: a longer
/// one is refused by <paramref name="tooLong"/> (given its 1-based number) as soon as it passes the limit, where a plain
/// reader would first build the whole line in memory. Lines end as ReadLine ends them: "\n", "\r" or "\r\n".
/// </summary>
sealed class BoundedLineReader(TextReader reader, int maxLength, Func<int, Exception> tooLong)
{
    readonly char[] buffer = new char[64 * 1024];
    readonly StringBuilder line = new();
    int start, end, number;
    bool skipLineFeed; // the last line ended with '\r': a '\n' right after it belongs to it

    public string? ReadLine()
    {
        line.Clear();
        var started = false;
        while (true)
        {
            if (start == end && !Fill()) return started ? Finish() : null;
            if (skipLineFeed)
            {
                skipLineFeed = false;
                if (buffer[start] == '\n' && ++start == end) continue;
            }
            started = true;
            var rest = buffer.AsSpan(start, end - start);
            var stop = rest.IndexOfAny('\r', '\n');
            Append(stop < 0 ? rest : rest[..stop]);
            if (stop < 0)
            {
                start = end;
                continue;
            }
            skipLineFeed = rest[stop] == '\r';
            start += stop + 1;
            return Finish();
        }
    }

    bool Fill()
    {
        start = 0;
        end = reader.Read(buffer, 0, buffer.Length);
        return end > 0;
    }

    void Append(ReadOnlySpan<char> characters)
    {
        if (line.Length + characters.Length > maxLength) throw tooLong(number + 1);
        line.Append(characters);
    }

    string Finish()
    {
        number++;
        return line.ToString();
    }
}
