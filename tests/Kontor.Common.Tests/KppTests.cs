namespace Kontor.Common.Tests;

public class KppTests
{
    [Theory]
    [InlineData("773601001", "773601001")]
    [InlineData("7736AB001", "7736AB001")]
    [InlineData("7736ab001", "7736AB001")]
    [InlineData(" 7736 01 001 ", "773601001")]
    public void Accepts_valid_codes(string input, string expected)
    {
        Assert.True(Kpp.TryParse(input, out var kpp, out var error), error);
        Assert.Equal(expected, kpp.Value);
    }

    [Theory]
    [InlineData("77360100", "KPP must have 9 characters")]
    [InlineData("7736010011", "KPP must have 9 characters")]
    [InlineData("A73601001", "KPP must be 4 digits, then 2 digits or Latin letters, then 3 digits")]
    [InlineData("773601A01", "KPP must be 4 digits, then 2 digits or Latin letters, then 3 digits")]
    [InlineData("7736ДА001", "KPP must be 4 digits, then 2 digits or Latin letters, then 3 digits")]
    [InlineData("7736_1001", "KPP must be 4 digits, then 2 digits or Latin letters, then 3 digits")]
    [InlineData("", "KPP is required")]
    [InlineData(null, "KPP is required")]
    public void Rejects_invalid_input(string? input, string expectedError)
    {
        Assert.False(Kpp.TryParse(input, out _, out var error));
        Assert.Equal(expectedError, error);
        var ex = Assert.Throws<ValidationException>(() => Kpp.Parse(input));
        Assert.Equal([expectedError], ex.Errors["kpp"]);
    }
}
