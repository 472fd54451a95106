using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kontor.Common;

namespace Kontor.Banking;

/// <summary>
/// SWIFT MT940 customer statements: several statements (and accounts) per file, SWIFT envelopes
/// (<c>{1:…}{4:</c> … <c>-}</c>) tolerated, unknown tags ignored. Errors name the line.
/// </summary>
public static partial class Mt940Parser
{
    public const string FileField = "file";

    // Tags that start a field. Anything else that looks like ":xx:" at the start of a line is taken as wrapped
    // text of the field before (banks wrap :86: at 65 characters, and a wrapped "…T16:26:37" starts with ":26:").
    private static readonly HashSet<string> KnownTags =
        ["20", "21", "25", "28", "28C", "60F", "60M", "61", "86", "62F", "62M", "64", "65", "NS", "34F", "13", "13D", "90D", "90C"];

    private sealed record Field(string Tag, string Value, int Line);

    public static ParsedStatementFile Parse(ReadOnlySpan<byte> bytes)
    {
        var (text, encoding) = StatementText.Decode(bytes);
        var fields = Fields(text);
        if (!fields.Any(f => f.Tag == "20"))
            throw new ValidationException(FileField, "The file is not an MT940 statement: it has no :20: field.");
        if (!fields.Any(f => f.Tag is "60F" or "60M") && fields.Any(f => f.Tag is "34F" or "13D" or "13"))
            throw new ValidationException(FileField, "The file is an MT942 interim transaction report (it has :34F:/:13D: and no opening balance :60F:), not an MT940 statement; import the end-of-day MT940 statement instead.");

        var statements = new List<ParsedStatement>();
        var index = 0;
        while (index < fields.Count)
        {
            if (fields[index].Tag != "20") { index++; continue; }
            var end = index + 1;
            while (end < fields.Count && fields[end].Tag != "20") end++;
            statements.Add(Statement(fields.GetRange(index, end - index)));
            index = end;
        }
        return new ParsedStatementFile(StatementFormat.Mt940, encoding, statements);
    }

    private static List<Field> Fields(string text)
    {
        var fields = new List<Field>();
        string? tag = null;
        var value = new StringBuilder();
        var start = 0;
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        void Flush()
        {
            if (tag is not null) fields.Add(new Field(tag, value.ToString(), start));
            tag = null;
            value.Clear();
        }
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            // SWIFT envelope: "{1:F01…}{2:…}{3:}{4:" before the text block, "-}" and "{5:…}" after it.
            var envelope = line.LastIndexOf("{4:", StringComparison.Ordinal);
            if (envelope >= 0) { Flush(); line = line[(envelope + 3)..]; }
            if (line.StartsWith('-') && line.TrimEnd().TrimEnd('}').Trim('-').Length == 0 || line.StartsWith("-}", StringComparison.Ordinal))
            {
                Flush();
                continue;
            }
            if (line.StartsWith("{5:", StringComparison.Ordinal)) { Flush(); continue; }
            var m = TagLine().Match(line);
            if (m.Success && KnownTags.Contains(m.Groups["tag"].Value))
            {
                Flush();
                tag = m.Groups["tag"].Value;
                start = i + 1;
                value.Append(m.Groups["value"].Value);
                continue;
            }
            if (tag is null) continue; // headers before the first field ("ABNANL2A", "940", ":940:")
            value.Append('\n').Append(line);
        }
        Flush();
        // Trailing blank lines of a field carry nothing.
        return fields.Select(f => f with { Value = f.Value.TrimEnd('\n', ' ') }).ToList();
    }

    private static ParsedStatement Statement(List<Field> fields)
    {
        var first = fields[0];
        string? Single(params string[] tags) => fields.FirstOrDefault(f => tags.Contains(f.Tag))?.Value;
        var reference = first.Value.Trim();
        var account = Single("25")?.Trim() ?? throw new ValidationException(FileField, $"The statement {reference} (line {first.Line}) has no account identification :25:.");
        var number = (Single("28C", "28") ?? "").Trim();
        var (accountId, accountCurrency) = AccountOf(account);
        // A Polish IBAN or a bare 26-digit NRB.
        var polish = accountId.StartsWith("PL", StringComparison.Ordinal) || (accountId.Length == 26 && accountId.All(char.IsAsciiDigit));
        var openingField = fields.FirstOrDefault(f => f.Tag is "60F" or "60M")
                           ?? throw new ValidationException(FileField, $"The statement {reference} (line {first.Line}) has no opening balance :60F:.");
        var closingField = fields.FirstOrDefault(f => f.Tag is "62F" or "62M")
                           ?? throw new ValidationException(FileField, $"The statement {reference} (line {first.Line}) has no closing balance :62F:.");
        var opening = Balance(openingField);
        var closing = Balance(closingField);
        if (opening.Currency != closing.Currency)
            throw new ValidationException(FileField, $"The statement {reference} (line {first.Line}) opens in {opening.Currency} and closes in {closing.Currency}.");

        var lines = new List<ParsedLine>();
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Tag != "61") continue;
            var details = i + 1 < fields.Count && fields[i + 1].Tag == "86" ? fields[i + 1].Value : null;
            lines.Add(Line(fields[i], details, opening.Currency, polish));
        }
        return new ParsedStatement(accountId, accountCurrency, reference, number, opening.Currency, opening.Date, opening.Amount,
            closing.Date, closing.Amount, lines, Messages.Format("line {0}", first.Line));
    }

    /// <summary>"/PL61109010140000071219812874", "51210600/9223382012EUR" → identifier without the leading slash and the currency suffix.</summary>
    private static (string Account, string? Currency) AccountOf(string value)
    {
        var account = value.Split('\n')[0].Trim().TrimStart('/').Replace(" ", "");
        var m = CurrencySuffix().Match(account);
        if (m.Success && Currency.TryParse(m.Groups["ccy"].Value, out var currency) && !Iban.TryParse(account, out _, out _))
            return (account[..m.Index].TrimEnd('/'), currency.Code);
        return (account, null);
    }

    private static (DateOnly Date, string Currency, decimal Amount) Balance(Field field)
    {
        var m = BalancePattern().Match(field.Value.Trim());
        if (!m.Success)
            throw new ValidationException(FileField, $"Line {field.Line}: :{field.Tag}: must be C or D, a date YYMMDD, a currency and an amount (like C260301PLN1234,56); found '{Shorten(field.Value)}'.");
        var date = Date(m.Groups["date"].Value, field, clampDay: false);
        var currency = Currency.TryParse(m.Groups["ccy"].Value, out var c) ? c.Code
            : throw new ValidationException(FileField, $"Line {field.Line}: :{field.Tag}: '{m.Groups["ccy"].Value}' is not an ISO 4217 currency code.");
        var amount = Amount(m.Groups["amount"].Value, field);
        return (date, currency, m.Groups["mark"].Value == "D" ? -amount : amount);
    }

    private static ParsedLine Line(Field field, string? details, string currency, bool polishAccount)
    {
        var text = field.Value;
        var firstLine = text.Split('\n')[0];
        var supplementary = text.Contains('\n') ? text[(text.IndexOf('\n') + 1)..].Trim() : null;
        var m = StatementLine().Match(firstLine);
        if (!m.Success)
            throw new ValidationException(FileField, $"Line {field.Line}: :61: must be a value date YYMMDD, an optional entry date MMDD, C/D/RC/RD, an amount, a transaction type and a reference; found '{Shorten(firstLine)}'.");
        var valueDate = Date(m.Groups["value"].Value, field, clampDay: true);
        DateOnly? bookingDate = null;
        if (m.Groups["entry"].Value.Trim() is { Length: 4 } entry)
        {
            var month = int.Parse(entry[..2], CultureInfo.InvariantCulture);
            var day = int.Parse(entry[2..], CultureInfo.InvariantCulture);
            // The entry date has no year: it is the value date's, or the next/previous one across New Year.
            var year = valueDate.Year + (month < valueDate.Month - 6 ? 1 : month > valueDate.Month + 6 ? -1 : 0);
            bookingDate = ClampedDate(year, month, day, field, entry);
        }
        var mark = m.Groups["mark"].Value;
        var reversal = mark.StartsWith('R');
        // RC reverses a credit (money goes out again), RD reverses a debit.
        var direction = mark is "C" or "RD" ? BankLineDirection.Credit : BankLineDirection.Debit;
        var amount = Amount(m.Groups["amount"].Value, field);
        var customerReference = m.Groups["ref"].Value.Trim();
        var bankReference = m.Groups["bankref"].Value.Trim();
        var raw = details?.Length > 0 ? details : null;
        var parsed = TransactionDetailsParser.Parse(raw, direction, polishAccount);
        if (parsed.Title is null && supplementary is { Length: > 0 }) parsed = parsed with { Title = supplementary };
        return new ParsedLine(amount, currency, direction, reversal, bookingDate, valueDate, m.Groups["type"].Value.Trim(),
            customerReference.Length == 0 || customerReference.Equals("NONREF", StringComparison.OrdinalIgnoreCase) ? null : customerReference,
            bankReference.Length == 0 ? null : bankReference, null, parsed, raw);
    }

    private static DateOnly Date(string yymmdd, Field field, bool clampDay)
    {
        // SWIFT dates have two-digit years: 80–99 are read as 1980–1999, the rest as 20xx.
        var yy = int.Parse(yymmdd[..2], CultureInfo.InvariantCulture);
        var year = yy >= 80 ? 1900 + yy : 2000 + yy;
        var month = int.Parse(yymmdd[2..4], CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd[4..], CultureInfo.InvariantCulture);
        if (clampDay) return ClampedDate(year, month, day, field, yymmdd);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            throw new ValidationException(FileField, $"Line {field.Line}: :{field.Tag}: {yymmdd} is not a calendar date.");
        return new DateOnly(year, month, day);
    }

    /// <summary>
    /// German banks date period-end charges on 30 February (value date of the "Rechnungsabschluss"); such a day is read
    /// as the month's last day rather than refusing the statement. A month outside 1–12 or day 0 stays an error.
    /// </summary>
    private static DateOnly ClampedDate(int year, int month, int day, Field field, string written)
    {
        if (month is < 1 or > 12 || day is < 1 or > 31)
            throw new ValidationException(FileField, $"Line {field.Line}: :{field.Tag}: {written} is not a calendar date.");
        return new DateOnly(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));
    }

    private static decimal Amount(string text, Field field)
    {
        var normalised = text.Trim();
        // SWIFT writes a decimal comma; a few banks (Knab) leave it out of whole amounts.
        if (normalised.Count(c => c == ',') > 1 || normalised.StartsWith(','))
            throw new ValidationException(FileField, $"Line {field.Line}: :{field.Tag}: the amount '{normalised}' must have digits and one decimal comma (like 1234,56).");
        normalised = normalised.Replace(',', '.');
        if (normalised.EndsWith('.')) normalised += "0";
        if (!decimal.TryParse(normalised, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount > 999_999_999_999m)
            throw new ValidationException(FileField, $"Line {field.Line}: :{field.Tag}: '{text.Trim()}' is not an amount Kontor can keep.");
        return amount;
    }

    private static string Shorten(string text)
    {
        var oneLine = text.Replace('\n', ' ').Trim();
        return oneLine.Length <= 60 ? oneLine : oneLine[..60] + "…";
    }


    [GeneratedRegex(@"^:(?<tag>[0-9]{2}[A-Z]?|NS):(?<value>.*)$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^(?<mark>[CD])(?<date>\d{6})(?<ccy>[A-Z]{3})(?<amount>[\d,]+)$")]
    private static partial Regex BalancePattern();

    // value date, [entry date or 4 spaces], mark, [funds code], amount, type (N/F/S + 3), customer ref [//bank ref]
    [GeneratedRegex(@"^(?<value>\d{6})(?<entry>\d{4}|\s{4})?(?<mark>RC|RD|C|D)(?<funds>[A-Z])?(?<amount>\d[\d,]*)(?<type>[NSF][A-Z0-9]{3})?(?<ref>.*?)(?://(?<bankref>.*))?$")]
    private static partial Regex StatementLine();

    [GeneratedRegex(@"(?<ccy>[A-Z]{3})$")]
    private static partial Regex CurrencySuffix();
}
