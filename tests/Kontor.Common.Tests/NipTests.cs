namespace Kontor.Common.Tests;

public class NipTests
{
    [Theory]
    [InlineData("5260250274", "5260250274")]
    [InlineData("526-025-02-74", "5260250274")]
    [InlineData("526 025 02 74", "5260250274")]
    [InlineData("PL5260250274", "5260250274")]
    [InlineData("pl 526-025-02-74", "5260250274")]
    [InlineData(" 1234563218 ", "1234563218")]
    [InlineData("774-000-14-54", "7740001454")]
    public void Accepts_valid_numbers_and_normalises(string input, string expected)
    {
        Assert.True(Nip.TryParse(input, out var nip, out var error));
        Assert.Null(error);
        Assert.Equal(expected, nip.Value);
        Assert.Equal(expected, Nip.Parse(input).ToString());
    }

    [Theory]
    [InlineData("5260250275", "NIP checksum is invalid")]
    [InlineData("1234563219", "NIP checksum is invalid")]
    [InlineData("526025027", "NIP must have 10 digits")]
    [InlineData("52602502740", "NIP must have 10 digits")]
    [InlineData("PL", "NIP must have 10 digits")]
    [InlineData("526025027A", "NIP may contain only digits (optionally prefixed with PL)")]
    [InlineData("DE5260250274", "NIP may contain only digits (optionally prefixed with PL)")]
    [InlineData("٥٢٦٠٢٥٠٢٧٤", "NIP may contain only digits (optionally prefixed with PL)")]
    [InlineData("", "NIP is required")]
    [InlineData("  ", "NIP is required")]
    [InlineData(null, "NIP is required")]
    public void Rejects_invalid_input_with_specific_error(string? input, string expectedError)
    {
        Assert.False(Nip.TryParse(input, out var nip, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal(default, nip);

        var ex = Assert.Throws<ValidationException>(() => Nip.Parse(input));
        Assert.Equal(["nip"], ex.Errors.Keys);
        Assert.Equal([expectedError], ex.Errors["nip"]);
    }

    [Fact]
    public void Rejects_number_whose_weighted_sum_leaves_remainder_10()
    {
        // 123456789x: weighted sum 6+10+21+8+15+24+35+48+63 = 230, 230 mod 11 = 10, so no check digit fits.
        for (var last = 0; last <= 9; last++)
        {
            Assert.False(Nip.TryParse($"123456789{last}", out _, out var error));
            Assert.Equal("NIP checksum is invalid", error);
        }
    }

    [Fact]
    public void Parse_reports_under_the_given_field()
    {
        var ex = Assert.Throws<ValidationException>(() => Nip.Parse("1", "buyer.nip"));
        Assert.True(ex.Errors.ContainsKey("buyer.nip"));
    }
}
