using TorchLoss.Data;
using TorchLoss.Data.Sources;

namespace TorchLoss.Tests.Data;

/// <summary>A source for tests: serves given bytes, or fails, and counts how often it was asked.</summary>
sealed class FakeSource(string description, IReadOnlyDictionary<string, byte[]>? files = null, Exception? failure = null) : IDatasetSource
{
    public int Calls { get; private set; }

    /// <summary>When set, the served stream breaks with an IOException after this many bytes (an interrupted download).</summary>
    public int? BreakAfter { get; init; }

    public string Description => description;

    public Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken)
    {
        Calls++;
        if (failure is not null) throw failure;
        if (files is null || !files.TryGetValue(file.Name, out var bytes)) throw new FileNotFoundException($"{description} has no {file.Name}");
        Stream stream = new MemoryStream(bytes);
        if (BreakAfter is int limit) stream = new BreakingStream(stream, limit);
        return Task.FromResult(stream);
    }

    public static FakeSource Unreachable(string description) =>
        new(description, failure: new HttpRequestException("Name or service not known"));

    sealed class BreakingStream(Stream inner, int limit) : Stream
    {
        long position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= limit) throw new IOException("connection reset by peer");
            var n = inner.Read(buffer, offset, (int)Math.Min(count, limit - position));
            position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
