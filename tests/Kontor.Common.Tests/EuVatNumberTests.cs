namespace Kontor.Common.Tests;

public class EuVatNumberTests
{
    [Theory]
    [InlineData("PL5260250274", "PL", "5260250274")]
    [InlineData("pl 526-025-02-74", "PL", "5260250274")]
    [InlineData("DE123456789", "DE", "123456789")]
    [InlineData("FR40303265045", "FR", "40303265045")]
    [InlineData("FRK7399859412", "FR", "K7399859412")]
    [InlineData("IT00743110157", "IT", "00743110157")]
    [InlineData("ESX1234567X", "ES", "X1234567X")]
    [InlineData("ESB12345678", "ES", "B12345678")]
    [InlineData("NL123456789B01", "NL", "123456789B01")]
    [InlineData("ATU12345678", "AT", "U12345678")]
    [InlineData("BE0123456789", "BE", "0123456789")]
    [InlineData("BE1123456789", "BE", "1123456789")]
    [InlineData("CZ12345678", "CZ", "12345678")]
    [InlineData("CZ1234567890", "CZ", "1234567890")]
    [InlineData("SK1234567890", "SK", "1234567890")]
    [InlineData("LT123456789", "LT", "123456789")]
    [InlineData("LT123456789012", "LT", "123456789012")]
    [InlineData("EL123456789", "EL", "123456789")]
    [InlineData("SE123456789001", "SE", "123456789001")]
    [InlineData("IE1234567WA", "IE", "1234567WA")]
    [InlineData("IE1234567T", "IE", "1234567T")]
    [InlineData("CY12345678L", "CY", "12345678L")]
    [InlineData("RO18547290", "RO", "18547290")]
    [InlineData("HU12345678", "HU", "12345678")]
    [InlineData("XI123456789", "XI", "123456789")]
    [InlineData("XIGD123", "XI", "GD123")]
    public void Accepts_well_formed_numbers(string input, string country, string number)
    {
        Assert.True(EuVatNumber.TryParse(input, out var vat, out var error), error);
        Assert.Equal(country, vat.CountryCode);
        Assert.Equal(number, vat.Number);
        Assert.Equal(country + number, vat.Value);
    }

    [Theory]
    [InlineData("PL5260250275", "VAT number for PL has an invalid NIP checksum")]
    [InlineData("PL526025027", "VAT number for PL must be 10 digits")]
    [InlineData("DE12345678", "VAT number for DE must be 9 digits")]
    [InlineData("DE1234567890", "VAT number for DE must be 9 digits")]
    [InlineData("DE12345678X", "VAT number for DE must be 9 digits")]
    [InlineData("ATX12345678", "VAT number for AT must be U followed by 8 digits")]
    [InlineData("BE2123456789", "VAT number for BE must be 10 digits starting with 0 or 1")]
    [InlineData("NL123456789A01", "VAT number for NL must be 9 digits, the letter B and 2 digits")]
    [InlineData("SE123456789012", "VAT number for SE must be 12 digits ending in 01")]
    [InlineData("RO0123456", "VAT number for RO must be 2 to 10 digits, not starting with 0")]
    [InlineData("IT0074311015", "VAT number for IT must be 11 digits")]
    [InlineData("DE", "VAT number for DE must be 9 digits")]
    [InlineData("US123456789", "'US' is not an EU VAT country prefix")]
    [InlineData("GB123456789", "'GB' is not an EU VAT country prefix")]
    [InlineData("GR123456789", "Greek VAT numbers use the prefix EL, not GR")]
    [InlineData("5260250274", "VAT number must start with a two-letter country prefix, e.g. PL or DE")]
    [InlineData("P5260250274", "VAT number must start with a two-letter country prefix, e.g. PL or DE")]
    [InlineData("", "VAT number is required")]
    [InlineData(null, "VAT number is required")]
    public void Rejects_invalid_input(string? input, string expectedError)
    {
        Assert.False(EuVatNumber.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
        var ex = Assert.Throws<ValidationException>(() => EuVatNumber.Parse(input));
        Assert.Equal([expectedError], ex.Errors["euVatNumber"]);
    }

    [Fact]
    public void Digits_from_other_scripts_are_not_digits()
    {
        Assert.False(EuVatNumber.TryParse("DE١٢٣٤٥٦٧٨٩", out _, out var error));
        Assert.Equal("VAT number for DE must be 9 digits", error);
    }

    [Theory]
    [InlineData("AT"), InlineData("BE"), InlineData("BG"), InlineData("CY"), InlineData("CZ"), InlineData("DE")]
    [InlineData("DK"), InlineData("EE"), InlineData("EL"), InlineData("ES"), InlineData("FI"), InlineData("FR")]
    [InlineData("HR"), InlineData("HU"), InlineData("IE"), InlineData("IT"), InlineData("LT"), InlineData("LU")]
    [InlineData("LV"), InlineData("MT"), InlineData("NL"), InlineData("PL"), InlineData("PT"), InlineData("RO")]
    [InlineData("SE"), InlineData("SI"), InlineData("SK"), InlineData("XI")]
    public void Every_member_state_prefix_is_known(string prefix)
    {
        Assert.False(EuVatNumber.TryParse(prefix + "!", out _, out var error));
        Assert.StartsWith($"VAT number for {prefix} must be ", error);
    }
}
