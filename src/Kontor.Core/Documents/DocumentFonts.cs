using System.Collections.Concurrent;
using PdfSharp;
using PdfSharp.Fonts;

namespace Kontor.Documents;

/// <summary>
/// Serves the DejaVu Sans faces shipped inside this assembly (they cover Polish and Cyrillic) to PDFsharp,
/// so rendering never depends on fonts installed on the server.
/// </summary>
public sealed class EmbeddedFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    public static EmbeddedFontResolver Instance { get; } = new();

    private readonly ConcurrentDictionary<string, byte[]> faces = new(StringComparer.Ordinal);

    private EmbeddedFontResolver() { }

    /// <summary>Every family maps to DejaVu Sans: a document asking for another font still gets glyphs for ą and ж.</summary>
    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        new(isBold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: isItalic);

    public byte[] GetFont(string faceName) => faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        var resource = $"Kontor.Documents.Fonts.{faceName}.ttf";
        using var stream = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Font resource {resource} is missing from {typeof(EmbeddedFontResolver).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>
/// PDFsharp's process-wide settings (font resolver, licence), applied once however many hosts or threads
/// render. Another component may have set a resolver first: then ours becomes the fallback rather than
/// replacing it, because PDFsharp refuses a second, different resolver once fonts were used.
/// </summary>
public static class PdfSharpSetup
{
    private static readonly Lock Gate = new();
    private static volatile bool done;

    public static void EnsureInitialized()
    {
        if (done) return;
        lock (Gate)
        {
            if (done) return;
            // PDFsharp 6.5 requires choosing a licence before use; the package is published under AGPL-3.0
            // (see docs/pdf.md). A commercial key would be loaded here with PdfSharpLicense.LoadLicense.
            PdfSharpLicense.SetAgplLicense();

            var current = GlobalFontSettings.FontResolver;
            if (current is null) GlobalFontSettings.FontResolver = EmbeddedFontResolver.Instance;
            else if (!ReferenceEquals(current, EmbeddedFontResolver.Instance) && GlobalFontSettings.FallbackFontResolver is null)
                GlobalFontSettings.FallbackFontResolver = EmbeddedFontResolver.Instance;
            done = true;
        }
    }
}
