namespace Kontor.Common;

/// <summary>Normalisation and checksum helpers shared by the identifier types.</summary>
internal static class TaxIdText
{
    /// <summary>Removes whitespace and the separators people type into identifiers, uppercases ASCII.</summary>
    public static string Compact(string? input)
    {
        if (input is null)
        {
            return string.Empty;
        }

        var buffer = new char[input.Length];
        var length = 0;
        foreach (var c in input)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '.')
            {
                continue;
            }

            buffer[length++] = char.IsAsciiLetterLower(c) ? char.ToUpperInvariant(c) : c;
        }

        return new string(buffer, 0, length);
    }

    // char.IsDigit accepts any Unicode decimal digit (e.g. Arabic-Indic), which would slip
    // through validation and break the arithmetic below.
    public static bool IsAsciiDigits(string value) => value.All(char.IsAsciiDigit);

    public static int Digit(string value, int index) => value[index] - '0';

    public static int WeightedSum(string digits, ReadOnlySpan<int> weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += Digit(digits, i) * weights[i];
        }

        return sum;
    }
}
