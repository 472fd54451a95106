using System.Globalization;
using Kontor.Web.Components;

namespace Kontor.UiTests;

/// <summary>Dates look the same on every page: day first with dots in Polish and Russian, ISO 8601 in English.</summary>
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
            Assert.Equal(expected + " 07:04", Ui.DateTime(new DateTimeOffset(2026, 3, 5, 7, 4, 0, TimeSpan.FromHours(1))));
            Assert.Equal("—", Ui.Date(null));
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }
}
