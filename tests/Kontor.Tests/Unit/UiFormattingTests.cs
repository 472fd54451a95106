using System.Globalization;
using Kontor.Web.Components;

namespace Kontor.Tests.Unit;

public sealed class UiFormattingTests
{
    [Theory]
    [InlineData("pl-PL", 20, "PLN", "20,00")]
    [InlineData("pl-PL", 12.34567, "PLN", "12,3457")]
    [InlineData("pl-PL", 1234.5, "PLN", "1\u00a0234,50")]
    [InlineData("en-US", 12.345, "EUR", "12.345")]
    [InlineData("en-US", 20, "EUR", "20.00")]
    [InlineData("en-US", 1500, "JPY", "1,500")]
    public void A_unit_amount_keeps_the_currency_minor_units_and_up_to_four_more_decimals(string culture, double amount, string currency, string shown)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try { Assert.Equal(shown, Ui.UnitAmount((decimal)amount, currency)); }
        finally { CultureInfo.CurrentCulture = before; }
    }
}
