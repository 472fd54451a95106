using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Documents;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Kontor.Company;

/// <summary>
/// What the company prints on one document type besides the document itself: a footer line, the notes a new
/// draft starts with, and the accent colour of titles and rules. The <see cref="Fallback"/> row applies to
/// every type that leaves a field empty. One row per document type; a type without a row uses the fallback.
/// </summary>
public sealed class DocumentTemplate
{
    /// <summary>The generic template: used for every field a document type's own template leaves empty.</summary>
    public const string Fallback = "default";
    public const int MaxFooterLength = 300;
    public const int MaxNotesLength = 2000;

    /// <summary>The document types with a template, fallback first.</summary>
    public static readonly IReadOnlyList<string> DocumentTypes =
        [Fallback, NumberingSeries.InvoiceDocumentType, NumberingSeries.CorrectionDocumentType, Offers.Offer.DocumentType, Orders.Order.DocumentType];

    public string DocumentType { get; init; } = Fallback;
    public string? FooterText { get; set; }
    public string? DefaultNotes { get; set; }
    /// <summary>"#RRGGBB"; empty prints in Kontor's blue.</summary>
    public string? AccentColor { get; set; }
}

/// <summary>The company logo printed top-left on every PDF. One row; absent when none was uploaded.</summary>
public sealed class CompanyLogo
{
    public const int SingletonId = 1;
    /// <summary>512 KB: a logo is a few KB to a few hundred; every PDF carries it.</summary>
    public const int MaxBytes = 512 * 1024;
    public const int MaxPixels = 4000;

    public int Id { get; init; } = SingletonId;
    public byte[] Content { get; set; } = [];
    /// <summary>image/png or image/jpeg, as decoded (not as the uploader claimed).</summary>
    public string ContentType { get; set; } = "image/png";
    public int Width { get; set; }
    public int Height { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <param name="DocumentType">One of <see cref="DocumentTemplate.DocumentTypes"/>.</param>
public sealed record DocumentTemplateView(string DocumentType, string? FooterText, string? DefaultNotes, string? AccentColor);

public sealed record SaveDocumentTemplate(string? FooterText, string? DefaultNotes, string? AccentColor);

public sealed record LogoInfo(string ContentType, int Width, int Height, int Bytes, DateTimeOffset UploadedAt);

/// <summary>
/// Document templates and the logo: edited in settings (policy ManageSettings, the caller's job), read by the PDF
/// services (<see cref="BrandingForAsync"/>) and by the pages that start a new draft (<see cref="DefaultNotesAsync"/>).
/// Read straight from the database (not <see cref="ReferenceData"/>): they are read once per PDF or new draft.
/// </summary>
public sealed partial class DocumentTemplateService(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<DocumentTemplateView>> ListAsync(CancellationToken ct = default)
    {
        var rows = await db.DocumentTemplates.AsNoTracking().ToDictionaryAsync(t => t.DocumentType, ct);
        return DocumentTemplate.DocumentTypes
            .Select(type => rows.TryGetValue(type, out var t)
                ? new DocumentTemplateView(type, t.FooterText, t.DefaultNotes, t.AccentColor)
                : new DocumentTemplateView(type, null, null, null))
            .ToList();
    }

    public async Task<DocumentTemplateView> SaveAsync(string? documentType, SaveDocumentTemplate c, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var type = (documentType ?? "").Trim().ToLowerInvariant();
        errors.Require(DocumentTemplate.DocumentTypes.Contains(type), "documentType",
            $"documentType must be one of: {string.Join(", ", DocumentTemplate.DocumentTypes)}.");
        var footer = errors.Text(c?.FooterText, "footerText", DocumentTemplate.MaxFooterLength, required: false);
        var notes = errors.Text(c?.DefaultNotes, "defaultNotes", DocumentTemplate.MaxNotesLength, required: false);
        var accent = string.IsNullOrWhiteSpace(c?.AccentColor) ? null : c!.AccentColor!.Trim().ToUpperInvariant();
        errors.Require(accent is null || HexColor().IsMatch(accent), "accentColor", "accentColor is a colour written #RRGGBB, e.g. #1F4E79.");
        errors.ThrowIfAny();

        await unitOfWork.ExecuteAsync(async token =>
        {
            var row = await db.DocumentTemplates.FirstOrDefaultAsync(t => t.DocumentType == type, token);
            var before = row is null ? null : new { row.FooterText, row.DefaultNotes, row.AccentColor };
            if (row is null) db.DocumentTemplates.Add(row = new DocumentTemplate { DocumentType = type });
            row.FooterText = footer;
            row.DefaultNotes = notes;
            row.AccentColor = accent;
            audit.Record("company.document-template-changed", nameof(DocumentTemplate), type, new { before, after = new { footer, notes, accent } });
            return 0;
        }, ct);
        return new DocumentTemplateView(type, footer, notes, accent);
    }

    /// <summary>The template of <paramref name="documentType"/> with every empty field taken from the fallback.</summary>
    public async Task<DocumentTemplateView> ForDocumentAsync(string documentType, CancellationToken ct = default)
    {
        var rows = await db.DocumentTemplates.AsNoTracking()
            .Where(t => t.DocumentType == documentType || t.DocumentType == DocumentTemplate.Fallback).ToListAsync(ct);
        var own = rows.FirstOrDefault(t => t.DocumentType == documentType);
        var fallback = rows.FirstOrDefault(t => t.DocumentType == DocumentTemplate.Fallback);
        return new DocumentTemplateView(documentType,
            own?.FooterText ?? fallback?.FooterText,
            own?.DefaultNotes ?? fallback?.DefaultNotes,
            own?.AccentColor ?? fallback?.AccentColor);
    }

    /// <summary>The notes a new draft of <paramref name="documentType"/> starts with (the page fills them in; the person may change them).</summary>
    public async Task<string?> DefaultNotesAsync(string documentType, CancellationToken ct = default) =>
        (await ForDocumentAsync(documentType, ct)).DefaultNotes;

    /// <summary>Logo, footer and accent colour for a PDF of <paramref name="documentType"/>.</summary>
    public async Task<DocumentBranding> BrandingForAsync(string documentType, CancellationToken ct = default)
    {
        var template = await ForDocumentAsync(documentType, ct);
        var logo = await db.CompanyLogos.AsNoTracking().Where(l => l.Id == CompanyLogo.SingletonId).Select(l => l.Content).FirstOrDefaultAsync(ct);
        return new DocumentBranding(logo, template.FooterText, template.AccentColor);
    }

    public async Task<LogoInfo?> LogoInfoAsync(CancellationToken ct = default) =>
        await db.CompanyLogos.AsNoTracking().Where(l => l.Id == CompanyLogo.SingletonId)
            .Select(l => new LogoInfo(l.ContentType, l.Width, l.Height, l.Content.Length, l.UploadedAt)).FirstOrDefaultAsync(ct);

    public async Task<CompanyLogo?> GetLogoAsync(CancellationToken ct = default) =>
        await db.CompanyLogos.AsNoTracking().FirstOrDefaultAsync(l => l.Id == CompanyLogo.SingletonId, ct);

    /// <summary>
    /// Replaces the logo. The bytes must decode as a PNG or JPEG image (checked by decoding them, whatever the
    /// file is called), at most <see cref="CompanyLogo.MaxBytes"/> and <see cref="CompanyLogo.MaxPixels"/> a side.
    /// </summary>
    public async Task<LogoInfo> UploadLogoAsync(byte[]? content, CancellationToken ct = default)
    {
        const string field = "logo";
        if (content is null || content.Length == 0) throw new ValidationException(field, "logo is required: a PNG or JPEG file.");
        if (content.Length > CompanyLogo.MaxBytes)
            throw new ValidationException(field, $"logo is {content.Length / 1024} KB; at most {CompanyLogo.MaxBytes / 1024} KB is accepted.");
        var (contentType, width, height) = Decode(content)
            ?? throw new ValidationException(field, "logo is not a PNG or JPEG image that can be read.");

        var uploadedAt = clock.GetUtcNow();
        await unitOfWork.ExecuteAsync(async token =>
        {
            var logo = await db.CompanyLogos.FirstOrDefaultAsync(l => l.Id == CompanyLogo.SingletonId, token);
            if (logo is null) db.CompanyLogos.Add(logo = new CompanyLogo());
            logo.Content = content;
            logo.ContentType = contentType;
            logo.Width = width;
            logo.Height = height;
            logo.UploadedAt = uploadedAt;
            audit.Record("company.logo-uploaded", nameof(CompanyLogo), logo.Id, new { contentType, width, height, bytes = content.Length });
            return 0;
        }, ct);
        return new LogoInfo(contentType, width, height, content.Length, uploadedAt);
    }

    /// <summary>Removes the logo; documents print without one from then on. Removing none is not an error.</summary>
    public async Task RemoveLogoAsync(CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var logo = await db.CompanyLogos.FirstOrDefaultAsync(l => l.Id == CompanyLogo.SingletonId, token);
            if (logo is null) return 0;
            db.CompanyLogos.Remove(logo);
            audit.Record("company.logo-removed", nameof(CompanyLogo), logo.Id, new { logo.ContentType, logo.Width, logo.Height });
            return 0;
        }, ct);

    /// <summary>
    /// Reads the header for the format and size, then decodes every pixel (only when the size is acceptable), so a
    /// truncated or corrupt file is refused here rather than on every PDF.
    /// </summary>
    private static (string ContentType, int Width, int Height)? Decode(byte[] content)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        var type = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Png => "image/png",
            SKEncodedImageFormat.Jpeg => "image/jpeg",
            _ => null,
        };
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (type is null || width <= 0 || height <= 0) return null;
        if (width > CompanyLogo.MaxPixels || height > CompanyLogo.MaxPixels)
            throw new ValidationException("logo", $"logo is {width}×{height} pixels; at most {CompanyLogo.MaxPixels} a side is accepted.");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        return codec.GetPixels(info, bitmap.GetPixels()) == SKCodecResult.Success ? (type, width, height) : null;
    }

    [GeneratedRegex("^#[0-9A-F]{6}$")]
    private static partial Regex HexColor();
}
