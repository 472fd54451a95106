using System.Diagnostics.CodeAnalysis;

namespace Kontor.Common;

/// <summary>Polish personal identification number (PESEL): YYMMDD birth date, serial, sex digit, check digit.</summary>
public readonly record struct Pesel
{
    private static ReadOnlySpan<int> Weights => [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

    private Pesel(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    /// <summary>Eleven digits, without separators.</summary>
    public string Value { get; }

    public DateOnly BirthDate { get; }

    /// <summary>The tenth digit is even for women and odd for men.</summary>
    public bool IsFemale => Value is not null && TaxIdText.Digit(Value, 9) % 2 == 0;

    public static bool TryParse(string? input, out Pesel value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var digits, out var birthDate);
        value = error is null ? new Pesel(digits, birthDate) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a valid PESEL.</exception>
    public static Pesel Parse(string? input, string field = "pesel") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    public override string ToString() => Value ?? string.Empty;

    private static string? Normalise(string? input, out string digits, out DateOnly birthDate)
    {
        digits = string.Empty;
        birthDate = default;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "PESEL is required";
        }

        if (!TaxIdText.IsAsciiDigits(compact))
        {
            return "PESEL may contain only digits";
        }

        if (compact.Length != 11)
        {
            return "PESEL must have 11 digits";
        }

        var check = (10 - TaxIdText.WeightedSum(compact, Weights) % 10) % 10;
        if (check != TaxIdText.Digit(compact, 10))
        {
            return "PESEL checksum is invalid";
        }

        if (!TryDecodeBirthDate(compact, out birthDate))
        {
            return "PESEL encodes a nonexistent birth date";
        }

        digits = compact;
        return null;
    }

    // The century is carried in the month: +80 for 1800s, +0 for 1900s, +20, +40, +60 for 2000–2200s.
    private static bool TryDecodeBirthDate(string digits, out DateOnly birthDate)
    {
        birthDate = default;
        var year = TaxIdText.Digit(digits, 0) * 10 + TaxIdText.Digit(digits, 1);
        var encodedMonth = TaxIdText.Digit(digits, 2) * 10 + TaxIdText.Digit(digits, 3);
        var day = TaxIdText.Digit(digits, 4) * 10 + TaxIdText.Digit(digits, 5);

        var (century, month) = encodedMonth switch
        {
            >= 81 and <= 92 => (1800, encodedMonth - 80),
            >= 1 and <= 12 => (1900, encodedMonth),
            >= 21 and <= 32 => (2000, encodedMonth - 20),
            >= 41 and <= 52 => (2100, encodedMonth - 40),
            >= 61 and <= 72 => (2200, encodedMonth - 60),
            _ => (0, 0),
        };

        if (month == 0 || day < 1 || day > DateTime.DaysInMonth(century + year, month))
        {
            return false;
        }

        birthDate = new DateOnly(century + year, month, day);
        return true;
    }
}
