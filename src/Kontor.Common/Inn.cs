using System.Diagnostics.CodeAnalysis;

namespace Kontor.Common;

/// <summary>
/// Russian taxpayer number (ИНН): 10 digits with one check digit for organisations,
/// 12 digits with two check digits for individuals and sole traders.
/// </summary>
public readonly record struct Inn
{
    private static ReadOnlySpan<int> Weights10 => [2, 4, 10, 3, 5, 9, 4, 6, 8];

    private static ReadOnlySpan<int> Weights12First => [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    private static ReadOnlySpan<int> Weights12Second => [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

    private Inn(string value) => Value = value;

    /// <summary>10 or 12 digits, without separators.</summary>
    public string Value { get; }

    public bool IsLegalEntity => Value?.Length == 10;

    public static bool TryParse(string? input, out Inn value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var digits);
        value = error is null ? new Inn(digits) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a valid INN.</exception>
    public static Inn Parse(string? input, string field = "inn") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    public override string ToString() => Value ?? string.Empty;

    private static string? Normalise(string? input, out string digits)
    {
        digits = string.Empty;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "INN is required";
        }

        if (!TaxIdText.IsAsciiDigits(compact))
        {
            return "INN may contain only digits";
        }

        if (compact.Length is not (10 or 12))
        {
            return "INN must have 10 digits (organisation) or 12 digits (individual)";
        }

        var valid = compact.Length == 10
            ? HasValidCheckDigit(compact, Weights10)
            : HasValidCheckDigit(compact, Weights12First) && HasValidCheckDigit(compact, Weights12Second);
        if (!valid)
        {
            return "INN checksum is invalid";
        }

        digits = compact;
        return null;
    }

    // The check digit follows the weighted digits: weighted sum mod 11, then mod 10.
    private static bool HasValidCheckDigit(string digits, ReadOnlySpan<int> weights) =>
        TaxIdText.WeightedSum(digits, weights) % 11 % 10 == TaxIdText.Digit(digits, weights.Length);
}
