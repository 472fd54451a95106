using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kontor.Persistence;

/// <summary>decimal ↔ integer millionths: exact for every amount, price and quantity Kontor keeps (at most 6 decimals, |x| &lt; 9.2·10^12).</summary>
public sealed class ScaledDecimalConverter() : ValueConverter<decimal, long>(
    value => (long)decimal.Round(value * Scale, 0, MidpointRounding.AwayFromZero),
    stored => stored / Scale)
{
    private const decimal Scale = 1_000_000m;
}
