using TorchLoss.Data.Idx;

namespace TorchLoss.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    readonly TempDirectory temp = new();

    string Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(temp[name], bytes);
        return temp[name];
    }

    [Fact]
    public void Reads_dimensions_and_data_of_a_raw_file()
    {
        var bytes = IdxWriter.Images(count: 2, height: 3, width: 4);
        var array = IdxReader.Read(Write("images", bytes));
        Assert.Equal([2, 3, 4], array.Dimensions);
        Assert.Equal(bytes[16..], array.Data);
    }

    [Fact]
    public void Recognises_gzip_by_its_magic_bytes_whatever_the_name()
    {
        var raw = IdxWriter.Labels(3, 1, 4, 1, 5);
        var array = IdxReader.Read(Write("labels-without-gz-suffix", IdxWriter.Gzip(raw)));
        Assert.Equal([5], array.Dimensions);
        Assert.Equal(new byte[] { 3, 1, 4, 1, 5 }, array.Data);
    }

    [Fact]
    public void Rejects_a_wrong_magic_number_naming_the_file()
    {
        var bytes = IdxWriter.Labels(1, 2);
        bytes[0] = 0x1f;
        bytes[1] = 0x00;
        var path = Write("not-idx", bytes);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith($"{path}: not an IDX file", error.Message);
        Assert.Contains("fetch it again", error.Message);
    }

    [Fact]
    public void Rejects_element_types_other_than_unsigned_bytes_by_name()
    {
        var path = Write("floats", IdxWriter.Write([2], new byte[8], elementType: 0x0D));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains("0x0D (float32) is not supported", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Rejects_rank_zero()
    {
        var path = Write("scalar", [0, 0, 8, 0, 42]);
        Assert.Contains("rank 0", Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);
    }

    [Fact]
    public void Rejects_a_truncated_data_section_with_both_lengths()
    {
        var bytes = IdxWriter.Images(count: 2, height: 2, width: 2);
        var path = Write("short", bytes[..^3]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Equal($"{path}: truncated: the header promises 8 data bytes (2 x 2 x 2) but only 5 follow; delete the file and fetch it again",
                     error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(9)]
    public void Rejects_a_truncated_header(int length)
    {
        var path = Write("header", IdxWriter.Images(1, 1, 1)[..length]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);
    }

    [Fact]
    public void Rejects_trailing_bytes()
    {
        var path = Write("long", [.. IdxWriter.Labels(1, 2, 3), 0, 0]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains("2 unexpected byte(s) after the 3 data bytes", error.Message);
    }

    [Fact]
    public void Checks_the_exact_length_of_gzip_contents_too()
    {
        var path = Write("short.gz", IdxWriter.Gzip(IdxWriter.Labels(1, 2, 3)[..^1]));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxReader.Read(path)).Message);
    }

    [Fact]
    public void Reports_corrupt_gzip_data_as_invalid_data_naming_the_file()
    {
        var compressed = IdxWriter.Gzip(IdxWriter.Images(4, 8, 8));
        for (var i = 12; i < compressed.Length - 8; i++) compressed[i] ^= 0x5A;
        var path = Write("garbled.gz", compressed);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(path, error.Message);
    }

    public void Dispose() => temp.Dispose();
}
