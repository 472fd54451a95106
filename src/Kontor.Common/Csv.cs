using System.Text;

namespace Kontor.Common;

/// <summary>
/// The CSV dialects Kontor reads and writes: what Polish Excel saves and opens. Read: ";" or "," (whichever the header
/// line uses outside quotes), quoted fields with doubled quotes and line breaks inside, UTF-8 with or without a BOM, or
/// Windows-1250 when the bytes are not valid UTF-8. Written: UTF-8 with a BOM (without it Excel reads "Spółka" as
/// "SpĂłka"), ";" separated, CRLF, quoted where needed, formulas defused. Every CSV Kontor writes goes through
/// <see cref="WriteRow"/> and <see cref="Encode"/>: one set of rules for the exports, the reports and the VAT registers.
/// </summary>
public static class Csv
{
    static Csv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding Windows1250 => Encoding.GetEncoding(1250);

    /// <summary>Decodes the file: a UTF-8 BOM or valid UTF-8 is UTF-8; anything else is read as Windows-1250 (Polish Windows' ANSI code page).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return StrictUtf8.GetString(bytes[3..]);
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { return Windows1250.GetString(bytes); }
    }

    /// <summary>Records with the 1-based line number each starts on (what a spreadsheet shows as the row number).</summary>
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Read(string text)
    {
        var separator = DetectSeparator(text);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var i = 0;
        var any = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false; i++; continue;
                }
                if (c == '\n') line++;
                field.Append(c); i++; continue;
            }
            if (c == '"' && field.Length == 0) { quoted = true; any = true; i++; continue; }
            if (c == separator) { fields.Add(field.ToString()); field.Clear(); any = true; i++; continue; }
            if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                if (any || field.Length > 0 || fields.Count > 0)
                {
                    fields.Add(field.ToString());
                    yield return (recordLine, fields);
                }
                fields = [];
                field.Clear();
                any = false;
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c); any = true; i++;
        }
        if (any || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields);
        }
    }

    public static char DetectSeparator(string text)
    {
        int semicolons = 0, commas = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is '\n' or '\r') break;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == ',') commas++;
        }
        return commas > semicolons ? ',' : ';';
    }

    public static void WriteRow(StringBuilder output, IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var f in fields)
        {
            if (!first) output.Append(';');
            first = false;
            output.Append(Field(f));
        }
        output.Append("\r\n");
    }

    /// <summary>The file's bytes: UTF-8 with a BOM.</summary>
    public static byte[] Encode(StringBuilder output) => [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(output.ToString())];

    /// <summary>One field as written: formula defused, quoted when it holds the separator, a quote or a line break.</summary>
    public static string Field(string? text)
    {
        var value = text ?? "";
        // A spreadsheet runs a cell starting with = @ tab CR (or + - followed by more than a phone number or an amount)
        // as a formula (CSV injection): such a value is written with a leading apostrophe.
        if (LooksLikeFormula(value)) value = "'" + value;
        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static bool LooksLikeFormula(string value) =>
        value.Length > 0 && (value[0] is '=' or '@' or '\t' or '\r'
                             || (value[0] is '+' or '-' && value.Skip(1).Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '(' or ')' or '-' or '.' or ','))));
}
