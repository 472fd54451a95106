using System.ComponentModel;
using Kontor.Common;
using Kontor.Offers;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record CancelRequest(string? Reason);

/// <param name="Amount">The prepayment received, gross, in the order's currency.</param>
/// <param name="ReceivedOn">The day the money was received (yyyy-MM-dd); default today.</param>
public sealed record AdvanceInvoiceRequest(MoneyDto? Amount, DateOnly? ReceivedOn)
{
    public CreateAdvanceInvoice ToCommand()
    {
        if (Amount is null) throw new ValidationException("amount", "amount (the prepayment received, e.g. {\"amount\": \"300.00\", \"currency\": \"PLN\"}) is required.");
        var (amount, currency) = Amount.Parse("amount");
        return new CreateAdvanceInvoice(amount, currency, ReceivedOn);
    }
}

public sealed record AdvanceDeductionDto(Guid AdvanceInvoiceId, string Number, DateOnly IssueDate, string VatRateCode, decimal VatPercent, AmountsDto Amounts);

[Description("What an advance or final invoice settles: the order, its value, and on a final invoice the advance invoices deducted per rate.")]
public sealed record OrderSettlementDto(Guid OrderId, string? OrderNumber, AmountsDto OrderValue, DateOnly? AdvanceReceivedOn,
    IReadOnlyList<AdvanceDeductionDto> Advances, AmountsDto? AdvancesTotal)
{
    public static OrderSettlementDto? From(Invoice i)
    {
        if (i.OrderId is not { } orderId || i.Kind is not (InvoiceKind.Advance or InvoiceKind.Final)) return null;
        var c = i.Currency;
        var advances = i.AdvanceDeductions.OrderBy(d => d.AdvanceIssueDate).ThenBy(d => d.AdvanceNumber, StringComparer.Ordinal).ThenByDescending(d => d.VatPercent)
            .Select(d => new AdvanceDeductionDto(d.AdvanceInvoiceId, d.AdvanceNumber, d.AdvanceIssueDate, d.VatRateCode, d.VatPercent, AmountsDto.Of(d.Net, d.Vat, d.Gross, c)))
            .ToList();
        return new OrderSettlementDto(orderId, i.OrderNumber, AmountsDto.Of(i.OrderTotalNet ?? 0, i.OrderTotalVat ?? 0, i.OrderTotalGross ?? 0, c),
            i.Kind == InvoiceKind.Advance ? i.SaleDate : null, advances,
            i.Kind == InvoiceKind.Final ? AmountsDto.Of(i.AdvanceDeductions.Sum(d => d.Net), i.AdvanceDeductions.Sum(d => d.Vat), i.AdvanceDeductions.Sum(d => d.Gross), c) : null);
    }
}

/// <summary>Pro formas, cancellation, advance and final invoices (docs/decisions.md §23, §24).</summary>
public static class SalesDocumentEndpoints
{
    public static void MapSalesDocumentApi(this IEndpointRouteBuilder app)
    {
        var proformas = app.MapGroup("/api/proformas").WithTags("Pro formas").RequireAuthorization(Policies.Sell);
        proformas.MapPost("", async (InvoiceRequest request, ProFormaService service, CancellationToken ct) =>
        {
            var proForma = await service.CreateDraftAsync(request.ToCommand(), request.CreditOverride, ct);
            return TypedResults.Created($"/api/proformas/{proForma.Id}", InvoiceDto.From(proForma));
        }).WithSummary("Create a pro forma draft (same body and rules as an invoice). A pro forma is not a tax document: issuing numbers it PF/yyyy/MM/n and posts nothing.");
        proformas.MapGet("", async (Guid? partyId, InvoiceStatus? status, int? skip, int? take, ProFormaService service, CancellationToken ct) =>
                TypedResults.Ok((await service.ListAsync(partyId, status, skip ?? 0, take ?? 100, ct)).Select(InvoiceListItemDto.From).ToList()))
            .WithSummary("Pro formas, newest first; status = Draft|Issued|Cancelled.");
        proformas.MapGet("/{id:guid}", async (Guid id, ProFormaService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.GetAsync(id, ct))));
        proformas.MapPut("/{id:guid}", async (Guid id, InvoiceRequest request, ProFormaService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.UpdateDraftAsync(id, request.ToCommand(), ct)))).WithSummary("Replace a pro forma draft (409 once issued or cancelled).");
        proformas.MapPost("/{id:guid}/issue", async (Guid id, ProFormaService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.IssueAsync(id, ct))))
            .WithSummary("Issue: number PF/yyyy/MM/n, fix dates and parties. Nothing is posted to the ledger and no receivable is opened.");
        proformas.MapPost("/{id:guid}/cancel", async (Guid id, CancelRequest request, ProFormaService service, CancellationToken ct) =>
            TypedResults.Ok(InvoiceDto.From(await service.CancelAsync(id, request?.Reason, ct))))
            .WithSummary("Cancel a pro forma (draft or issued, not converted) with a reason (required, 400 otherwise). Audited.");
        proformas.MapPost("/{id:guid}/convert-to-invoice", async (Guid id, ProFormaService service, CancellationToken ct) =>
        {
            var invoice = await service.ConvertToInvoiceAsync(id, ct);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", new ConversionResultDto(invoice.Id, invoice.Status.ToString()));
        }).WithSummary("Make a VAT invoice draft of an issued pro forma (every line, price, discount, VAT rate, buyer, currency) and link the two. Once only: 409 afterwards.");

        app.MapPost("/api/invoices/{id:guid}/cancel", async (Guid id, CancelRequest request, InvoiceService service, CancellationToken ct) =>
                TypedResults.Ok(InvoiceDto.From(await service.CancelAsync(id, request?.Reason, ct))))
            .RequireAuthorization(Policies.Sell).WithTags("Invoices")
            .WithSummary("Cancel a draft with a reason (kept, marked Cancelled, audited). An issued VAT, advance, final or correction invoice is never cancelled: 409 (issue a correction).");

        app.MapPost("/api/offers/{id:guid}/convert-to-proforma", async (Guid id, OfferService service, CancellationToken ct) =>
            {
                var proForma = await service.ConvertToProFormaAsync(id, ct);
                return TypedResults.Created($"/api/proformas/{proForma.Id}", new ConversionResultDto(proForma.Id, proForma.Status.ToString()));
            })
            .RequireAuthorization(Policies.Sell).WithTags("Offers")
            .WithSummary("Make a pro forma draft of an accepted offer and link the two. An offer converts once: 409 when it already was.");

        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Policies.Sell);
        orders.MapPost("/{id:guid}/advance-invoices", async (Guid id, AdvanceInvoiceRequest request, AdvanceInvoiceService service, CancellationToken ct) =>
        {
            var command = request?.ToCommand() ?? throw new ValidationException("amount", "amount is required.");
            var invoice = await service.CreateAdvanceDraftAsync(id, command, ct);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", InvoiceDto.From(invoice));
        }).WithSummary("Advance invoice draft (faktura zaliczkowa) for a prepayment received against the order: amount (gross, order's currency) split over the order's " +
                       "VAT rates in proportion to its gross per rate. The advances may not exceed the order's gross (400 on amount). Issue with POST /api/invoices/{id}/issue.");
        orders.MapPost("/{id:guid}/final-invoice", async (Guid id, AdvanceInvoiceService service, CancellationToken ct) =>
        {
            var invoice = await service.CreateFinalDraftAsync(id, ct);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", InvoiceDto.From(invoice));
        }).WithSummary("Final invoice draft (faktura końcowa): the order's lines, its issued advance invoices deducted, per rate the order's figures less the advances'. " +
                       "409 when the order has no issued advance, an open advance draft, or was already invoiced.");
    }
}
