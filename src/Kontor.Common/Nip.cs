using System.Diagnostics.CodeAnalysis;

namespace Kontor.Common;

/// <summary>Polish tax identification number (NIP): 10 digits, the last one a mod-11 check digit.</summary>
public readonly record struct Nip
{
    private static ReadOnlySpan<int> Weights => [6, 5, 7, 2, 3, 4, 5, 6, 7];

    private Nip(string value) => Value = value;

    /// <summary>Ten digits, without prefix or separators.</summary>
    public string Value { get; }

    public static bool TryParse(string? input, out Nip value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var digits);
        value = error is null ? new Nip(digits) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a valid NIP.</exception>
    public static Nip Parse(string? input, string field = "nip") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    /// <summary>Checks ten ASCII digits; shared with <see cref="EuVatNumber"/> for the PL prefix.</summary>
    internal static bool HasValidChecksum(string digits)
    {
        // A remainder of 10 matches no digit: such numbers are never issued.
        return TaxIdText.WeightedSum(digits, Weights) % 11 == TaxIdText.Digit(digits, 9);
    }

    public override string ToString() => Value ?? string.Empty;

    /// <returns>The error message, or null when <paramref name="digits"/> holds a valid NIP.</returns>
    private static string? Normalise(string? input, out string digits)
    {
        digits = string.Empty;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "NIP is required";
        }

        if (compact.StartsWith("PL", StringComparison.Ordinal))
        {
            compact = compact[2..];
        }

        if (!TaxIdText.IsAsciiDigits(compact))
        {
            return "NIP may contain only digits (optionally prefixed with PL)";
        }

        if (compact.Length != 10)
        {
            return "NIP must have 10 digits";
        }

        if (!HasValidChecksum(compact))
        {
            return "NIP checksum is invalid";
        }

        digits = compact;
        return null;
    }
}
