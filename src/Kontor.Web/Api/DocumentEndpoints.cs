using Kontor.Documents;
using Kontor.Security;

namespace Kontor.Web.Api;

/// <summary>Printable documents: an invoice as a PDF in the language asked for (independent of the UI language).</summary>
public static class DocumentEndpoints
{
    public static void MapDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/invoices/{id:guid}/pdf", async (Guid id, string? language, InvoicePdfService service, CancellationToken ct) =>
            {
                var document = await service.RenderAsync(id, DocumentLanguages.Parse(language), ct);
                return TypedResults.File(document.Content, document.ContentType, document.FileName);
            })
            .RequireAuthorization(Policies.Sell)
            .WithTags("Invoices")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("The invoice as a PDF (A4) in Polish, English or Russian: language=pl|en|ru, default pl. A draft is watermarked as such.");
    }
}
