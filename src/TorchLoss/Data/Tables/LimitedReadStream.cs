namespace TorchLoss.Data.Tables;

/// <summary>A read-only view of <paramref name="inner"/> that throws <paramref name="exceeded"/> once more than
/// <paramref name="limit"/> bytes have been read from it (a decompressing stream, whose size the file does not bound).</summary>
sealed class LimitedReadStream(Stream inner, long limit, Func<Exception> exceeded) : Stream
{
    long read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        read += n;
        return read > limit ? throw exceeded() : n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
