namespace Kontor.Common.Tests;

public class RegonTests
{
    [Theory]
    [InlineData("123456785", "123456785")]
    [InlineData("000331501", "000331501")]
    [InlineData("192-598-184", "192598184")]
    [InlineData("12345678501233", "12345678501233")]
    [InlineData("00033150100000", "00033150100000")]
    public void Accepts_valid_numbers(string input, string expected)
    {
        Assert.True(Regon.TryParse(input, out var regon, out var error), error);
        Assert.Equal(expected, regon.Value);
    }

    [Theory]
    [InlineData("123456784", "REGON checksum is invalid")]
    [InlineData("000331502", "REGON checksum is invalid")]
    [InlineData("12345678501234", "REGON checksum is invalid")]
    [InlineData("12345678601239", "REGON-14 must start with a valid 9-digit REGON")]
    [InlineData("12345678", "REGON must have 9 or 14 digits")]
    [InlineData("1234567850", "REGON must have 9 or 14 digits")]
    [InlineData("1234567850123", "REGON must have 9 or 14 digits")]
    [InlineData("12345678X", "REGON may contain only digits")]
    [InlineData("", "REGON is required")]
    [InlineData(null, "REGON is required")]
    public void Rejects_invalid_input(string? input, string expectedError)
    {
        Assert.False(Regon.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
        var ex = Assert.Throws<ValidationException>(() => Regon.Parse(input));
        Assert.Equal([expectedError], ex.Errors["regon"]);
    }

    [Fact]
    public void Remainder_10_maps_to_check_digit_0()
    {
        // 12345680x: 8+18+6+12+20+30+48+0 = 142, 142 mod 11 = 10, so the check digit is 0.
        Assert.True(Regon.TryParse("123456800", out _, out _));
        Assert.False(Regon.TryParse("123456801", out _, out _));
    }
}
