using System.Globalization;
using System.Text;

namespace TorchLoss.Tests.Data.Tables;

/// <summary>Small table files for the tests: a learnable task where class c's rows sit near (c, 2c) plus noise.</summary>
static class TableFiles
{
    public static readonly string[] Kinds = ["cat", "dog", "fox"];

    /// <summary>A header "width,height,kind" and <paramref name="rowsPerClass"/> rows of each class, classes interleaved.</summary>
    public static string Animals(int rowsPerClass = 30, int seed = 1, char separator = ',')
    {
        var random = new Random(seed);
        var text = new StringBuilder($"width{separator}height{separator}kind\n");
        for (var i = 0; i < rowsPerClass; i++)
            for (var c = 0; c < Kinds.Length; c++)
                text.Append(CultureInfo.InvariantCulture, $"{c + random.NextDouble():F4}{separator}{2 * c + random.NextDouble():F4}{separator}{Kinds[c]}\n");
        return text.ToString();
    }
}
