using System.Globalization;
using System.Text;

namespace Kontor.Common;

/// <summary>
/// How Kontor compares names typed by people in Polish, Russian and English: lower case, diacritics folded
/// (ó→o, ł→l, ё→е, й→и), so "Łódź" and "lodz", "Почта России" and "почта россии" compare equal.
/// </summary>
public static class TextFolding
{
    public static string Fold(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            folded.Append(c switch { 'ł' => 'l', 'ё' => 'е', 'й' => 'и', 'ß' => 's', _ => c });
        }
        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The folded letters and digits alone: "Poczta-Polska", "POCZTA POLSKA" and "poczta polska" share one key.</summary>
    public static string LettersAndDigits(string text)
    {
        var key = new StringBuilder(text.Length);
        foreach (var c in Fold(text))
            if (char.IsLetterOrDigit(c)) key.Append(c);
        return key.ToString();
    }
}
