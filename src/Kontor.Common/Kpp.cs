using System.Diagnostics.CodeAnalysis;

namespace Kontor.Common;

/// <summary>
/// Russian tax registration reason code (КПП): 4-digit tax office code, 2-character reason
/// (digits or Latin capitals since 2019), 3-digit serial.
/// </summary>
public readonly record struct Kpp
{
    private Kpp(string value) => Value = value;

    /// <summary>Nine characters, uppercase, without separators.</summary>
    public string Value { get; }

    public static bool TryParse(string? input, out Kpp value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var code);
        value = error is null ? new Kpp(code) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a valid KPP.</exception>
    public static Kpp Parse(string? input, string field = "kpp") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    public override string ToString() => Value ?? string.Empty;

    private static string? Normalise(string? input, out string code)
    {
        code = string.Empty;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "KPP is required";
        }

        if (compact.Length != 9)
        {
            return "KPP must have 9 characters";
        }

        var wellFormed = TaxIdText.IsAsciiDigits(compact[..4])
            && compact[4..6].All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c))
            && TaxIdText.IsAsciiDigits(compact[6..]);
        if (!wellFormed)
        {
            return "KPP must be 4 digits, then 2 digits or Latin letters, then 3 digits";
        }

        code = compact;
        return null;
    }
}
