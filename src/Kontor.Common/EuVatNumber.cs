using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Kontor.Common;

/// <summary>
/// EU VAT identification number as used in VIES: member-state prefix (Greece is "EL",
/// Northern Ireland "XI") followed by the national number in that state's format.
/// Only the format is checked, plus the NIP checksum for PL.
/// </summary>
public readonly record struct EuVatNumber
{
    private static readonly FrozenDictionary<string, NationalFormat> Formats = new Dictionary<string, NationalFormat>
    {
        ["AT"] = new(@"U\d{8}", "U followed by 8 digits"),
        ["BE"] = new(@"[01]\d{9}", "10 digits starting with 0 or 1"),
        ["BG"] = new(@"\d{9,10}", "9 or 10 digits"),
        ["CY"] = new(@"\d{8}[A-Z]", "8 digits followed by a letter"),
        ["CZ"] = new(@"\d{8,10}", "8 to 10 digits"),
        ["DE"] = new(@"\d{9}", "9 digits"),
        ["DK"] = new(@"\d{8}", "8 digits"),
        ["EE"] = new(@"\d{9}", "9 digits"),
        ["EL"] = new(@"\d{9}", "9 digits"),
        ["ES"] = new(@"[A-Z0-9]\d{7}[A-Z0-9]", "9 characters: a letter or digit, 7 digits, a letter or digit"),
        ["FI"] = new(@"\d{8}", "8 digits"),
        ["FR"] = new(@"[A-Z0-9]{2}\d{9}", "2 letters or digits followed by 9 digits"),
        ["HR"] = new(@"\d{11}", "11 digits"),
        ["HU"] = new(@"\d{8}", "8 digits"),
        ["IE"] = new(@"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]", "7 digits and 1–2 letters (or the old 8-character format)"),
        ["IT"] = new(@"\d{11}", "11 digits"),
        ["LT"] = new(@"\d{9}|\d{12}", "9 or 12 digits"),
        ["LU"] = new(@"\d{8}", "8 digits"),
        ["LV"] = new(@"\d{11}", "11 digits"),
        ["MT"] = new(@"\d{8}", "8 digits"),
        ["NL"] = new(@"\d{9}B\d{2}", "9 digits, the letter B and 2 digits"),
        ["PL"] = new(@"\d{10}", "10 digits"),
        ["PT"] = new(@"\d{9}", "9 digits"),
        ["RO"] = new(@"[1-9]\d{1,9}", "2 to 10 digits, not starting with 0"),
        ["SE"] = new(@"\d{10}01", "12 digits ending in 01"),
        ["SI"] = new(@"\d{8}", "8 digits"),
        ["SK"] = new(@"\d{10}", "10 digits"),
        ["XI"] = new(@"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "9 or 12 digits, or GD/HA followed by 3 digits"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private EuVatNumber(string countryCode, string number)
    {
        CountryCode = countryCode;
        Number = number;
    }

    /// <summary>VIES prefix: ISO 3166 alpha-2 except "EL" for Greece and "XI" for Northern Ireland.</summary>
    public string CountryCode { get; }

    /// <summary>The national part, uppercase, without separators.</summary>
    public string Number { get; }

    /// <summary>Prefix and number, e.g. "PL5260250274".</summary>
    public string Value => CountryCode + Number;

    public static bool TryParse(string? input, out EuVatNumber value, [NotNullWhen(false)] out string? error)
    {
        error = Normalise(input, out var countryCode, out var number);
        value = error is null ? new EuVatNumber(countryCode, number) : default;
        return error is null;
    }

    /// <exception cref="ValidationException">The input is not a well-formed EU VAT number.</exception>
    public static EuVatNumber Parse(string? input, string field = "euVatNumber") =>
        TryParse(input, out var value, out var error) ? value : throw new ValidationException(field, error);

    public override string ToString() => Value;

    private static string? Normalise(string? input, out string countryCode, out string number)
    {
        countryCode = number = string.Empty;
        var compact = TaxIdText.Compact(input);
        if (compact.Length == 0)
        {
            return "VAT number is required";
        }

        if (compact.Length < 2 || !char.IsAsciiLetterUpper(compact[0]) || !char.IsAsciiLetterUpper(compact[1]))
        {
            return "VAT number must start with a two-letter country prefix, e.g. PL or DE";
        }

        var prefix = compact[..2];
        var national = compact[2..];
        if (prefix == "GR")
        {
            return "Greek VAT numbers use the prefix EL, not GR";
        }

        if (!Formats.TryGetValue(prefix, out var format))
        {
            return Messages.Format("'{0}' is not an EU VAT country prefix", prefix);
        }

        if (!format.Pattern.IsMatch(national))
        {
            return Messages.Format("VAT number for {0} must be {1}", prefix, Messages.Translate(format.Description));
        }

        if (prefix == "PL" && !Nip.HasValidChecksum(national))
        {
            return "VAT number for PL has an invalid NIP checksum";
        }

        countryCode = prefix;
        number = national;
        return null;
    }

    private sealed class NationalFormat(string pattern, string description)
    {
        // ECMAScript semantics keep \d to ASCII digits; .NET's default also matches other scripts.
        public Regex Pattern { get; } = new($"^(?:{pattern})$", RegexOptions.ECMAScript);

        public string Description { get; } = description;
    }
}
