using Kontor.Documents;
using Kontor.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontor.Web.Api;

/// <summary>
/// Printable documents: invoices, offers and orders as PDFs in the language asked for (independent of the UI
/// language). No language asked for: the buyer's document language, else the company's (the services decide).
/// </summary>
public static class DocumentEndpoints
{
    private const string LanguageHelp = "language=pl|en|ru; without it the customer's document language, else the company's (settings).";

    public static void MapDocumentApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/invoices/{id:guid}/pdf", async (Guid id, string? language, InvoicePdfService service, CancellationToken ct) =>
                Pdf(await service.RenderAsync(id, DocumentLanguages.ParseOptional(language), ct)))
            .RequireAuthorization(Policies.Sell)
            .WithTags("Invoices")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("The invoice as a PDF (A4) in Polish, English or Russian. A draft is watermarked as such. " + LanguageHelp);

        app.MapGet("/api/offers/{id:guid}/pdf", async (Guid id, string? language, SalesDocumentPdfService service, CancellationToken ct) =>
                Pdf(await service.RenderOfferAsync(id, DocumentLanguages.ParseOptional(language), ct)))
            .RequireAuthorization(Policies.Sell)
            .WithTags("Offers")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("The offer as a PDF (A4): lines, totals per VAT rate, validity date. A draft is watermarked. " + LanguageHelp);

        app.MapGet("/api/orders/{id:guid}/pdf", async (Guid id, string? language, SalesDocumentPdfService service, CancellationToken ct) =>
                Pdf(await service.RenderOrderAsync(id, DocumentLanguages.ParseOptional(language), ct)))
            .RequireAuthorization(Policies.Sell)
            .WithTags("Orders")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("The order as a PDF (A4): lines, totals per VAT rate, order date and status. " + LanguageHelp);
    }

    private static FileContentHttpResult Pdf(RenderedDocument document) =>
        TypedResults.File(document.Content, document.ContentType, document.FileName);
}
