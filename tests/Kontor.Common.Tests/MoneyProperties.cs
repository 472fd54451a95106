using FsCheck.Xunit;

namespace Kontor.Common.Tests;

public class MoneyProperties
{
    private static readonly Currency[] Currencies =
        [Currency.PLN, Currency.EUR, Currency.Parse("JPY"), Currency.Parse("KWD"), Currency.Parse("CLP")];

    private static Currency Pick(byte index) => Currencies[index % Currencies.Length];

    private static decimal Factor(Currency currency) => currency.MinorUnits switch
    {
        0 => 1m,
        2 => 100m,
        3 => 1000m,
        var n => throw new InvalidOperationException($"Unexpected minor units {n}"),
    };

    [Property]
    public bool Adding_then_subtracting_returns_the_original(long aMinor, long bMinor, byte currencyIndex)
    {
        var currency = Pick(currencyIndex);
        var a = new Money(aMinor / Factor(currency), currency);
        var b = new Money(bMinor / Factor(currency), currency);

        return (a + b) - b == a;
    }

    [Property]
    public bool Addition_commutes(long aMinor, long bMinor, byte currencyIndex)
    {
        var currency = Pick(currencyIndex);
        var a = new Money(aMinor / Factor(currency), currency);
        var b = new Money(bMinor / Factor(currency), currency);

        return a + b == b + a;
    }

    [Property]
    public bool Round_is_idempotent(decimal amount, byte currencyIndex)
    {
        var once = new Money(amount, Pick(currencyIndex)).Round();
        return once.Round() == once;
    }

    [Property]
    public bool Round_keeps_at_most_minor_unit_digits_and_moves_at_most_half_a_unit(decimal amount, byte currencyIndex)
    {
        var currency = Pick(currencyIndex);
        var rounded = Money.RoundToMinorUnits(amount, currency);
        var halfUnit = 0.5m / Factor(currency);

        return rounded.Scale <= currency.MinorUnits && Math.Abs(rounded - amount) <= halfUnit;
    }

    [Property]
    public bool Round_is_symmetric_around_zero(decimal amount, byte currencyIndex)
    {
        var currency = Pick(currencyIndex);
        return Money.RoundToMinorUnits(-amount, currency) == -Money.RoundToMinorUnits(amount, currency);
    }
}
