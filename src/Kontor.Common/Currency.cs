using System.Diagnostics.CodeAnalysis;
using System.Collections.Frozen;

namespace Kontor.Common;

/// <summary>An ISO 4217 currency. Only codes from the internal table can be constructed.</summary>
public readonly record struct Currency
{
    // ISO 4217 code → number of minor-unit digits. Only active currencies a Polish/CIS SME may
    // plausibly invoice in; extend when a customer needs another one.
    private static readonly FrozenDictionary<string, int> MinorUnitTable = new Dictionary<string, int>
    {
        // Europe
        ["PLN"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["CHF"] = 2, ["CZK"] = 2, ["SEK"] = 2, ["NOK"] = 2,
        ["DKK"] = 2, ["HUF"] = 2, ["RON"] = 2, ["BGN"] = 2, ["ISK"] = 0, ["RSD"] = 2, ["MKD"] = 2,
        ["BAM"] = 2, ["ALL"] = 2, ["MDL"] = 2, ["TRY"] = 2, ["GIP"] = 2,
        // CIS and Caucasus
        ["UAH"] = 2, ["RUB"] = 2, ["BYN"] = 2, ["KZT"] = 2, ["UZS"] = 2, ["KGS"] = 2, ["TJS"] = 2,
        ["TMT"] = 2, ["AZN"] = 2, ["AMD"] = 2, ["GEL"] = 2, ["MNT"] = 2,
        // Americas
        ["USD"] = 2, ["CAD"] = 2, ["MXN"] = 2, ["BRL"] = 2, ["ARS"] = 2, ["COP"] = 2, ["PEN"] = 2,
        ["CLP"] = 0, ["UYU"] = 2, ["PYG"] = 0,
        // Asia-Pacific
        ["CNY"] = 2, ["JPY"] = 0, ["KRW"] = 0, ["HKD"] = 2, ["SGD"] = 2, ["TWD"] = 2, ["INR"] = 2,
        ["IDR"] = 2, ["THB"] = 2, ["VND"] = 0, ["MYR"] = 2, ["PHP"] = 2, ["AUD"] = 2, ["NZD"] = 2,
        // Middle East and Africa
        ["ILS"] = 2, ["AED"] = 2, ["SAR"] = 2, ["QAR"] = 2, ["BHD"] = 3, ["KWD"] = 3, ["OMR"] = 3,
        ["JOD"] = 3, ["IQD"] = 3, ["LYD"] = 3, ["TND"] = 3, ["EGP"] = 2, ["MAD"] = 2, ["ZAR"] = 2,
        ["NGN"] = 2, ["KES"] = 2, ["UGX"] = 0, ["RWF"] = 0, ["XAF"] = 0, ["XOF"] = 0,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly Currency PLN = FromTable("PLN");
    public static readonly Currency EUR = FromTable("EUR");
    public static readonly Currency USD = FromTable("USD");
    public static readonly Currency RUB = FromTable("RUB");

    private Currency(string code, int minorUnits)
    {
        Code = code;
        MinorUnits = minorUnits;
    }

    /// <summary>Three uppercase letters.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point in the currency's smallest unit (PLN 2, JPY 0, KWD 3).</summary>
    public int MinorUnits { get; }

    /// <exception cref="ValidationException">The code is not in the ISO 4217 table.</exception>
    public static Currency Parse(string code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new ValidationException("currency", "Currency code is required");
        }

        return TryParse(code, out var currency)
            ? currency
            : throw new ValidationException("currency", $"'{code.Trim()}' is not an ISO 4217 currency code");
    }

    public static bool TryParse([NotNullWhen(true)] string? code, out Currency currency)
    {
        var normalised = code?.Trim().ToUpperInvariant();
        if (normalised is not null && MinorUnitTable.TryGetValue(normalised, out var minorUnits))
        {
            currency = new Currency(normalised, minorUnits);
            return true;
        }

        currency = default;
        return false;
    }

    public override string ToString() => Code ?? string.Empty;

    private static Currency FromTable(string code) => new(code, MinorUnitTable[code]);
}
