using System.ComponentModel;
using Kontor.Offers;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

/// <param name="ValidUntil">Last day the offer holds (yyyy-MM-dd); default today + 14 days.</param>
public sealed record OfferRequest(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    DateOnly? ValidUntil,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Guid? CampaignId = null)
{
    public SaveOfferDraft ToCommand() => new(PartyId, Currency, PricingMode, ValidUntil, Notes, Lines, CampaignId);
}

[Description("A document at the other end of a link: direction 'from' = where this document came from, 'to' = what was made from it.")]
public sealed record DocumentLinkDto(string Direction, string Type, Guid Id, string? Number, DateTimeOffset CreatedAt)
{
    public static DocumentLinkDto From(LinkedDocument l) => new(l.Direction == LinkDirection.From ? "from" : "to", l.Type, l.Id, l.Number, l.CreatedAt);
}

[Description("An offer. status is computed on today's date: a sent or accepted offer not converted by validUntil is 'Expired'.")]
public sealed record OfferDto(Guid Id, string? Number, OfferState Status, Guid PartyId, string Currency, PricingMode PricingMode,
    DateOnly ValidUntil, DateOnly? SentOn, string? Notes, MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross,
    IReadOnlyList<InvoiceLineDto> Lines, IReadOnlyList<VatRateTotalDto> VatTotals, IReadOnlyList<DocumentLinkDto> Links,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? AnsweredAt, Guid? CampaignId = null)
{
    public static OfferDto From(OfferView view)
    {
        var o = view.Offer;
        return new(o.Id, o.Number, view.State, o.PartyId, o.Currency, o.PricingMode, o.ValidUntil, o.SentOn, o.Notes,
            MoneyDto.From(o.TotalNet, o.Currency), MoneyDto.From(o.TotalVat, o.Currency), MoneyDto.From(o.TotalGross, o.Currency),
            o.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLineDto(l.Position, l.ProductId, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent,
                l.VatRateCode, l.VatPercent, MoneyDto.From(l.Net, o.Currency), MoneyDto.From(l.Vat, o.Currency), MoneyDto.From(l.Gross, o.Currency), LinePricingDto.From(l))).ToList(),
            view.Totals.ByRate.OrderByDescending(v => v.VatPercent).ThenBy(v => v.VatRateCode).Select(v => new VatRateTotalDto(v.VatRateCode, v.VatPercent,
                MoneyDto.From(v.Net, o.Currency), MoneyDto.From(v.Vat, o.Currency), MoneyDto.From(v.Gross, o.Currency))).ToList(),
            view.Links.Select(DocumentLinkDto.From).ToList(),
            o.CreatedAt, o.SentAt, o.AnsweredAt, o.CampaignId);
    }
}

public sealed record OfferListItemDto(Guid Id, string? Number, OfferState Status, Guid PartyId, string PartyName, DateOnly ValidUntil,
    MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross, DateTimeOffset CreatedAt)
{
    public static OfferListItemDto From(OfferListItem o) => new(o.Id, o.Number, o.State, o.PartyId, o.PartyName, o.ValidUntil,
        MoneyDto.From(o.TotalNet, o.Currency), MoneyDto.From(o.TotalVat, o.Currency), MoneyDto.From(o.TotalGross, o.Currency), o.CreatedAt);
}

public sealed record ConversionResultDto(Guid InvoiceId, string Status);

public sealed record OrderConversionResultDto(Guid OrderId, string Number);

/// <summary>Offers (quotes) and the links between documents.</summary>
public static class OfferEndpoints
{
    public static void MapOfferApi(this IEndpointRouteBuilder app)
    {
        var offers = app.MapGroup("/api/offers").WithTags("Offers").RequireAuthorization(Policies.Sell);

        offers.MapPost("", async (OfferRequest request, OfferService service, CancellationToken ct) =>
        {
            var offer = await service.CreateDraftAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/offers/{offer.Id}", OfferDto.From(await service.GetAsync(offer.Id, ct)));
        }).WithSummary("Create a draft offer (no number until sent); validUntil defaults to today + 14 days.");
        offers.MapGet("", async (Guid? partyId, OfferState? status, int? skip, int? take, OfferService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(partyId, status, skip ?? 0, take ?? 100, ct)).Select(OfferListItemDto.From).ToList()))
            .WithSummary("Offers, newest first; status = Draft|Sent|Accepted|Rejected|Expired as of today.");
        offers.MapGet("/{id:guid}", async (Guid id, OfferService service, CancellationToken ct) =>
            TypedResults.Ok(OfferDto.From(await service.GetAsync(id, ct))));
        offers.MapPut("/{id:guid}", async (Guid id, OfferRequest request, OfferService service, CancellationToken ct) =>
        {
            await service.UpdateDraftAsync(id, request.ToCommand(), ct);
            return TypedResults.Ok(OfferDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Replace a draft offer (409 once sent).");
        offers.MapPost("/preview", async (OfferRequest request, OfferService service, CancellationToken ct) =>
        {
            var totals = await service.PreviewAsync(request.ToCommand(), ct);
            var currency = request.Currency?.ToUpperInvariant() ?? "PLN";
            return TypedResults.Ok(new InvoiceTotalsDto(
                totals.ByRate.Select(r => new VatRateTotalDto(r.VatRateCode, r.VatPercent, MoneyDto.From(r.Net, currency), MoneyDto.From(r.Vat, currency), MoneyDto.From(r.Gross, currency))).ToList(),
                MoneyDto.From(totals.Net, currency), MoneyDto.From(totals.Vat, currency), MoneyDto.From(totals.Gross, currency)));
        }).WithSummary("Compute the totals of an unsaved offer.");
        offers.MapPost("/{id:guid}/send", async (Guid id, OfferService service, CancellationToken ct) =>
        {
            await service.SendAsync(id, ct);
            return TypedResults.Ok(OfferDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Number the draft (OF/yyyy/MM/n) and mark it sent; 409 unless it is a draft.");
        offers.MapPost("/{id:guid}/accept", async (Guid id, OfferService service, CancellationToken ct) =>
        {
            await service.AcceptAsync(id, ct);
            return TypedResults.Ok(OfferDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Record the buyer's acceptance; 409 unless sent and still valid.");
        offers.MapPost("/{id:guid}/reject", async (Guid id, OfferService service, CancellationToken ct) =>
        {
            await service.RejectAsync(id, ct);
            return TypedResults.Ok(OfferDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Record the buyer's rejection; 409 unless sent and still valid.");
        offers.MapPost("/{id:guid}/convert-to-invoice", async (Guid id, OfferService service, CancellationToken ct) =>
        {
            var invoice = await service.ConvertToInvoiceAsync(id, ct);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", new ConversionResultDto(invoice.Id, invoice.Status.ToString()));
        }).WithSummary("Make an invoice draft of an accepted offer (buyer, currency, pricing mode, lines, notes) and link the two. " +
                       "An offer converts once: 409 naming the invoice when it already was.");
        offers.MapPost("/{id:guid}/convert-to-order", async (Guid id, OfferService service, CancellationToken ct) =>
        {
            var order = await service.ConvertToOrderAsync(id, ct);
            return TypedResults.Created($"/api/orders/{order.Id}", new OrderConversionResultDto(order.Id, order.Number));
        }).WithSummary("Make an order (numbered ZAM/yyyy/MM/n) of an accepted offer and link the two. An offer converts once: 409 when it already was.");

        app.MapGet("/api/documents/{id:guid}/links", async (Guid id, DocumentLinkQueries links, CancellationToken ct) =>
                TypedResults.Ok((await links.OfAsync(id, ct)).Select(DocumentLinkDto.From).ToList()))
            .RequireAuthorization(Policies.Sell)
            .WithTags("Documents")
            .WithSummary("Where a document (offer, invoice, ...) came from (direction 'from') and what was made from it ('to'). Empty when none.");
    }
}
