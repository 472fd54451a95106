using System.Globalization;
using Kontor.Web.Components;

namespace Kontor.UiTests;

/// <summary>Numbers and dates look the same on every page: dates day first with dots in Polish and Russian, ISO 8601 in English.</summary>
public sealed class UiFormatTests
{
    [Theory]
    [InlineData("pl", "05.03.2026")]
    [InlineData("ru", "05.03.2026")]
    [InlineData("en", "2026-03-05")]
    [InlineData("en-US", "2026-03-05")]
    public void A_date_is_written_in_the_readers_language(string culture, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(expected, Ui.Date(new DateOnly(2026, 3, 5)));
            Assert.Equal(expected + " 07:04", Ui.DateTime(new DateTime(2026, 3, 5, 7, 4, 0)));
            Assert.Equal("—", Ui.Date(null));
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Theory]
    [InlineData("pl-PL", 20, "PLN", "20,00")]
    [InlineData("pl-PL", 12.34567, "PLN", "12,3457")]
    [InlineData("pl-PL", 1234.5, "PLN", "1\u00a0234,50")]
    [InlineData("en-US", 12.345, "EUR", "12.345")]
    [InlineData("en-US", 20, "EUR", "20.00")]
    [InlineData("en-US", 1500, "JPY", "1,500")]
    public void A_unit_amount_keeps_the_currency_minor_units_and_at_most_four_decimals(string culture, double amount, string currency, string shown)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(shown, Ui.UnitAmount((decimal)amount, currency));
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }
}
