namespace Kontor.Common.Tests;

public class PeselTests
{
    [Theory]
    [InlineData("44051401359", 1944, 5, 14, false)]
    [InlineData("02070803628", 1902, 7, 8, true)]
    [InlineData("01222800122", 2001, 2, 28, true)]
    [InlineData("00222900122", 2000, 2, 29, true)]
    [InlineData("85123112346", 1985, 12, 31, true)]
    [InlineData("82810100121", 1882, 1, 1, true)]
    [InlineData("04411512345", 2104, 1, 15, true)]
    [InlineData("99123100010", 1999, 12, 31, false)]
    [InlineData("440514 013 59", 1944, 5, 14, false)]
    public void Decodes_birth_date_and_sex(string input, int year, int month, int day, bool female)
    {
        Assert.True(Pesel.TryParse(input, out var pesel, out var error), error);
        Assert.Equal(new DateOnly(year, month, day), pesel.BirthDate);
        Assert.Equal(female, pesel.IsFemale);
        Assert.Equal(input.Replace(" ", ""), pesel.Value);
    }

    [Theory]
    [InlineData("44051401358", "PESEL checksum is invalid")]
    [InlineData("44051401369", "PESEL checksum is invalid")]
    [InlineData("99023000454", "PESEL encodes a nonexistent birth date")] // 30 February 1999
    [InlineData("00022900126", "PESEL encodes a nonexistent birth date")] // 29 February 1900, not a leap year
    [InlineData("00422900128", "PESEL encodes a nonexistent birth date")] // 29 February 2100, not a leap year
    [InlineData("99130100120", "PESEL encodes a nonexistent birth date")] // month 13
    [InlineData("4405140135", "PESEL must have 11 digits")]
    [InlineData("440514013590", "PESEL must have 11 digits")]
    [InlineData("4405140135X", "PESEL may contain only digits")]
    [InlineData("", "PESEL is required")]
    [InlineData(null, "PESEL is required")]
    public void Rejects_invalid_input(string? input, string expectedError)
    {
        Assert.False(Pesel.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
        var ex = Assert.Throws<ValidationException>(() => Pesel.Parse(input));
        Assert.Equal([expectedError], ex.Errors["pesel"]);
    }
}
