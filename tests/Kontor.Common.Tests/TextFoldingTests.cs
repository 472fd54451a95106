using Kontor.Common;

namespace Kontor.Common.Tests;

public sealed class TextFoldingTests
{
    [Theory]
    [InlineData("Łódź", "lodz")]
    [InlineData("ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "zazolc gesla jazn")]
    [InlineData("Ёлка Йошкар-Ола", "елка иошкар-ола")]
    [InlineData("Straße", "strase")]
    [InlineData("Почта России", "почта россии")]
    public void Fold_lowers_and_drops_diacritics(string text, string expected) => Assert.Equal(expected, TextFolding.Fold(text));

    [Theory]
    [InlineData("Poczta-Polska", "pocztapolska")]
    [InlineData(" POCZTA  POLSKA ", "pocztapolska")]
    [InlineData("InPost Paczkomat 24/7", "inpostpaczkomat247")]
    [InlineData("С.Д.Э.К.", "сдэк")]
    [InlineData("--", "")]
    public void Letters_and_digits_is_the_folded_text_without_separators(string text, string expected) =>
        Assert.Equal(expected, TextFolding.LettersAndDigits(text));
}
