using System.Globalization;
using Kontor.Common;

namespace Kontor.Web.Components;

/// <summary>How numbers, money and dates look on screen, in the reader's culture; no business rules here.</summary>
public static class Ui
{
    public static string Money(decimal amount, string currency) =>
        $"{amount.ToString("N" + MinorUnits(currency), CultureInfo.CurrentCulture)}\u00a0{currency}";

    public static string Money(decimal? amount, string currency) => amount is null ? "—" : Money(amount.Value, currency);

    public static string Amount(decimal amount, string currency) => amount.ToString("N" + MinorUnits(currency), CultureInfo.CurrentCulture);

    public static string Number(decimal value) => value.ToString("0.####", CultureInfo.CurrentCulture);

    /// <summary>A unit price or cost: the currency's minor units at least ("20,00"), up to four decimals when it has them (a FIFO cost like "12,3457").</summary>
    public static string UnitAmount(decimal amount, string currency) =>
        amount.ToString("#,##0." + new string('0', MinorUnits(currency)) + new string('#', Math.Max(0, 4 - MinorUnits(currency))), CultureInfo.CurrentCulture);

    /// <summary>
    /// Day first with dots in Polish and Russian (what invoices there print); ISO 8601 in English, which
    /// no reader mistakes for month-first, unlike "11/12/2026". Fixed patterns, not the culture's "d",
    /// so every page and every machine shows the same thing.
    /// </summary>
    public static string Date(DateOnly? date) => date?.ToString(DatePattern, CultureInfo.InvariantCulture) ?? "—";

    /// <summary>
    /// A wall-clock time in the business time zone (BusinessCalendar.ToLocal), to the minute. There is deliberately no
    /// overload for an instant: an instant is UTC and must be converted first (the LocalTime component does both).
    /// </summary>
    public static string DateTime(DateTime local) => local.ToString(DatePattern + " HH:mm", CultureInfo.InvariantCulture);

    private static string DatePattern => CultureInfo.CurrentCulture.TwoLetterISOLanguageName switch
    {
        "pl" or "ru" => "dd.MM.yyyy",
        _ => "yyyy-MM-dd",
    };

    public static string Percent(decimal? ratio) => ratio is null ? "—" : ratio.Value.ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>Reads what a person typed: "1 234,50", "1234.5", "1,5" — a comma or a dot as the decimal separator.</summary>
    public static bool TryParseDecimal(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var cleaned = new string(text.Where(c => !char.IsWhiteSpace(c) && c != '\u00a0' && c != '\u202f' && c != '\'').ToArray());
        if (cleaned.Contains(',') && cleaned.Contains('.'))
            cleaned = cleaned.Replace(cleaned.LastIndexOf(',') > cleaned.LastIndexOf('.') ? "." : ",", "");
        cleaned = cleaned.Replace(',', '.');
        return decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The text to put back into an input: no group separators, the culture's decimal separator.</summary>
    public static string Editable(decimal value) => value.ToString("0.####", CultureInfo.CurrentCulture);

    public static readonly IReadOnlyList<string> Currencies = ["PLN", "EUR", "USD", "RUB", "GBP", "CZK", "UAH", "BYN", "KZT"];

    private static int MinorUnits(string currency) => Kontor.Common.Currency.TryParse(currency, out var c) ? c.MinorUnits : 2;
}
