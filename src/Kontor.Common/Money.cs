using System.Globalization;

namespace Kontor.Common;

/// <summary>
/// An amount in a currency. Arithmetic keeps full decimal precision; call <see cref="Round"/>
/// where the business rule says an amount is rounded (e.g. per invoice line or per VAT rate).
/// </summary>
public readonly record struct Money(decimal Amount, Currency Currency) : IComparable<Money>
{
    public static Money Of(decimal amount, string currencyCode) => new(amount, Currency.Parse(currencyCode));

    public static Money Zero(Currency currency) => new(0m, currency);

    public bool IsZero => Amount == 0m;

    public bool IsNegative => Amount < 0m;

    public bool IsPositive => Amount > 0m;

    /// <summary>Rounds half away from zero, as Polish VAT law and accounting practice require.</summary>
    public static decimal RoundToMinorUnits(decimal amount, Currency currency) =>
        Math.Round(amount, currency.MinorUnits, MidpointRounding.AwayFromZero);

    public Money Round() => this with { Amount = RoundToMinorUnits(Amount, Currency) };

    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        EnsureSameCurrency(this, other);
        return Amount.CompareTo(other.Amount);
    }

    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(left.Amount + right.Amount, left.Currency);
    }

    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(left.Amount - right.Amount, left.Currency);
    }

    public static Money operator -(Money money) => money with { Amount = -money.Amount };

    public static Money operator *(Money money, decimal factor) => money with { Amount = money.Amount * factor };

    public static Money operator *(decimal factor, Money money) => money * factor;

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Invariant culture, rounded to minor units: "1234.50 PLN", "-7 JPY".</summary>
    public override string ToString()
    {
        var digits = Currency.MinorUnits;
        var amount = RoundToMinorUnits(Amount, Currency);
        return $"{amount.ToString("F" + digits, CultureInfo.InvariantCulture)} {Currency}";
    }

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (left.Currency != right.Currency)
        {
            throw new CurrencyMismatchException(left.Currency, right.Currency);
        }
    }
}
