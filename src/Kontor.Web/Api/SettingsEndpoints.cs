using System.ComponentModel;
using Kontor.Company;
using Kontor.Documents;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record BankAccountDto(Guid Id, string Name, string Iban, string Currency, bool IsDefault, string? StatementAccountId)
{
    public static BankAccountDto From(CompanyBankAccount a) => new(a.Id, a.Name, a.Iban, a.Currency, a.IsDefault, a.StatementAccountId);
}

[Description("The seller's data and defaults. version must be sent back with a change; baseCurrencyLocked is true once a document has been issued.")]
public sealed record CompanySettingsDto(string Name, string TaxId, string? Street, string? PostalCode, string? City, string CountryCode,
    string BaseCurrency, bool BaseCurrencyLocked, int DefaultPaymentTermDays, string DefaultVatRateCode, string DocumentLanguage,
    Guid Version, IReadOnlyList<BankAccountDto> BankAccounts, int CreditOverdueDaysThreshold)
{
    public static CompanySettingsDto From(CompanySettings s) => new(s.Name, s.TaxId, s.Street, s.PostalCode, s.City, s.CountryCode,
        s.BaseCurrency, s.BaseCurrencyLocked, s.DefaultPaymentTermDays, s.DefaultVatRateCode, s.DocumentLanguage.Code(), s.Version,
        s.BankAccounts.Select(BankAccountDto.From).ToList(), s.CreditOverdueDaysThreshold);
}

[Description("documentLanguage: pl|en|ru. creditOverdueDaysThreshold: days past due after which credit control blocks new documents (omitted = unchanged). version: as read from GET; a different current version answers 409.")]
public sealed record CompanySettingsRequest(string? Name, string? TaxId, string? Street, string? PostalCode, string? City, string? CountryCode,
    string? BaseCurrency, int? DefaultPaymentTermDays, string? DefaultVatRateCode, string? DocumentLanguage, Guid Version,
    int? CreditOverdueDaysThreshold = null)
{
    public UpdateCompanySettings ToCommand() => new(Name, TaxId, Street, PostalCode, City, CountryCode, BaseCurrency,
        DefaultPaymentTermDays, DefaultVatRateCode, DocumentLanguage, Version, CreditOverdueDaysThreshold);
}

[Description("statementAccountId (optional): how bank statements name the account when not by IBAN or NRB, e.g. the MT940 :25: value \"50880050/0194787400888\".")]
public sealed record BankAccountRequest(string? Name, string? Iban, string? Currency, bool IsDefault, string? StatementAccountId = null);

public sealed record NumberingSeriesDto(Guid Id, string DocumentType, string Name, string Pattern, NumberingReset Reset, bool IsDefault,
    long IssuedCount, string Example, Guid Version)
{
    public static NumberingSeriesDto From(NumberingSeriesView v) => new(v.Id, v.DocumentType, v.Name, v.Pattern, v.Reset, v.IsDefault, v.IssuedCount, v.Example, v.Version);
}

[Description("pattern: literal text and {yyyy} {yy} {MM} {n} {n:k}; reset: Monthly (needs {MM} and a year), Yearly (needs a year) or Never.")]
public sealed record CreateNumberingSeriesRequest(string? DocumentType, string? Name, string? Pattern, NumberingReset? Reset, bool IsDefault);

[Description("Omitted fields stay as they are. pattern and reset cannot change once the series has numbered a document (409).")]
public sealed record UpdateNumberingSeriesRequest(string? Name, bool? IsDefault, string? Pattern, NumberingReset? Reset, Guid Version);

public sealed record DocumentTemplateDto(string DocumentType, string? FooterText, string? DefaultNotes, string? AccentColor)
{
    public static DocumentTemplateDto From(DocumentTemplateView v) => new(v.DocumentType, v.FooterText, v.DefaultNotes, v.AccentColor);
}

[Description("footerText: one line printed at the foot of every page (≤ 300 characters); defaultNotes: the notes a new draft of this type starts with; accentColor: #RRGGBB. Empty fields fall back to the 'default' template.")]
public sealed record DocumentTemplateRequest(string? FooterText, string? DefaultNotes, string? AccentColor);

public sealed record LogoDto(string ContentType, int Width, int Height, int Bytes, DateTimeOffset UploadedAt)
{
    public static LogoDto From(LogoInfo l) => new(l.ContentType, l.Width, l.Height, l.Bytes, l.UploadedAt);
}

/// <summary>Company settings and numbering series: read by everyone who sells, changed by policy ManageSettings (Admin).</summary>
public static class SettingsEndpoints
{
    public static void MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/settings").WithTags("Settings").RequireAuthorization(Policies.Sell);

        settings.MapGet("/company", async (CompanySettingsService service, CancellationToken ct) =>
            TypedResults.Ok(CompanySettingsDto.From(await service.GetAsync(ct))))
            .WithSummary("The seller's data, defaults and bank accounts.");
        settings.MapPut("/company", async (CompanySettingsRequest request, CompanySettingsService service, CancellationToken ct) =>
            TypedResults.Ok(CompanySettingsDto.From(await service.UpdateAsync(request.ToCommand(), ct))))
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Replace the seller's data and defaults (not the bank accounts). Issued invoices keep the data they were issued with.");

        settings.MapGet("/company/bank-accounts", async (CompanySettingsService service, CancellationToken ct) =>
            TypedResults.Ok((await service.GetAsync(ct)).BankAccounts.Select(BankAccountDto.From).ToList()));
        settings.MapPost("/company/bank-accounts", async (BankAccountRequest request, CompanySettingsService service, CancellationToken ct) =>
            {
                var account = await service.AddBankAccountAsync(new AddBankAccount(request.Name, request.Iban, request.Currency, request.IsDefault, request.StatementAccountId), ct);
                return TypedResults.Created($"/api/settings/company/bank-accounts/{account.Id}", BankAccountDto.From(account));
            })
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Add a bank account; the first one of a currency becomes its default.");
        settings.MapDelete("/company/bank-accounts/{id:guid}", async (Guid id, CompanySettingsService service, CancellationToken ct) =>
            {
                await service.RemoveBankAccountAsync(id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Remove a bank account (409 for the default of a currency that has other accounts).");
        settings.MapPost("/company/bank-accounts/{id:guid}/default", async (Guid id, CompanySettingsService service, CancellationToken ct) =>
            TypedResults.Ok(BankAccountDto.From(await service.SetDefaultBankAccountAsync(id, ct))))
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Make the account the default of its currency: invoices in that currency print it.");

        settings.MapGet("/company/logo", async (DocumentTemplateService service, CancellationToken ct) =>
                await service.GetLogoAsync(ct) is { } logo
                    ? Results.File(logo.Content, logo.ContentType)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No logo has been uploaded."))
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .WithSummary("The company logo as uploaded (image/png or image/jpeg); 404 when there is none.");
        settings.MapPut("/company/logo", async (HttpRequest request, DocumentTemplateService service, CancellationToken ct) =>
                TypedResults.Ok(LogoDto.From(await service.UploadLogoAsync(await ReadUpToAsync(request.Body, CompanyLogo.MaxBytes + 1, ct), ct))))
            .RequireAuthorization(Policies.ManageSettings)
            .Accepts<byte[]>("image/png", "image/jpeg")
            .WithSummary("Replace the logo printed top-left on every PDF: the file itself as the body (Content-Type image/png or image/jpeg), at most 512 KB. A body that is not a PNG or JPEG image is 400 naming logo.");
        settings.MapDelete("/company/logo", async (DocumentTemplateService service, CancellationToken ct) =>
            {
                await service.RemoveLogoAsync(ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Remove the logo; PDFs print without one.");

        settings.MapGet("/document-templates", async (DocumentTemplateService service, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(ct)).Select(DocumentTemplateDto.From).ToList()))
            .WithSummary("Footer text, default notes and accent colour per document type (default, invoice, correction, offer, order).");
        settings.MapPut("/document-templates/{documentType}", async (string documentType, DocumentTemplateRequest request, DocumentTemplateService service, CancellationToken ct) =>
            TypedResults.Ok(DocumentTemplateDto.From(await service.SaveAsync(documentType, new SaveDocumentTemplate(request.FooterText, request.DefaultNotes, request.AccentColor), ct))))
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Replace one document type's template; 'default' applies to every type that leaves a field empty.");

        settings.MapGet("/numbering-series", async (string? documentType, NumberingSeriesService service, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(documentType, ct)).Select(NumberingSeriesDto.From).ToList()));
        settings.MapPost("/numbering-series", async (CreateNumberingSeriesRequest request, NumberingSeriesService service, CancellationToken ct) =>
            {
                var series = await service.CreateAsync(new CreateNumberingSeries(request.DocumentType, request.Name, request.Pattern, request.Reset, request.IsDefault), ct);
                return TypedResults.Created($"/api/settings/numbering-series/{series.Id}", NumberingSeriesDto.From(series));
            })
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Create a numbering series for a document type (invoice today).");
        settings.MapPut("/numbering-series/{id:guid}", async (Guid id, UpdateNumberingSeriesRequest request, NumberingSeriesService service, CancellationToken ct) =>
            TypedResults.Ok(NumberingSeriesDto.From(await service.UpdateAsync(id, new UpdateNumberingSeries(request.Name, request.IsDefault, request.Pattern, request.Reset, request.Version), ct))))
            .RequireAuthorization(Policies.ManageSettings)
            .WithSummary("Rename a series or make it the default of its document type.");
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes, so an oversized upload is refused (by the service) without reading it all.</summary>
    private static async Task<byte[]> ReadUpToAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), ct)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }
}
