using TorchLoss.Cli;

namespace TorchLoss.Tests.Cli;

/// <summary>Which font a PNG's text is drawn with: TORCHLOSS_FONT when set, else the first system font found; none at all
/// is refused by `plot` (tested there through a real PNG) rather than written without its words.</summary>
public sealed class PngExportTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("torchloss-font-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    string File(string name)
    {
        var path = Path.Combine(folder, name);
        System.IO.File.WriteAllBytes(path, [0]);
        return path;
    }

    [Fact]
    public void TheVariableWinsThenTheFirstSystemFontThatExists()
    {
        var chosen = File("chosen.ttf");
        var second = File("second.ttf");
        string[] candidates = [Path.Combine(folder, "missing.ttf"), second];
        Assert.Equal(chosen, PngExport.FontFile(name => name == PngExport.FontVariable ? chosen : null, candidates));
        Assert.Equal(second, PngExport.FontFile(_ => null, candidates));
        Assert.Null(PngExport.FontFile(_ => null, [Path.Combine(folder, "missing.ttf")]));
    }

    [Fact]
    public void AVariableNamingNoFileIsOneClearError()
    {
        var missing = Path.Combine(folder, "nope.ttf");
        var e = Assert.Throws<UserException>(() => PngExport.FontFile(_ => missing, []));
        Assert.Equal($"TORCHLOSS_FONT={missing}: no such file", e.Message);
    }
}
