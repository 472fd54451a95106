using Kontor.Company;
using Microsoft.Extensions.Options;

namespace Kontor.Tests.Unit;

/// <summary>Instants (UTC) against the company's calendar days, across midnight and both daylight-saving changes.</summary>
public sealed class BusinessCalendarTests
{
    private static BusinessCalendar Calendar(string zone = "Europe/Warsaw") =>
        new(TimeProvider.System, Options.Create(new KontorOptions { TimeZone = zone }));

    [Theory]
    [InlineData("2026-03-03T22:59:59Z", "2026-03-03")]   // 23:59:59 CET
    [InlineData("2026-03-03T23:00:00Z", "2026-03-04")]   // midnight CET: the next day, still the 3rd in UTC
    [InlineData("2026-03-28T23:30:00Z", "2026-03-29")]   // 00:30 CET on the night the clocks go forward
    [InlineData("2026-07-14T21:59:00Z", "2026-07-14")]   // 23:59 CEST
    [InlineData("2026-07-14T22:00:00Z", "2026-07-15")]   // midnight CEST
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25")]   // 02:30 CEST, the hour that is lived twice
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25")]   // 02:30 CET, the second time round
    [InlineData("2026-12-31T23:00:00Z", "2027-01-01")]   // the new year starts an hour before it does in UTC
    public void An_instant_falls_on_the_company_s_day(string instant, string day)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Calendar().DateOf(at));
    }

    [Theory]
    [InlineData("2026-03-04", "2026-03-03T23:00:00Z")]
    [InlineData("2026-03-29", "2026-03-28T23:00:00Z")]   // the day the clocks go forward still begins at CET midnight
    [InlineData("2026-03-30", "2026-03-29T22:00:00Z")]
    [InlineData("2026-10-26", "2026-10-25T23:00:00Z")]
    public void A_day_begins_at_the_company_s_midnight_and_DateOf_reads_it_back(string day, string start)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var begins = Calendar().At(date);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), begins);
        Assert.Equal(TimeSpan.Zero, begins.Offset);
        Assert.Equal(date, Calendar().DateOf(begins));
        Assert.Equal(date.AddDays(-1), Calendar().DateOf(begins.AddTicks(-1)));
    }

    [Fact]
    public void In_a_zone_behind_UTC_the_day_ends_later()
    {
        var calendar = Calendar("America/New_York");
        Assert.Equal(new DateOnly(2026, 3, 3), calendar.DateOf(new DateTimeOffset(2026, 3, 4, 4, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 4), calendar.DateOf(new DateTimeOffset(2026, 3, 4, 5, 0, 0, TimeSpan.Zero)));
    }
}
