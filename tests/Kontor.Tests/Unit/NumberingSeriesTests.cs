using Kontor.Sales;

namespace Kontor.Tests.Unit;

public sealed class NumberingSeriesTests
{
    [Theory]
    [InlineData("FV/{yyyy}/{MM}/{n}", NumberingReset.Monthly, "2026-03-05", 7, "FV/2026/03/7", "2026-03")]
    [InlineData("FV/{yyyy}/{MM}/{n}", NumberingReset.Monthly, "2026-12-31", 1, "FV/2026/12/1", "2026-12")]
    [InlineData("FV/{yy}/{n:4}", NumberingReset.Yearly, "2026-12-31", 42, "FV/26/0042", "2026")]
    [InlineData("INV-{yyyy}{MM}-{n:2}", NumberingReset.Monthly, "2027-11-30", 5, "INV-202711-05", "2027-11")]
    [InlineData("{n:2}", NumberingReset.Never, "2026-01-01", 123, "123", "all")]
    [InlineData("{n}", NumberingReset.Never, "2030-06-15", 12345, "12345", "all")]
    [InlineData("FV/{dd}/{n}", NumberingReset.Yearly, "2026-01-09", 1, "FV/{dd}/1", "2026")]
    public void Formats_numbers_and_periods(string pattern, NumberingReset reset, string date, long sequence, string expectedNumber, string expectedPeriod)
    {
        var series = new NumberingSeries { Pattern = pattern, Reset = reset };
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expectedNumber, series.Format(day, sequence));
        Assert.Equal(expectedPeriod, series.PeriodKey(day));
    }
}
