using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kontor.Currencies;

/// <summary>
/// SQLite storage of a rate: an integer of 10^-10 units, exact for every rate with up to
/// <see cref="ExchangeRate.RateDecimals"/> decimals below 9.2·10^8 (the files are checked against both limits).
/// </summary>
public sealed class RateScaledConverter() : ValueConverter<decimal, long>(
    value => (long)decimal.Round(value * Scale, 0, MidpointRounding.AwayFromZero),
    stored => stored / Scale)
{
    private const decimal Scale = 10_000_000_000m;
}
