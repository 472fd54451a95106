namespace Kontor.Currencies;

/// <summary>Who published a rate, which also fixes the currency the rate is expressed in.</summary>
public enum RateSource
{
    /// <summary>Narodowy Bank Polski, table A (average rates), in PLN.</summary>
    Nbp,
    /// <summary>Центральный банк Российской Федерации, daily official rates, in RUB.</summary>
    Cbr,
    /// <summary>Entered by hand (a contractual rate); not imported from a bank file.</summary>
    Manual,
}

/// <summary>
/// One published exchange rate: how much of <see cref="BaseCurrency"/> one unit of <see cref="CurrencyCode"/>
/// was worth in one table of one source. Imported rows are never changed: a bank does not revise a
/// published table, so a different value for the same key is an error in the file, not an update.
/// </summary>
public sealed class ExchangeRate
{
    /// <summary>Rates keep up to this many decimals: 10 000 IDR at 48,1234 RUB is 0.00481234 RUB per rupiah.</summary>
    public const int RateDecimals = 10;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public RateSource Source { get; init; }
    /// <summary>The table's number as published, e.g. "217/A/NBP/2026"; for the CBR, which numbers nothing, "CBR 21.11.2026".</summary>
    public string TableNumber { get; init; } = "";
    /// <summary>NBP: the day the table was published (and is the average of); CBR: the day the rate is set for.</summary>
    public DateOnly EffectiveDate { get; init; }
    /// <summary>ISO 4217 code as published (may be outside Kontor's invoicing list, e.g. XDR).</summary>
    public string CurrencyCode { get; init; } = "";
    /// <summary>The name as the source prints it ("euro", "Японских иен").</summary>
    public string CurrencyName { get; init; } = "";
    /// <summary>PLN for the NBP, RUB for the CBR.</summary>
    public string BaseCurrency { get; init; } = "";
    /// <summary>How many units the published quote was for (CBR: 100 JPY, 10 000 IDR; NBP API: always 1).</summary>
    public int Nominal { get; init; } = 1;
    /// <summary>Value of one unit in <see cref="BaseCurrency"/>: the published quote divided by <see cref="Nominal"/>.</summary>
    public decimal Rate { get; init; }
    public DateTimeOffset ImportedAt { get; init; }

    /// <summary>The quote as the table prints it: the value of <see cref="Nominal"/> units.</summary>
    public decimal QuotedValue => Rate * Nominal;
}
