using System.Text;

namespace Kontor.Banking;

/// <summary>
/// Turns the bytes of an MT940 file into text. Polish banks export in Windows-1250 (mBank, PKO BP), some in
/// ISO-8859-2 (older mBank exports) and newer ones in UTF-8; the files carry no declaration, so the bytes decide.
/// </summary>
public static class StatementText
{
    static StatementText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (string Text, string Encoding) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (Encoding.UTF8.GetString(bytes[3..]), "utf-8");
        var hasHigh = false;
        foreach (var b in bytes) if (b >= 0x80) { hasHigh = true; break; }
        if (!hasHigh) return (Encoding.ASCII.GetString(bytes), "ascii");
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes), "utf-8");
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: a single-byte Central European code page. The Polish letters Ą Ś Ź ą ś ź sit on different
            // bytes in the two (windows-1250: A5 8C 8F B9 9C 9F; ISO-8859-2: A1 A6 AC B1 B6 BC), and bytes 80–9F are
            // control codes in ISO-8859-2, so count which reading gives letters.
            int cp1250 = 0, latin2 = 0;
            foreach (var b in bytes)
            {
                if (b is 0xA5 or 0x8C or 0x8F or 0xB9 or 0x9C or 0x9F or 0x8A or 0x9A or 0x8E or 0x9E) cp1250++;
                else if (b is 0xA1 or 0xA6 or 0xAC or 0xB1 or 0xB6 or 0xBC) latin2++;
            }
            var name = latin2 > cp1250 ? "iso-8859-2" : "windows-1250";
            return (Encoding.GetEncoding(name).GetString(bytes), name);
        }
    }
}
