using Kontor.Recurring;

namespace Kontor.Tests.Unit;

/// <summary>The run dates of a schedule, as a table computed by hand with a calendar.</summary>
public sealed class RecurringCalendarTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // frequency, interval, dayOfMonth, start, end, from → expected first run on or after `from` ("" = none: ended)
    [InlineData(RecurringFrequency.Monthly, null, 31, "2026-01-31", null, "2026-01-31", "2026-01-31")]
    [InlineData(RecurringFrequency.Monthly, null, 31, "2026-01-31", null, "2026-02-01", "2026-02-28")] // February has 28 days in 2026
    [InlineData(RecurringFrequency.Monthly, null, 31, "2026-01-31", null, "2026-03-01", "2026-03-31")] // back to the 31st, no drift to the 28th
    [InlineData(RecurringFrequency.Monthly, null, 31, "2026-01-31", null, "2026-04-01", "2026-04-30")]
    [InlineData(RecurringFrequency.Monthly, null, 31, "2028-01-31", null, "2028-02-01", "2028-02-29")] // leap year
    [InlineData(RecurringFrequency.Monthly, null, 30, "2026-01-15", null, "2026-02-01", "2026-02-28")]
    [InlineData(RecurringFrequency.Monthly, null, 10, "2026-01-20", null, "2026-01-20", "2026-02-10")] // the start month's 10th is before the start
    [InlineData(RecurringFrequency.Monthly, null, 1, "2026-12-01", null, "2026-12-02", "2027-01-01")]  // over the year end
    [InlineData(RecurringFrequency.Quarterly, null, 15, "2026-01-10", null, "2026-01-10", "2026-01-15")]
    [InlineData(RecurringFrequency.Quarterly, null, 15, "2026-01-10", null, "2026-01-16", "2026-04-15")]
    [InlineData(RecurringFrequency.Quarterly, null, 15, "2026-01-10", null, "2026-04-16", "2026-07-15")]
    [InlineData(RecurringFrequency.Quarterly, null, 5, "2026-01-10", null, "2026-01-10", "2026-04-05")]  // Jan 5 is before the start
    [InlineData(RecurringFrequency.Quarterly, null, 31, "2026-11-30", null, "2026-12-01", "2027-02-28")] // Nov → Feb, clamped
    [InlineData(RecurringFrequency.Yearly, null, 29, "2028-02-29", null, "2028-02-29", "2028-02-29")]
    [InlineData(RecurringFrequency.Yearly, null, 29, "2028-02-29", null, "2028-03-01", "2029-02-28")]
    [InlineData(RecurringFrequency.Yearly, null, 29, "2028-02-29", null, "2031-03-01", "2032-02-29")]
    [InlineData(RecurringFrequency.EveryNDays, 10, null, "2026-03-01", null, "2026-03-01", "2026-03-01")]
    [InlineData(RecurringFrequency.EveryNDays, 10, null, "2026-03-01", null, "2026-03-02", "2026-03-11")]
    [InlineData(RecurringFrequency.EveryNDays, 10, null, "2026-03-01", null, "2026-03-22", "2026-03-31")]
    [InlineData(RecurringFrequency.EveryNDays, 10, null, "2026-03-01", null, "2026-04-01", "2026-04-10")]
    [InlineData(RecurringFrequency.EveryNDays, 10, null, "2026-03-01", null, "2026-04-10", "2026-04-10")]
    [InlineData(RecurringFrequency.EveryNDays, 1, null, "2026-03-01", null, "2026-05-07", "2026-05-07")]
    // A start in the future: nothing before it.
    [InlineData(RecurringFrequency.Monthly, null, 1, "2026-06-01", null, "2026-03-20", "2026-06-01")]
    [InlineData(RecurringFrequency.EveryNDays, 7, null, "2026-06-03", null, "2026-03-20", "2026-06-03")]
    // The end date stops it; a run on the end date itself still happens.
    [InlineData(RecurringFrequency.Monthly, null, 15, "2026-01-15", "2026-03-15", "2026-02-16", "2026-03-15")]
    [InlineData(RecurringFrequency.Monthly, null, 15, "2026-01-15", "2026-03-14", "2026-02-16", "")]
    [InlineData(RecurringFrequency.EveryNDays, 10, null, "2026-03-01", "2026-03-20", "2026-03-12", "")]
    [InlineData(RecurringFrequency.Yearly, null, 1, "2026-01-01", "2026-12-31", "2026-01-02", "")]
    public void First_run_on_or_after_a_date(RecurringFrequency frequency, int? intervalDays, int? dayOfMonth, string start, string? end, string from, string expected)
    {
        var actual = RecurringCalendar.OccurrenceOnOrAfter(frequency, intervalDays, dayOfMonth, D(start), end is null ? null : D(end), D(from));
        Assert.Equal(expected == "" ? null : D(expected), actual);
    }

    [Fact]
    public void Monthly_on_the_31st_runs_on_every_month_end_of_a_year()
    {
        var schedule = new RecurringSchedule { Frequency = RecurringFrequency.Monthly, DayOfMonth = 31, StartDate = D("2028-01-01") };
        var dates = new List<DateOnly>();
        DateOnly? date = D("2028-01-31");
        while (date is { } d && d.Year == 2028) { dates.Add(d); date = RecurringCalendar.Next(schedule, d); }
        Assert.Equal(
            ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31", "2028-06-30", "2028-07-31", "2028-08-31", "2028-09-30", "2028-10-31", "2028-11-30", "2028-12-31"],
            dates.Select(d => d.ToString("yyyy-MM-dd")));
        Assert.Equal(D("2029-01-31"), date);
    }
}
