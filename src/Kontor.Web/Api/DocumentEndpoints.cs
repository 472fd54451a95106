using Kontor.Documents;
using Kontor.Security;

namespace Kontor.Web.Api;

/// <summary>Printable documents: an invoice as a PDF in the language asked for (independent of the UI language).</summary>
public static class DocumentEndpoints
{
    public static void MapDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/invoices/{id:guid}/pdf", async (Guid id, string? language, InvoicePdfService service, Kontor.Company.CompanyProfileProvider company, CancellationToken ct) =>
            {
                // No language asked for: the company's document language (settings), not the UI's.
                var chosen = string.IsNullOrWhiteSpace(language) ? (await company.GetAsync(ct)).DocumentLanguage : DocumentLanguages.Parse(language);
                var document = await service.RenderAsync(id, chosen, ct);
                return TypedResults.File(document.Content, document.ContentType, document.FileName);
            })
            .RequireAuthorization(Policies.Sell)
            .WithTags("Invoices")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("The invoice as a PDF (A4) in Polish, English or Russian: language=pl|en|ru, default the company's document language (settings). A draft is watermarked as such.");
    }
}
