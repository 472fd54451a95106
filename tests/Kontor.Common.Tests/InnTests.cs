namespace Kontor.Common.Tests;

public class InnTests
{
    [Theory]
    [InlineData("7707083893", true)]  // Sberbank
    [InlineData("7736050003", true)]  // Gazprom
    [InlineData("7736207543", true)]  // Yandex
    [InlineData("500100732259", false)]
    [InlineData("773370857141", false)]
    public void Accepts_valid_numbers(string input, bool legalEntity)
    {
        Assert.True(Inn.TryParse(input, out var inn, out var error), error);
        Assert.Equal(input, inn.Value);
        Assert.Equal(legalEntity, inn.IsLegalEntity);
    }

    [Theory]
    [InlineData("7707083894", "INN checksum is invalid")]
    [InlineData("7707083983", "INN checksum is invalid")]
    [InlineData("500100732258", "INN checksum is invalid")] // second check digit wrong
    [InlineData("500100732359", "INN checksum is invalid")] // first check digit wrong
    [InlineData("100000000000", "INN checksum is invalid")]
    [InlineData("770708389", "INN must have 10 digits (organisation) or 12 digits (individual)")]
    [InlineData("77070838931", "INN must have 10 digits (organisation) or 12 digits (individual)")]
    [InlineData("77070838X3", "INN may contain only digits")]
    [InlineData("", "INN is required")]
    [InlineData(null, "INN is required")]
    public void Rejects_invalid_input(string? input, string expectedError)
    {
        Assert.False(Inn.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
        var ex = Assert.Throws<ValidationException>(() => Inn.Parse(input));
        Assert.Equal([expectedError], ex.Errors["inn"]);
    }
}
