using TorchLoss.Data;
using TorchLoss.Data.Sources;

namespace TorchLoss.Tests.Data;

/// <summary>A source that serves every file except <paramref name="stallOn"/> in full; of that one it serves the first half
/// and then waits until cancelled, calling <paramref name="stalled"/> once it waits (a download that hangs, and the test's
/// moment to press Ctrl-C).</summary>
sealed class BlockingSource(IReadOnlyDictionary<string, byte[]> files, string stallOn, Action stalled) : IDatasetSource
{
    public string Description => "slow mirror";

    public Task<Stream> OpenAsync(DatasetFileSpec file, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(file.Name == stallOn ? new StallingStream(files[file.Name], stalled) : new MemoryStream(files[file.Name]));

    sealed class StallingStream(byte[] bytes, Action stalled) : Stream
    {
        int position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var half = bytes.Length / 2;
            if (position < half)
            {
                var n = Math.Min(buffer.Length, half - position);
                bytes.AsMemory(position, n).CopyTo(buffer);
                position += n;
                return n;
            }
            stalled();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");
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
