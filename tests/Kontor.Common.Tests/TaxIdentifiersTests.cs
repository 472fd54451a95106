namespace Kontor.Common.Tests;

public class TaxIdentifiersTests
{
    [Theory]
    [InlineData(TaxIdKind.Nip, "PL 526-025-02-74", "5260250274")]
    [InlineData(TaxIdKind.EuVat, "de 123 456 789", "DE123456789")]
    [InlineData(TaxIdKind.Pesel, "44051401359", "44051401359")]
    [InlineData(TaxIdKind.Regon, "123-456-785", "123456785")]
    [InlineData(TaxIdKind.Inn, "7707083893", "7707083893")]
    [InlineData(TaxIdKind.Other, "  US 12-3456789 ", "US 12-3456789")]
    [InlineData(TaxIdKind.None, null, null)]
    [InlineData(TaxIdKind.None, "", null)]
    [InlineData(TaxIdKind.None, "   ", null)]
    public void Normalizes_valid_values(TaxIdKind kind, string? value, string? expected)
    {
        Assert.Equal(expected, TaxIdentifiers.Normalize(kind, value, "taxId"));
    }

    [Theory]
    [InlineData(TaxIdKind.Nip, "5260250275", "NIP checksum is invalid")]
    [InlineData(TaxIdKind.EuVat, "US123456789", "'US' is not an EU VAT country prefix")]
    [InlineData(TaxIdKind.Pesel, "44051401358", "PESEL checksum is invalid")]
    [InlineData(TaxIdKind.Regon, "123456784", "REGON checksum is invalid")]
    [InlineData(TaxIdKind.Inn, "7707083894", "INN checksum is invalid")]
    [InlineData(TaxIdKind.Nip, null, "NIP is required")]
    [InlineData(TaxIdKind.Other, "   ", "Tax identifier is required")]
    [InlineData(TaxIdKind.Other, "123456789012345678901234567890123", "Tax identifier must be at most 32 characters")]
    [InlineData(TaxIdKind.None, "5260250274", "A tax identifier was given but its kind is None")]
    public void Rejects_invalid_values_under_the_given_field(TaxIdKind kind, string? value, string expectedError)
    {
        var ex = Assert.Throws<ValidationException>(() => TaxIdentifiers.Normalize(kind, value, "customer.taxId"));
        Assert.Equal(["customer.taxId"], ex.Errors.Keys);
        Assert.Equal([expectedError], ex.Errors["customer.taxId"]);
    }

    [Fact]
    public void Other_accepts_exactly_32_characters()
    {
        var value = new string('7', 32);
        Assert.Equal(value, TaxIdentifiers.Normalize(TaxIdKind.Other, value, "taxId"));
    }

    [Fact]
    public void Unknown_kind_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TaxIdentifiers.Normalize((TaxIdKind)99, "x", "taxId"));
    }
}
