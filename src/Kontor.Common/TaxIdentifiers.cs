namespace Kontor.Common;

public static class TaxIdentifiers
{
    public const int OtherMaxLength = 32;

    /// <summary>Validates <paramref name="value"/> as <paramref name="kind"/> and returns its stored form.</summary>
    /// <returns>The normalised identifier, or null for <see cref="TaxIdKind.None"/>.</returns>
    /// <exception cref="ValidationException">Reported under <paramref name="field"/>.</exception>
    public static string? Normalize(TaxIdKind kind, string? value, string field) => kind switch
    {
        TaxIdKind.None => string.IsNullOrWhiteSpace(value)
            ? null
            : throw new ValidationException(field, "A tax identifier was given but its kind is None"),
        TaxIdKind.Nip => Nip.Parse(value, field).Value,
        TaxIdKind.EuVat => EuVatNumber.Parse(value, field).Value,
        TaxIdKind.Pesel => Pesel.Parse(value, field).Value,
        TaxIdKind.Regon => Regon.Parse(value, field).Value,
        TaxIdKind.Inn => Inn.Parse(value, field).Value,
        TaxIdKind.Other => NormalizeOther(value, field),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown tax identifier kind"),
    };

    private static string NormalizeOther(string? value, string field)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        return trimmed.Length switch
        {
            0 => throw new ValidationException(field, "Tax identifier is required"),
            > OtherMaxLength => throw new ValidationException(
                field, $"Tax identifier must be at most {OtherMaxLength} characters"),
            _ => trimmed,
        };
    }
}
