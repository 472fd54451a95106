namespace Kontor.Common.Tests;

public class TextLengthTests
{
    [Theory]
    [InlineData("", 3, "", "")]
    [InlineData("abc", 3, "abc", "abc")]
    [InlineData("abcd", 3, "abc", "ab…")]
    [InlineData("Reklamacja RK/1: towar uszkodzony", 10, "Reklamacja", "Reklamacj…")]
    public void A_text_fits_its_column_cut_or_shortened_with_an_ellipsis(string text, int max, string cut, string shortened)
    {
        Assert.Equal(cut, TextLength.Cut(text, max));
        Assert.Equal(shortened, TextLength.Shorten(text, max));
        Assert.True(TextLength.Shorten(text, max).Length <= max);
    }
}
