namespace Kontor.Common.Tests;

public class IbanTests
{
    [Theory]
    [InlineData("PL61109010140000071219812874", "PL61 1090 1014 0000 0712 1981 2874")]
    [InlineData("PL61 1090 1014 0000 0712 1981 2874", "PL61 1090 1014 0000 0712 1981 2874")]
    [InlineData("de89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00")]
    [InlineData("GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("FR1420041010050500013M02606", "FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL91ABNA0417164300", "NL91 ABNA 0417 1643 00")]
    [InlineData("CH9300762011623852957", "CH93 0076 2011 6238 5295 7")]
    [InlineData("NO9386011117947", "NO93 8601 1117 947")]
    [InlineData("BE68539007547034", "BE68 5390 0754 7034")]
    [InlineData("AT611904300234573201", "AT61 1904 3002 3457 3201")]
    [InlineData("RU0304452522540817810538091310419", "RU03 0445 2522 5408 1781 0538 0913 1041 9")]
    [InlineData("UA213223130000026007233566001", "UA21 3223 1300 0002 6007 2335 6600 1")]
    [InlineData("KZ86125KZT5004100100", "KZ86 125K ZT50 0410 0100")]
    [InlineData("BY13NBRB3600900000002Z00AB00", "BY13 NBRB 3600 9000 0000 2Z00 AB00")]
    [InlineData("DE02370400440010000045", "DE02 3704 0044 0010 0000 45")]
    public void Accepts_valid_ibans(string input, string formatted)
    {
        Assert.True(Iban.TryParse(input, out var iban, out var error), error);
        Assert.Equal(formatted.Replace(" ", ""), iban.Value);
        Assert.Equal(formatted, iban.Formatted);
        Assert.Equal(formatted[..2], iban.CountryCode);
    }

    [Theory]
    [InlineData("PL62109010140000071219812874", "IBAN checksum is invalid")]
    [InlineData("PL61109010140000071219812875", "IBAN checksum is invalid")]
    [InlineData("PL61109010140000071219818274", "IBAN checksum is invalid")] // transposed digits
    [InlineData("GB82WEST12345698765433", "IBAN checksum is invalid")]
    [InlineData("DE99370400440010000045", "IBAN check digits are invalid")] // 99 ≡ 02 (mod 97)
    [InlineData("DEXX370400440532013000", "IBAN check digits are invalid")]
    [InlineData("PL6110901014000007121981287", "IBAN for PL must have 28 characters")]
    [InlineData("PL611090101400000712198128745", "IBAN for PL must have 28 characters")]
    [InlineData("DE8937040044053201300", "IBAN for DE must have 22 characters")]
    [InlineData("US64SVBKUS6S3300958879", "'US' is not a country that uses IBAN")]
    [InlineData("61109010140000071219812874", "IBAN must start with a two-letter country code")]
    [InlineData("PL", "IBAN must start with a two-letter country code")]
    [InlineData("PL61_1090_1014_0000_0712_1981_2874", "IBAN may contain only letters and digits")]
    [InlineData("", "IBAN is required")]
    [InlineData(null, "IBAN is required")]
    public void Rejects_invalid_input(string? input, string expectedError)
    {
        Assert.False(Iban.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
        var ex = Assert.Throws<ValidationException>(() => Iban.Parse(input));
        Assert.Equal([expectedError], ex.Errors["iban"]);
    }
}
