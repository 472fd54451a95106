using Kontor.Sales;

namespace Kontor.Tests.Integration;

/// <summary>The margin percentage is taken over the revenue whose cost is known (revenue without a cost would count at 100 %).</summary>
public sealed class MarginFiguresTests
{
    [Theory]
    // revenue, cost of goods, revenue without cost → margin amount, percent
    [InlineData("430.00", "180.00", "130.00", "250.00", "40.0")]   // (300 − 180) / 300
    [InlineData("1000.00", "0.00", "1000.00", "1000.00", null)]    // no cost known at all: no percentage, not 100 %
    [InlineData("0.00", "0.00", "0.00", "0.00", null)]             // nothing sold
    [InlineData("500.00", "500.00", "0.00", "0.00", "0.0")]
    [InlineData("500.00", "600.00", "0.00", "-100.00", "-20.0")]   // sold below cost
    [InlineData("300.00", "100.00", "0.00", "200.00", "66.7")]     // 66.66… rounds up
    [InlineData("-100.00", "-60.00", "0.00", "-40.00", "40.0")]    // a period of returns only: credit and cost both back
    public void Margin_and_its_percentage(string revenue, string cost, string withoutCost, string margin, string? percent)
    {
        static decimal D(string s) => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        var figures = new MarginFigures("PLN", D(revenue), D(cost), D(withoutCost));
        Assert.Equal((D(margin), percent is null ? (decimal?)null : D(percent)), (figures.Margin, figures.MarginPercent));
    }
}
