using System.Globalization;

namespace Kontor.Common.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("2.345", "PLN", "2.35")]
    [InlineData("2.355", "PLN", "2.36")]
    [InlineData("-2.345", "PLN", "-2.35")]
    [InlineData("2.344", "PLN", "2.34")]
    [InlineData("2.3449999", "PLN", "2.34")]
    [InlineData("0.005", "EUR", "0.01")]
    [InlineData("-0.005", "EUR", "-0.01")]
    [InlineData("100", "PLN", "100")]
    [InlineData("123.5", "JPY", "124")]
    [InlineData("122.5", "JPY", "123")]
    [InlineData("-0.5", "JPY", "-1")]
    [InlineData("123.4", "JPY", "123")]
    [InlineData("1.2345", "KWD", "1.235")]
    [InlineData("1.2344", "KWD", "1.234")]
    [InlineData("-1.0005", "BHD", "-1.001")]
    public void Round_uses_minor_units_and_rounds_half_away_from_zero(string amount, string code, string expected)
    {
        var money = Money.Of(decimal.Parse(amount, CultureInfo.InvariantCulture), code);
        var rounded = money.Round();

        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), rounded.Amount);
        Assert.Equal(money.Currency, rounded.Currency);
        Assert.Equal(rounded.Amount, Money.RoundToMinorUnits(money.Amount, money.Currency));
    }

    [Theory]
    [InlineData("123.45", "PLN", "123.45 PLN")]
    [InlineData("1234.5", "PLN", "1234.50 PLN")]
    [InlineData("0", "EUR", "0.00 EUR")]
    [InlineData("-7.125", "EUR", "-7.13 EUR")]
    [InlineData("1500", "JPY", "1500 JPY")]
    [InlineData("1", "KWD", "1.000 KWD")]
    [InlineData("-0.001", "PLN", "0.00 PLN")]
    public void ToString_is_invariant_with_minor_units(string amount, string code, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("pl-PL");
        try
        {
            Assert.Equal(expected, Money.Of(decimal.Parse(amount, CultureInfo.InvariantCulture), code).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Arithmetic_in_one_currency()
    {
        var a = Money.Of(10.50m, "PLN");
        var b = Money.Of(0.75m, "PLN");

        Assert.Equal(Money.Of(11.25m, "PLN"), a + b);
        Assert.Equal(Money.Of(9.75m, "PLN"), a - b);
        Assert.Equal(Money.Of(-10.50m, "PLN"), -a);
        Assert.Equal(Money.Of(2.415m, "PLN"), a * 0.23m);
        Assert.Equal(Money.Of(2.415m, "PLN"), 0.23m * a);
    }

    [Fact]
    public void Arithmetic_across_currencies_throws()
    {
        var pln = Money.Of(1m, "PLN");
        var eur = Money.Of(1m, "EUR");

        var ex = Assert.Throws<CurrencyMismatchException>(() => pln + eur);
        Assert.Equal(Currency.PLN, ex.Left);
        Assert.Equal(Currency.EUR, ex.Right);
        Assert.Contains("PLN", ex.Message);
        Assert.Contains("EUR", ex.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(ex);

        Assert.Throws<CurrencyMismatchException>(() => pln - eur);
        Assert.Throws<CurrencyMismatchException>(() => pln.CompareTo(eur));
        Assert.Throws<CurrencyMismatchException>(() => pln < eur);
    }

    [Fact]
    public void Comparison_helpers()
    {
        var zero = Money.Zero(Currency.EUR);
        var small = Money.Of(0.01m, "EUR");
        var negative = Money.Of(-0.01m, "EUR");

        Assert.True(zero.IsZero);
        Assert.False(small.IsZero);
        Assert.True(negative.IsNegative);
        Assert.False(zero.IsNegative);
        Assert.True(small.IsPositive);
        Assert.True(negative < zero && zero < small);
        Assert.True(small >= zero && zero <= Money.Zero(Currency.EUR));
        Assert.Equal(0, zero.CompareTo(Money.Of(0.000m, "EUR")));
        Assert.Equal(-1, Math.Sign(negative.CompareTo(small)));
    }

    [Fact]
    public void Equality_ignores_trailing_zeros_but_not_currency()
    {
        Assert.Equal(Money.Of(1.5m, "PLN"), Money.Of(1.50m, "PLN"));
        Assert.NotEqual(Money.Of(1.5m, "PLN"), Money.Of(1.5m, "EUR"));
    }

    [Fact]
    public void Of_rejects_unknown_currency()
    {
        var ex = Assert.Throws<ValidationException>(() => Money.Of(1m, "ZZZ"));
        Assert.Equal(["'ZZZ' is not an ISO 4217 currency code"], ex.Errors["currency"]);
    }
}
