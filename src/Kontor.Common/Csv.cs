using System.Text;

namespace Kontor.Common;

/// <summary>
/// The CSV dialects Kontor reads and writes: what Polish Excel saves and opens. Read: ";" or "," (whichever the header
/// line uses outside quotes), quoted fields with doubled quotes and line breaks inside, UTF-8 with or without a BOM, or
/// Windows-1250 when the bytes are not valid UTF-8. Written: UTF-8 with a BOM (without it Excel reads "Spółka" as
/// "SpĂłka"), ";" separated, CRLF, quoted where needed, formulas defused. Every CSV Kontor writes goes through
/// <see cref="WriteRow"/> and <see cref="Encode"/>: one set of rules for the exports, the reports and the VAT registers.
/// </summary>
public static partial class Csv
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

    /// <summary>
    /// The file's bytes: UTF-8 with a BOM for files people open in Excel; without it (<paramref name="byteOrderMark"/> false)
    /// for files meant for programs, where a BOM ends up in the first column's name.
    /// </summary>
    public static byte[] Encode(StringBuilder output, bool byteOrderMark = true) =>
        byteOrderMark ? [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(output.ToString())] : Encoding.UTF8.GetBytes(output.ToString());

    /// <summary>One field as written: formula defused, quoted when it holds the separator, a quote or a line break.</summary>
    public static string Field(string? text)
    {
        var value = text ?? "";
        // A spreadsheet runs a cell starting with = @ tab CR, or + - followed by anything but a plain number, as a formula
        // (CSV injection: "+48-600-100-200" is -852, "-1+cmd|…" worse): such a value is written with a leading apostrophe.
        if (NeedsMark(value)) value = "'" + value;
        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    /// <summary>
    /// A field as read back: without the apostrophe <see cref="Field"/> put before a would-be formula, so a file Kontor
    /// wrote (or Excel saved from it) imports the value that was exported.
    /// </summary>
    public static string Unquoted(string field) =>
        field.Length > 1 && field[0] == '\'' && NeedsMark(field[1..]) ? field[1..] : field;

    /// <summary>
    /// A would-be formula, or a value that already starts with the mark before one ("'=1" itself): marking the latter too
    /// keeps <see cref="Unquoted"/> the exact inverse of <see cref="Field"/>.
    /// </summary>
    private static bool NeedsMark(string value)
    {
        var marks = 0;
        while (marks < value.Length && value[marks] == '\'') marks++;
        return LooksLikeFormula(value[marks..]);
    }

    private static bool LooksLikeFormula(string value) =>
        value.Length > 0 && (value[0] is '=' or '@' or '\t' or '\r' || (value[0] is '+' or '-' && !PlainNumber().IsMatch(value)));

    /// <summary>A signed number as the exports write amounts ("-1234,50", "-100.00"): the one thing after + or - that a spreadsheet cannot run.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]\d+([.,]\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex PlainNumber();
}
