using TorchLoss.Data;

namespace TorchLoss.Tests.Data;

public sealed class BinaryTaskTests
{
    [Theory]
    [InlineData("3v5", 3, 5)]
    [InlineData(" 0V9 ", 0, 9)]
    [InlineData("7vrest", 7, null)]
    public void Parses_one_against_another_or_against_the_rest(string text, int positive, int? negative)
    {
        var task = BinaryTask.Parse(text);
        Assert.Equal(new BinaryTask(positive, negative), task);
        Assert.Equal(text.Trim().ToLowerInvariant(), task.ToString());
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3x5")]
    [InlineData("av5")]
    [InlineData("3vall")]
    public void Refuses_other_forms(string text)
    {
        Assert.Equal($"binary task '{text}': expected PvN (e.g. 3v5) or Pvrest (e.g. 3vrest)",
                     Assert.Throws<FormatException>(() => BinaryTask.Parse(text)).Message);
    }

    [Fact]
    public void Refuses_classes_outside_the_dataset_or_a_class_against_itself()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryTask(10).Validate(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryTask(1, -1).Validate(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryTask(4, 4).Validate(10));
    }

    [Fact]
    public void Relabels_the_positive_class_one_and_includes_what_it_should()
    {
        var pair = new BinaryTask(3, 5);
        Assert.Equal([false, false, false, true, false, true], Enumerable.Range(0, 6).Select(l => pair.Includes((byte)l)));
        Assert.Equal([0L, 1L], new byte[] { 5, 3 }.Select(pair.Relabel));
        Assert.True(new BinaryTask(3).Includes(9));
    }
}
