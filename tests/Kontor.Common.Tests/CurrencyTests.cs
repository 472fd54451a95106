namespace Kontor.Common.Tests;

public class CurrencyTests
{
    [Theory]
    [InlineData("PLN", 2), InlineData("EUR", 2), InlineData("USD", 2), InlineData("GBP", 2), InlineData("CHF", 2)]
    [InlineData("CZK", 2), InlineData("SEK", 2), InlineData("NOK", 2), InlineData("DKK", 2), InlineData("HUF", 2)]
    [InlineData("RON", 2), InlineData("BGN", 2), InlineData("UAH", 2), InlineData("RUB", 2), InlineData("BYN", 2)]
    [InlineData("KZT", 2), InlineData("CNY", 2), InlineData("JPY", 0), InlineData("KRW", 0), InlineData("CLP", 0)]
    [InlineData("ISK", 0), InlineData("BHD", 3), InlineData("KWD", 3), InlineData("OMR", 3), InlineData("TND", 3)]
    [InlineData("JOD", 3)]
    public void Knows_minor_units_of_iso_currencies(string code, int minorUnits)
    {
        var currency = Currency.Parse(code);
        Assert.Equal(code, currency.Code);
        Assert.Equal(minorUnits, currency.MinorUnits);
        Assert.Equal(code, currency.ToString());
    }

    [Theory]
    [InlineData("pln")]
    [InlineData(" PLN ")]
    [InlineData("Pln\t")]
    public void Parse_is_case_insensitive_and_trims(string input)
    {
        Assert.Equal(Currency.PLN, Currency.Parse(input));
    }

    [Theory]
    [InlineData("XYZ", "'XYZ' is not an ISO 4217 currency code")]
    [InlineData(" zł ", "'zł' is not an ISO 4217 currency code")]
    [InlineData("PLNN", "'PLNN' is not an ISO 4217 currency code")]
    [InlineData("", "Currency code is required")]
    public void Parse_rejects_unknown_codes(string input, string expectedError)
    {
        var ex = Assert.Throws<ValidationException>(() => Currency.Parse(input));
        Assert.Equal([expectedError], ex.Errors["currency"]);
        Assert.False(Currency.TryParse(input, out var currency));
        Assert.Equal(default, currency);
    }

    [Fact]
    public void TryParse_rejects_null()
    {
        Assert.False(Currency.TryParse(null, out _));
    }

    [Fact]
    public void Well_known_instances_match_parsed_ones()
    {
        Assert.Equal(("PLN", 2), (Currency.PLN.Code, Currency.PLN.MinorUnits));
        Assert.Equal(("EUR", 2), (Currency.EUR.Code, Currency.EUR.MinorUnits));
        Assert.Equal(("USD", 2), (Currency.USD.Code, Currency.USD.MinorUnits));
        Assert.Equal(("RUB", 2), (Currency.RUB.Code, Currency.RUB.MinorUnits));
        Assert.Equal(Currency.EUR, Currency.Parse("eur"));
        Assert.NotEqual(Currency.EUR, Currency.USD);
    }
}
