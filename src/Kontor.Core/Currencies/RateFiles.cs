using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Kontor.Common;

namespace Kontor.Currencies;

/// <summary>One rate read from a bank's file, before it is stored.</summary>
public sealed record PublishedRate(
    RateSource Source, string TableNumber, DateOnly EffectiveDate, string CurrencyCode, string CurrencyName,
    string BaseCurrency, int Nominal, decimal Rate);

/// <summary>
/// Reads the files the central banks publish. Every problem is reported with where it is ("file" for the
/// file as a whole, a path like "[1].rates[3].mid" or "Valute[5].Value" with its line otherwise), and a file
/// with any problem yields nothing, so an import is all or nothing.
/// </summary>
public static partial class RateFiles
{
    /// <summary>Field name for problems with the file as a whole (not JSON/XML, wrong root, empty).</summary>
    public const string FileField = "file";

    /// <summary>Largest accepted rate per unit; far above any real one, it keeps a typo from becoming a posting.</summary>
    private const decimal MaxRate = 100_000_000m;

    static RateFiles()
    {
        // The CBR serves windows-1251; .NET Core knows only the Unicode encodings until the code pages are registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static IReadOnlyList<PublishedRate> Parse(RateSource source, ReadOnlyMemory<byte> content) => source switch
    {
        RateSource.Nbp => ParseNbp(content),
        RateSource.Cbr => ParseCbr(content),
        _ => throw new ValidationException("source", $"{source} rates are not imported from files; use nbp or cbr."),
    };

    // ---------------------------------------------------------------- NBP

    /// <summary>
    /// NBP table A as api.nbp.pl returns it: an array of tables {table, no, effectiveDate, rates:[{currency, code, mid}]},
    /// or one such table object. mid is PLN per 1 unit (the API has already divided by the table's multiplier).
    /// </summary>
    public static IReadOnlyList<PublishedRate> ParseNbp(ReadOnlyMemory<byte> content)
    {
        using var document = ParseJson(content);
        var root = document.RootElement;
        var errors = new ValidationErrors();
        var rates = new List<PublishedRate>();
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                if (root.GetArrayLength() == 0) errors.Add(FileField, "The file holds an empty list: no NBP table to import.");
                var index = 0;
                foreach (var table in root.EnumerateArray()) ReadNbpTable(table, $"[{index++}].", rates, errors);
                break;
            case JsonValueKind.Object:
                ReadNbpTable(root, "", rates, errors);
                break;
            default:
                errors.Add(FileField, $"Expected an NBP table (a JSON object) or a list of them, found {Describe(root.ValueKind)}.");
                break;
        }
        RejectDuplicates(rates, errors);
        errors.ThrowIfAny();
        return rates;
    }

    private static void ReadNbpTable(JsonElement table, string path, List<PublishedRate> rates, ValidationErrors errors)
    {
        if (table.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.TrimEnd('.') is { Length: > 0 } p ? p : FileField, $"Expected an NBP table object, found {Describe(table.ValueKind)}.");
            return;
        }
        var kind = JsonText(table, "table", path, errors);
        if (kind is not null && kind != "A")
            errors.Add(path + "table", $"{path}table: only table A (average rates) is accepted, this is table '{kind}'.");
        var number = JsonText(table, "no", path, errors);
        if (number is { Length: > 32 }) errors.Add(path + "no", $"{path}no: '{number[..32]}…' is longer than 32 characters.");
        var dateText = JsonText(table, "effectiveDate", path, errors);
        DateOnly? date = null;
        if (dateText is not null)
        {
            if (DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) date = parsed;
            else errors.Add(path + "effectiveDate", $"{path}effectiveDate: '{dateText}' is not a date in the form yyyy-MM-dd.");
        }
        if (!table.TryGetProperty("rates", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path + "rates", $"{path}rates: a list of rates is required.");
            return;
        }
        if (list.GetArrayLength() == 0) errors.Add(path + "rates", $"{path}rates: the table has no rates.");
        var i = 0;
        foreach (var rate in list.EnumerateArray())
        {
            var at = $"{path}rates[{i++}]";
            if (rate.ValueKind != JsonValueKind.Object)
            {
                errors.Add(at, $"{at}: expected a rate object, found {Describe(rate.ValueKind)}.");
                continue;
            }
            var code = CurrencyCode(JsonText(rate, "code", at + ".", errors), at + ".code", errors);
            var name = rate.TryGetProperty("currency", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
            decimal? mid = null;
            if (!rate.TryGetProperty("mid", out var m) || m.ValueKind != JsonValueKind.Number)
            {
                if (m.ValueKind == JsonValueKind.Undefined) errors.Add(at + ".mid", $"{at}.mid: a number is required (table A average rate).");
                else errors.Add(at + ".mid", $"{at}.mid: a number is required (table A average rate), found {Describe(m.ValueKind)}.");
            }
            else if (!m.TryGetDecimal(out var value))
                errors.Add(at + ".mid", $"{at}.mid: '{m.GetRawText()}' is not a decimal number.");
            else mid = CheckRate(value, at + ".mid", errors);
            if (code is not null && mid is not null && number is not null && date is not null)
                rates.Add(new PublishedRate(RateSource.Nbp, number, date.Value, code, Shorten(name), "PLN", 1, mid.Value));
        }
    }

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> content)
    {
        RejectEmpty(content);
        try
        {
            return JsonDocument.Parse(content, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            var reason = ex.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd();
            if (ex.LineNumber is { } line)
                throw new ValidationException(FileField, $"line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: the file is not valid JSON ({reason}).");
            throw new ValidationException(FileField, $"the file is not valid JSON ({reason}).");
        }
    }

    private static string? JsonText(JsonElement element, string property, string path, ValidationErrors errors)
    {
        if (element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            return value.GetString()!.Trim();
        errors.Add(path + property, $"{path}{property}: a text value is required.");
        return null;
    }

    /// <summary>What the file has where something else was expected, said in the reader's language (null and true/false as JSON writes them).</summary>
    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => Messages.Translate("a list"),
        JsonValueKind.Object => Messages.Translate("an object"),
        JsonValueKind.String => Messages.Translate("a text"),
        JsonValueKind.Number => Messages.Translate("a number"),
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => Messages.Translate("nothing"),
    };

    // ---------------------------------------------------------------- CBR

    /// <summary>
    /// The CBR's XML_daily.asp: &lt;ValCurs Date="dd.MM.yyyy"&gt; with &lt;Valute&gt; elements carrying CharCode, Nominal,
    /// Name and Value with a decimal comma; Value is for Nominal units (100 JPY), so the rate per unit is Value / Nominal.
    /// The encoding comes from the XML declaration (windows-1251 as served).
    /// </summary>
    public static IReadOnlyList<PublishedRate> ParseCbr(ReadOnlyMemory<byte> content)
    {
        RejectEmpty(content);
        XDocument document;
        try
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new ValidationException(FileField, $"line {ex.LineNumber}, position {ex.LinePosition}: the file is not valid XML ({StripPosition(ex.Message)}).");
        }
        catch (ArgumentException ex) // an encoding the declaration names but .NET does not know
        {
            throw new ValidationException(FileField, $"the file's encoding is not supported ({ex.Message}).");
        }

        var root = document.Root!;
        if (root.Name.LocalName != "ValCurs")
            throw new ValidationException(FileField, $"line {Line(root)}: expected the CBR daily rates (<ValCurs>), found <{root.Name.LocalName}>.");
        var errors = new ValidationErrors();
        var dateText = (string?)root.Attribute("Date");
        DateOnly? date = null;
        if (string.IsNullOrWhiteSpace(dateText))
            errors.Add("ValCurs.Date", $"line {Line(root)}: ValCurs.Date: the date the rates are set for is required (dd.MM.yyyy).");
        else if (DateOnly.TryParseExact(dateText.Trim(), "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) date = parsed;
        else errors.Add("ValCurs.Date", $"line {Line(root)}: ValCurs.Date: '{dateText}' is not a date in the form dd.MM.yyyy.");

        var valutes = root.Elements("Valute").ToList();
        if (valutes.Count == 0) errors.Add(FileField, $"line {Line(root)}: the file has no <Valute> rates.");
        var rates = new List<PublishedRate>();
        for (var i = 0; i < valutes.Count; i++)
        {
            var valute = valutes[i];
            var at = $"Valute[{i}]";
            var code = CurrencyCode(XmlText(valute, "CharCode", at, errors), at + ".CharCode", errors, Line(valute.Element("CharCode") ?? valute));
            var name = valute.Element("Name")?.Value.Trim() ?? "";
            var nominal = Nominal(valute, at, errors);
            var value = Value(valute, at, errors);
            decimal? rate = null;
            if (nominal is not null && value is not null)
                rate = CheckRate(decimal.Round(value.Value / nominal.Value, ExchangeRate.RateDecimals, MidpointRounding.AwayFromZero), at + ".Value", errors, Line(valute.Element("Value")!));
            if (code is not null && rate is not null && date is not null)
                rates.Add(new PublishedRate(RateSource.Cbr, CbrTableNumber(date.Value), date.Value, code, Shorten(name), "RUB", nominal!.Value, rate.Value));
        }
        RejectDuplicates(rates, errors);
        errors.ThrowIfAny();
        return rates;
    }

    /// <summary>The CBR numbers no table; its date identifies it.</summary>
    public static string CbrTableNumber(DateOnly date) => $"CBR {date:dd.MM.yyyy}";

    private static int? Nominal(XElement valute, string at, ValidationErrors errors)
    {
        var text = XmlText(valute, "Nominal", at, errors);
        if (text is null) return null;
        var digits = WhiteSpace().Replace(text, "");
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var nominal) && nominal is > 0 and <= 10_000_000) return nominal;
        errors.Add(at + ".Nominal", $"line {Line(valute.Element("Nominal")!)}: {at}.Nominal: '{text}' is not a whole number of units (1, 10, 100, …).");
        return null;
    }

    private static decimal? Value(XElement valute, string at, ValidationErrors errors)
    {
        var text = XmlText(valute, "Value", at, errors);
        if (text is null) return null;
        // Russian notation: decimal comma; no grouping in the feed, but tolerate spaces.
        var normalised = WhiteSpace().Replace(text, "").Replace(',', '.');
        if (decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
        errors.Add(at + ".Value", $"line {Line(valute.Element("Value")!)}: {at}.Value: '{text}' is not a positive decimal number (e.g. 78,1234).");
        return null;
    }

    private static string? XmlText(XElement parent, string name, string at, ValidationErrors errors)
    {
        var element = parent.Element(name);
        if (element is not null && !string.IsNullOrWhiteSpace(element.Value)) return element.Value.Trim();
        errors.Add($"{at}.{name}", $"line {Line(element ?? parent)}: {at}.{name}: a value is required.");
        return null;
    }

    private static int Line(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private static string StripPosition(string message)
    {
        var cut = message.IndexOf(" Line ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    // ---------------------------------------------------------------- shared

    private static void RejectEmpty(ReadOnlyMemory<byte> content)
    {
        if (content.Span.Trim(" \t\r\n"u8).IsEmpty) throw new ValidationException(FileField, "The file is empty.");
    }

    private static string? CurrencyCode(string? text, string field, ValidationErrors errors, int line = 0)
    {
        if (text is null) return null;
        var code = text.ToUpperInvariant();
        if (IsoCode().IsMatch(code)) return code;
        if (line > 0) errors.Add(field, $"line {line}: {field}: '{text}' is not a three-letter ISO 4217 currency code.");
        else errors.Add(field, $"{field}: '{text}' is not a three-letter ISO 4217 currency code.");
        return null;
    }

    private static decimal? CheckRate(decimal rate, string field, ValidationErrors errors, int line = 0)
    {
        if (rate <= 0 || rate > MaxRate)
        {
            if (line > 0) errors.Add(field, $"line {line}: {field}: the rate must be positive and below {MaxRate:0}, not {rate}.");
            else errors.Add(field, $"{field}: the rate must be positive and below {MaxRate:0}, not {rate}.");
            return null;
        }
        if (rate != decimal.Round(rate, ExchangeRate.RateDecimals))
        {
            if (line > 0) errors.Add(field, $"line {line}: {field}: {rate} has more than {ExchangeRate.RateDecimals} decimals.");
            else errors.Add(field, $"{field}: {rate} has more than {ExchangeRate.RateDecimals} decimals.");
            return null;
        }
        return rate;
    }

    private static void RejectDuplicates(List<PublishedRate> rates, ValidationErrors errors)
    {
        foreach (var twice in rates.GroupBy(r => (r.CurrencyCode, r.EffectiveDate)).Where(g => g.Count() > 1))
            errors.Add(FileField, $"{twice.Key.CurrencyCode} on {twice.Key.EffectiveDate:yyyy-MM-dd} appears {twice.Count()} times in the file.");
    }

    private static string Shorten(string name) => name.Length <= 100 ? name : name[..100];

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex IsoCode();

    [GeneratedRegex(@"[\s\u00a0]+")]
    private static partial Regex WhiteSpace();
}
