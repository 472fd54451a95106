using System.Globalization;
using Kontor.Common;

namespace Kontor.Documents;

/// <summary>The language a document is printed in: chosen per download, independent of the UI language.</summary>
public enum DocumentLanguage { Pl, En, Ru }

public static class DocumentLanguages
{
    public const DocumentLanguage Default = DocumentLanguage.Pl;

    /// <summary>"pl", "en" or "ru" (any case); empty means <see cref="Default"/>; anything else is a validation error on <paramref name="field"/>.</summary>
    public static DocumentLanguage Parse(string? code, string field = "language") =>
        code?.Trim().ToLowerInvariant() switch
        {
            null or "" => Default,
            "pl" => DocumentLanguage.Pl,
            "en" => DocumentLanguage.En,
            "ru" => DocumentLanguage.Ru,
            _ => throw new ValidationException(field, $"'{code}' is not a document language; use one of: pl, en, ru."),
        };

    /// <summary>Like <see cref="Parse"/>, but empty means "not asked for" (null), so a default can be chosen further on.</summary>
    public static DocumentLanguage? ParseOptional(string? code, string field = "language") =>
        string.IsNullOrWhiteSpace(code) ? null : Parse(code, field);

    /// <summary>
    /// The language a document is printed in: the one asked for in the request, else the buyer's own
    /// (set on the customer), else the company's default from settings.
    /// </summary>
    public static DocumentLanguage Choose(DocumentLanguage? requested, DocumentLanguage? party, DocumentLanguage company) =>
        requested ?? party ?? company;

    public static string Code(this DocumentLanguage language) => language.ToString().ToLowerInvariant();

    /// <summary>
    /// Number format of the document language: pl and ru group thousands with a space and use a decimal
    /// comma (1 234,56), en uses 1,234.56. A plain space rather than the culture's no-break space, so the
    /// text a reader copies out of the PDF is what a person types.
    /// </summary>
    public static NumberFormatInfo NumberFormat(this DocumentLanguage language) => language switch
    {
        DocumentLanguage.En => EnglishNumbers,
        _ => SpaceCommaNumbers,
    };

    private static readonly NumberFormatInfo SpaceCommaNumbers = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberGroupSeparator = " ", NumberDecimalSeparator = ",", NegativeSign = "-",
    });

    private static readonly NumberFormatInfo EnglishNumbers = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberGroupSeparator = ",", NumberDecimalSeparator = ".", NegativeSign = "-",
    });
}
