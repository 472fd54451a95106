using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Kontor.Common;

/// <summary>International bank account number (ISO 13616), validated by length and MOD 97-10.</summary>
public readonly record struct Iban
{
    // Total IBAN length per country, from the SWIFT IBAN registry.
    private static readonly FrozenDictionary<string, int> Lengths = new Dictionary<string, int>
    {
        // SEPA
        ["AD"] = 24, ["AT"] = 20, ["BE"] = 16, ["BG"] = 22, ["CH"] = 21, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DK"] = 18, ["EE"] = 20, ["ES"] = 24, ["FI"] = 18, ["FR"] = 27, ["GB"] = 22,
        ["GI"] = 23, ["GR"] = 27, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IS"] = 26, ["IT"] = 27,
        ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MT"] = 31, ["NL"] = 18,
        ["NO"] = 15, ["PL"] = 28, ["PT"] = 25, ["RO"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24,
        ["SM"] = 27, ["VA"] = 22,
        // Other Europe
        ["AL"] = 28, ["BA"] = 20, ["FO"] = 18, ["GL"] = 18, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19,
        ["RS"] = 22, ["TR"] = 26, ["XK"] = 20,
        // CIS and Caucasus
        ["AZ"] = 28, ["BY"] = 28, ["GE"] = 22, ["KZ"] = 20, ["RU"] = 33, ["UA"] = 29,
        // Middle East, Africa, Americas
        ["AE"] = 23, ["BH"] = 22, ["BR"] = 29, ["CR"] = 22, ["DO"] = 28, ["EG"] = 29, ["GT"] = 28,
        ["IL"] = 23, ["IQ"] = 23, ["JO"] = 30, ["KW"] = 30, ["LB"] = 28, ["MR"] = 27, ["MU"] = 30,
        ["PK"] = 24, ["PS"] = 29, ["QA"] = 29, ["SA"] = 24, ["TN"] = 24, ["VG"] = 24,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private Iban(string value) => Value = value;

    /// <summary>Electronic format: uppercase, no spaces.</summary>
    public string Value { get; }

    public string CountryCode => Value?[..2] ?? string.Empty;

    /// <summary>Print format: groups of four characters separated by spaces.</summary>
    public string Formatted => Value is null ? string.Empty : string.Join(' ', Value.Chunk(4).Select(g => new string(g)));

    public static bool TryParse(string? input, out Iban value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var iban);
        value = error is null ? new Iban(iban) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a valid IBAN.</exception>
    public static Iban Parse(string? input, string field = "iban") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    public override string ToString() => Value ?? string.Empty;

    private static string? Normalise(string? input, out string iban)
    {
        iban = string.Empty;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "IBAN is required";
        }

        if (!compact.All(char.IsAsciiLetterOrDigit))
        {
            return "IBAN may contain only letters and digits";
        }

        if (compact.Length < 4 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1]))
        {
            return "IBAN must start with a two-letter country code";
        }

        var country = compact[..2];
        if (!Lengths.TryGetValue(country, out var length))
        {
            return Messages.Format("'{0}' is not a country that uses IBAN", country);
        }

        if (compact.Length != length)
        {
            return Messages.Format("IBAN for {0} must have {1} characters", country, length);
        }

        // Check digits 00, 01 and 99 are never issued, but 99 ≡ 02 and 00 ≡ 97 (mod 97) would pass the sum.
        if (!char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]) || compact[2..4] is "00" or "01" or "99")
        {
            return "IBAN check digits are invalid";
        }

        if (Mod97(compact) != 1)
        {
            return "IBAN checksum is invalid";
        }

        iban = compact;
        return null;
    }

    // ISO 7064 MOD 97-10 over BBAN + country + check digits, letters as 10..35, computed digit by digit.
    private static int Mod97(string iban)
    {
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            remainder = char.IsAsciiDigit(c)
                ? (remainder * 10 + (c - '0')) % 97
                : (remainder * 100 + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }
}
