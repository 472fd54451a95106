using Kontor.CustomerCard;

namespace Kontor.Tests.Crm;

/// <summary>DSO arithmetic (docs/decisions.md §35): the period is 90 days, or the days since a newer customer's first sale.</summary>
public sealed class DsoTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    [Theory]
    [InlineData(null, 90)]          // no sale yet: the window as it is
    [InlineData(0, 1)]              // first sale today: one day
    [InlineData(29, 30)]            // both days counted
    [InlineData(89, 90)]
    [InlineData(90, 90)]            // older customers: the 90-day window
    [InlineData(400, 90)]
    [InlineData(-3, 1)]             // a sale dated after today (a clock set back) still gives a period of a day
    public void The_period_is_the_days_since_the_first_sale_up_to_90(int? daysAgo, int expected) =>
        Assert.Equal(expected, CustomerCardQuery.DsoPeriodDays(daysAgo is { } d ? Today.AddDays(-d) : null, Today));

    [Theory]
    [InlineData("0", "1000", 90, "0")]              // nothing owed
    [InlineData("-50", "1000", 90, "0")]            // an overpayment owes nothing either
    [InlineData("0", "0", 90, null)]                // no sales, nothing owed: nothing to say
    [InlineData("100", "0", 90, null)]              // owed but no sales in the period: the ratio means nothing
    [InlineData("100", "-200", 90, null)]           // corrections outweighing sales
    [InlineData("1460", "3690", 90, "35.6")]        // 35.609…
    [InlineData("1460", "3690", 31, "12.3")]        // 12.265…
    [InlineData("123", "123", 46, "46.0")]          // all unpaid: as old as the period
    [InlineData("1", "3", 90, "30.0")]
    [InlineData("0.05", "1", 1, "0.1")]             // 0.05 rounds away from zero
    public void Dso_is_balance_over_sales_times_the_period_to_a_tenth_of_a_day(string balance, string sales, int days, string? expected) =>
        Assert.Equal(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            CustomerCardQuery.Dso(decimal.Parse(balance, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(sales, System.Globalization.CultureInfo.InvariantCulture), days));
}
