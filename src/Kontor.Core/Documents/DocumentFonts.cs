using SkiaSharp;

namespace Kontor.Documents;

/// <summary>
/// DejaVu Sans and DejaVu Sans Bold, shipped inside this assembly (they cover Polish and Cyrillic), so rendering
/// never depends on fonts installed on the server. Each face is read once per process; a typeface is immutable
/// and safe to share between threads, while the <see cref="SKFont"/>s made from it belong to one render.
/// </summary>
public static class DocumentFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<Face> RegularFace = new(() => Load("DejaVuSans"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Face> BoldFace = new(() => Load("DejaVuSans-Bold"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The whole face: for measuring text while laying a document out.</summary>
    public static SKTypeface Get(bool bold) => (bold ? BoldFace : RegularFace).Value.Typeface;

    /// <summary>
    /// The face cut down to the glyphs of <paramref name="text"/> (all else empty, glyph ids unchanged), for
    /// writing into a PDF: Skia embeds whatever font it is given, whole. Same widths as <see cref="Get"/>.
    /// </summary>
    public static SKTypeface Subset(bool bold, string text)
    {
        var face = (bold ? BoldFace : RegularFace).Value;
        using var font = new SKFont(face.Typeface);
        var glyphs = font.GetGlyphs(text);
        var bytes = TrueTypeSubsetter.Subset(face.Data, glyphs);
        using var data = SKData.CreateCopy(bytes);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("Skia could not read the subset of DejaVu Sans.");
    }

    /// <summary>
    /// A font for PDF output: unhinted, with fractional advances, so what is measured for wrapping and alignment
    /// is exactly what is written into the document (hinting rounds advances to whole pixels of a raster).
    /// </summary>
    public static SKFont Create(SKTypeface typeface, float size) => new(typeface, size)
    {
        Hinting = SKFontHinting.None,
        Subpixel = true,
        LinearMetrics = true,
        Edging = SKFontEdging.Antialias,
    };

    private sealed record Face(byte[] Data, SKTypeface Typeface);

    private static Face Load(string faceName)
    {
        var resource = $"Kontor.Documents.Fonts.{faceName}.ttf";
        using var stream = typeof(DocumentFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Font resource {resource} is missing from {typeof(DocumentFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        using var data = SKData.CreateCopy(bytes);
        var typeface = SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Font resource {resource} is not a font Skia can read.");
        return new Face(bytes, typeface);
    }
}
