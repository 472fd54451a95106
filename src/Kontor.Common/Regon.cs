using System.Diagnostics.CodeAnalysis;

namespace Kontor.Common;

/// <summary>
/// Polish statistical business number (REGON): 9 digits for an entity, 14 digits for a local unit,
/// whose first 9 digits are the parent entity's REGON.
/// </summary>
public readonly record struct Regon
{
    private static ReadOnlySpan<int> Weights9 => [8, 9, 2, 3, 4, 5, 6, 7];

    private static ReadOnlySpan<int> Weights14 => [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

    private Regon(string value) => Value = value;

    /// <summary>9 or 14 digits, without separators.</summary>
    public string Value { get; }

    public static bool TryParse(string? input, out Regon value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var digits);
        value = error is null ? new Regon(digits) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a valid REGON.</exception>
    public static Regon Parse(string? input, string field = "regon") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    public override string ToString() => Value ?? string.Empty;

    private static string? Normalise(string? input, out string digits)
    {
        digits = string.Empty;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "REGON is required";
        }

        if (!TaxIdText.IsAsciiDigits(compact))
        {
            return "REGON may contain only digits";
        }

        if (compact.Length is not (9 or 14))
        {
            return "REGON must have 9 or 14 digits";
        }

        if (!HasValidCheckDigit(compact, Weights9))
        {
            return compact.Length == 9
                ? "REGON checksum is invalid"
                : "REGON-14 must start with a valid 9-digit REGON";
        }

        if (compact.Length == 14 && !HasValidCheckDigit(compact, Weights14))
        {
            return "REGON checksum is invalid";
        }

        digits = compact;
        return null;
    }

    // Both variants: weighted sum mod 11, where a remainder of 10 gives check digit 0.
    private static bool HasValidCheckDigit(string digits, ReadOnlySpan<int> weights)
    {
        var check = TaxIdText.WeightedSum(digits, weights) % 11 % 10;
        return check == TaxIdText.Digit(digits, weights.Length);
    }
}
