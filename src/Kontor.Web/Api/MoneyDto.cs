using System.ComponentModel;
using System.Globalization;
using Kontor.Common;

namespace Kontor.Web.Api;

/// <summary>
/// Money on the wire: the amount as a decimal string with the currency's minor units ("123.45"),
/// never a binary floating-point number, and the ISO 4217 code.
/// </summary>
[Description("An amount of money: decimal string amount with the currency's minor units, and the ISO 4217 code.")]
public sealed record MoneyDto(
    [property: Description("Decimal amount as a string, e.g. \"123.45\".")] string Amount,
    [property: Description("ISO 4217 currency code, e.g. \"PLN\".")] string Currency)
{
    public static MoneyDto From(decimal amount, string currency)
    {
        var c = Common.Currency.Parse(currency);
        return new MoneyDto(Money.RoundToMinorUnits(amount, c).ToString("F" + c.MinorUnits, CultureInfo.InvariantCulture), c.Code);
    }

    public static MoneyDto? FromNullable(decimal? amount, string currency) => amount is null ? null : From(amount.Value, currency);

    /// <summary>Parses the wire form; errors name <paramref name="field"/>.</summary>
    public (decimal Amount, string Currency) Parse(string field)
    {
        var errors = new ValidationErrors();
        Common.Currency.TryParse(Currency, out var currency);
        if (!decimal.TryParse(Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            errors.Add(field + ".amount", $"{field}.amount must be a decimal number such as \"123.45\".");
        else if (currency.Code is not null && Money.RoundToMinorUnits(amount, currency) != amount)
            errors.Add(field + ".amount", $"{field}.amount has more decimal places than {currency.Code} allows ({currency.MinorUnits}).");
        if (currency.Code is null) errors.Add(field + ".currency", $"{field}.currency must be an ISO 4217 code such as \"PLN\".");
        errors.ThrowIfAny();
        return (amount, currency.Code!);
    }
}
