using SkiaSharp;
using Svg.Skia.TypefaceProviders;
using Svg.Skia;
using TorchLoss.Reporting;
using TorchLoss.Runtime;

namespace TorchLoss.Cli;

/// <summary>
/// Draws one of TorchLoss's SVG plots into a PNG (Svg.Skia over SkiaSharp), so that both formats show the same figure.
/// The Linux SkiaSharp build without fontconfig finds no font by itself, and text would then silently vanish: a font
/// file is registered for the SVG's sans-serif, found on the usual system paths or named by TORCHLOSS_FONT, and with
/// none the PNG is refused rather than written without its words.
/// </summary>
internal static class PngExport
{
    public const string FontVariable = "TORCHLOSS_FONT";

    /// <summary>Sans-serif fonts where Debian, Fedora, Arch, macOS and Windows keep them, in order of preference.</summary>
    static readonly string[] SystemFonts =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/Library/Fonts/Arial.ttf",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Fonts), "arial.ttf"),
    ];

    /// <summary>The font file PNGs are drawn with; refuses, in one line, when there is none (so that a command can check
    /// before it trains).</summary>
    public static string RequireFont() => FontFile(Environment.GetEnvironmentVariable, SystemFonts)
        ?? throw new UserException($"a PNG needs a font file for its text and none was found (Debian: apt-get install fonts-dejavu-core; " +
                                   $"or set {FontVariable} to a .ttf file); an .svg file needs none");

    /// <summary>Writes a PNG beside each SVG in <paramref name="folder"/> (not below it), the same name with .png; returns
    /// how many. A missing folder has none. The font is loaded once for all of them.</summary>
    public static int WriteBesideEachSvg(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var svgs = Directory.GetFiles(folder, "*.svg").Order(StringComparer.Ordinal).ToList();
        if (svgs.Count == 0) return 0;
        using var font = LoadFont();
        foreach (var svg in svgs) Draw(font, Path.ChangeExtension(svg, ".png"), File.ReadAllText(svg), DefaultScale);
        return svgs.Count;
    }

    /// <summary>Writes <paramref name="svg"/> as a PNG at <paramref name="scale"/> pixels per SVG unit, atomically.</summary>
    public static void Write(string path, string svg, float scale = DefaultScale)
    {
        using var font = LoadFont();
        Draw(font, path, svg, scale);
    }

    const float DefaultScale = 2;

    static CustomTypefaceProvider LoadFont()
    {
        var fontFile = RequireFont();
        var font = new CustomTypefaceProvider(fontFile, 0);
        if (font.Typeface is null)
        {
            font.Dispose();
            throw new UserException($"{FontVariable}={fontFile}: not a font file SkiaSharp can read");
        }
        font.FamilyAliases.Add("sans-serif");
        return font;
    }

    static void Draw(CustomTypefaceProvider font, string path, string svg, float scale)
    {
        using var document = new SKSvg();
        (document.Settings.TypefaceProviders ??= []).Insert(0, font);
        var picture = document.FromSvg(svg) ?? throw new InvalidOperationException("the plot's SVG could not be read");
        var bounds = picture.CullRect;
        using var bitmap = new SKBitmap((int)Math.Ceiling(bounds.Width * scale), (int)Math.Ceiling(bounds.Height * scale));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            canvas.DrawPicture(picture);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, png.SaveTo);
    }

    /// <summary>The font to draw with: <see cref="FontVariable"/> when set (which must exist), else the first of
    /// <paramref name="candidates"/> that exists; null when there is none.</summary>
    internal static string? FontFile(Func<string, string?> environment, IEnumerable<string> candidates)
    {
        if (environment(FontVariable) is { Length: > 0 } chosen)
            return File.Exists(chosen) ? chosen : throw new UserException($"{FontVariable}={chosen}: no such file");
        return candidates.FirstOrDefault(File.Exists);
    }
}
