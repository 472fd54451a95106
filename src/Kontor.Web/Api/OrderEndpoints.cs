using System.ComponentModel;
using Kontor.Common;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Sales;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record OrderRequest(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Kontor.Crm.Credit.CreditOverride? CreditOverride = null,
    Guid? CampaignId = null)
{
    public CreateOrder ToCommand() => new(PartyId, Currency, PricingMode, Notes, Lines, CampaignId);
}

/// <param name="Version">The order's version as last read; when given and stale the change is refused with 409.</param>
public sealed record OrderStatusRequest(OrderStatus? Status, Guid? Version);

public sealed record InvoiceOrdersRequest(IReadOnlyList<Guid>? OrderIds);

/// <param name="Date">The day the parcel left (default today; not before the order date, not in the future).</param>
public sealed record ShipOrderRequest(string? TrackingNumber, string? Carrier, DateOnly? Date, Guid? Version);

/// <param name="Date">The day it arrived (default today; not before it shipped).</param>
public sealed record DeliverOrderRequest(DateOnly? Date, Guid? Version);

[Description("One move of the order's status; from is null for its creation.")]
public sealed record OrderStatusChangeDto(OrderStatus? From, OrderStatus To, DateTimeOffset At, string? Actor, string? TrackingNumber, string? Carrier)
{
    public static OrderStatusChangeDto Of(OrderStatusChange c) => new(c.From, c.To, c.At, c.Actor, c.TrackingNumber, c.Carrier);
}

public sealed record ReturnLineRequest(Guid? ProductId, decimal? Quantity);

/// <param name="Lines">Omitted = everything issued and not yet returned.</param>
public sealed record OrderReturnRequest(IReadOnlyList<ReturnLineRequest?>? Lines, string? Reason, DateOnly? Date, bool Refund = false, bool Restock = true)
{
    public ReturnGoods ToCommand() => new(Lines?.Select(l => l is null ? null : new ReturnLineInput(l.ProductId, l.Quantity)).ToList(), Reason, Date, Refund, Restock);
}

public sealed record ReturnableLineDto(Guid ProductId, string Sku, string Name, string Unit, decimal Issued, decimal Returned, decimal Returnable);

public sealed record OrderReturnLineDto(Guid ProductId, decimal Quantity, bool Restocked);

/// <param name="PaymentId">The outgoing refund payment.</param>
/// <param name="IncomingPaymentId">The invoice's incoming payment this part gives back; null for a credit no recorded payment covers.</param>
public sealed record OrderReturnRefundDto(Guid PaymentId, PaymentVia Via, MoneyDto Amount, Guid? IncomingPaymentId);

[Description("A return on an order: the correction invoice that credited it, the ZW that took the goods back, the refund payments (one per account the money came in on).")]
public sealed record OrderReturnDto(Guid Id, DateOnly Date, string Reason, bool Restocked, bool CancelledOrder, Guid? CorrectionInvoiceId, string? CorrectionNumber,
    Guid? StockDocumentId, string? StockDocumentNumber, Guid? RefundPaymentId, MoneyDto Credited, MoneyDto Refunded, string? ExternalRefundId,
    IReadOnlyList<OrderReturnLineDto> Lines, DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyList<OrderReturnRefundDto> Refunds)
{
    public static OrderReturnDto From(OrderReturnView v)
    {
        var r = v.Return;
        return new(r.Id, r.Date, r.Reason, r.Restocked, r.CancelledOrder, r.CorrectionInvoiceId, v.CorrectionNumber, r.StockDocumentId, v.StockDocumentNumber,
            r.RefundPaymentId, MoneyDto.From(r.CreditedGross, r.Currency), MoneyDto.From(r.RefundedAmount, r.Currency), r.ExternalRefundId,
            r.Lines.Select(l => new OrderReturnLineDto(l.ProductId, l.Quantity, l.Restocked)).ToList(), r.CreatedAt, r.CreatedBy,
            r.RefundsInOrder().Select(x => new OrderReturnRefundDto(x.RefundPaymentId, x.Via, MoneyDto.From(x.Amount, r.Currency), x.IncomingPaymentId)).ToList());
    }
}

public sealed record OrderReturnsDto(bool CanReturn, IReadOnlyList<ReturnableLineDto> Lines, IReadOnlyList<OrderReturnDto> Returns)
{
    public static OrderReturnsDto From(OrderReturns r) => new(r.CanReturn,
        r.Lines.Select(l => new ReturnableLineDto(l.ProductId, l.Sku, l.Name, l.Unit, l.Issued, l.Returned, l.Returnable)).ToList(),
        r.Returns.Select(OrderReturnDto.From).ToList());
}

[Description("An order: numbered on creation (ZAM/yyyy/MM/n); invoiceId is set once it went into an invoice; trackingUrl is the carrier's tracking page when the carrier is a known one (Orders:Carriers); channelId and externalOrderId name the shop order it came from.")]
public sealed record OrderDto(Guid Id, string Number, OrderStatus Status, Guid PartyId, string Currency, PricingMode PricingMode,
    DateOnly OrderedOn, string? Notes, MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross,
    IReadOnlyList<InvoiceLineDto> Lines, IReadOnlyList<VatRateTotalDto> VatTotals, IReadOnlyList<DocumentLinkDto> Links,
    Guid? InvoiceId, Guid Version, DateTimeOffset CreatedAt, DateTimeOffset? StatusChangedAt, Guid? CampaignId = null,
    OrderStockDto? Stock = null, string? TrackingNumber = null, string? Carrier = null, DateOnly? ShippedOn = null, DateOnly? DeliveredOn = null,
    DateOnly? PaidAtShopOn = null, IReadOnlyList<OrderStatusChangeDto>? History = null, OrderReturnsDto? Returns = null, string? TrackingUrl = null,
    string? PartyName = null, Guid? ChannelId = null, string? ExternalOrderId = null)
{
    public static OrderDto From(OrderView view)
    {
        var o = view.Order;
        return new(o.Id, o.Number, o.Status, o.PartyId, o.Currency, o.PricingMode, o.OrderedOn, o.Notes,
            MoneyDto.From(o.TotalNet, o.Currency), MoneyDto.From(o.TotalVat, o.Currency), MoneyDto.From(o.TotalGross, o.Currency),
            o.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLineDto(l.Position, l.ProductId, l.Description, l.Unit, l.Quantity, l.UnitPrice, l.DiscountPercent,
                l.VatRateCode, l.VatPercent, MoneyDto.From(l.Net, o.Currency), MoneyDto.From(l.Vat, o.Currency), MoneyDto.From(l.Gross, o.Currency), LinePricingDto.From(l))).ToList(),
            view.Totals.ByRate.OrderByDescending(v => v.VatPercent).ThenBy(v => v.VatRateCode).Select(v => new VatRateTotalDto(v.VatRateCode, v.VatPercent,
                MoneyDto.From(v.Net, o.Currency), MoneyDto.From(v.Vat, o.Currency), MoneyDto.From(v.Gross, o.Currency))).ToList(),
            view.Links.Select(DocumentLinkDto.From).ToList(),
            o.InvoiceId, o.Version, o.CreatedAt, o.StatusChangedAt, o.CampaignId, null, o.TrackingNumber, o.Carrier, o.ShippedOn, o.DeliveredOn,
            o.PaidAtShopOn, (view.History ?? []).Select(OrderStatusChangeDto.Of).ToList(), TrackingUrl: view.TrackingUrl,
            PartyName: view.PartyName, ChannelId: o.ChannelId, ExternalOrderId: o.ExternalOrderId);
    }
}

[Description("A row of the order list; channelId, channelName and externalOrderId name the web shop and the shop's own order id (all null for an order entered by hand).")]
public sealed record OrderListItemDto(Guid Id, string Number, OrderStatus Status, Guid PartyId, string PartyName, DateOnly OrderedOn,
    MoneyDto TotalNet, MoneyDto TotalVat, MoneyDto TotalGross, Guid? InvoiceId, DateTimeOffset CreatedAt,
    Guid? ChannelId, string? ChannelName, string? ExternalOrderId)
{
    public static OrderListItemDto From(OrderListItem o) => new(o.Id, o.Number, o.Status, o.PartyId, o.PartyName, o.OrderedOn,
        MoneyDto.From(o.TotalNet, o.Currency), MoneyDto.From(o.TotalVat, o.Currency), MoneyDto.From(o.TotalGross, o.Currency), o.InvoiceId, o.CreatedAt,
        o.ChannelId, o.ChannelName, o.ExternalOrderId);
}

/// <summary>Orders and invoicing several orders of one buyer together.</summary>
public static class OrderEndpoints
{
    public static void MapOrderApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Policies.Sell);

        orders.MapPost("", async (OrderRequest request, OrderService service, CancellationToken ct) =>
        {
            var order = await service.CreateAsync(request.ToCommand(), request.CreditOverride, ct);
            return TypedResults.Created($"/api/orders/{order.Id}", OrderDto.From(await service.GetAsync(order.Id, ct)));
        }).WithSummary("Create an order (status Accepted), numbered at once ZAM/yyyy/MM/n. Credit control: 409 credit-blocked over the limit or overdue; creditOverride {reason} needs OverrideCreditBlock (403 otherwise).");
        orders.MapGet("", async (
                [Description("Order number (any part), the shop's order id ('#627949' too), or the customer's name (any case), e-mail or tax id; at most 100 characters.")] string? search,
                [Description("Accepted, InProgress, Shipped, Delivered, Cancelled or Returned.")] OrderStatus? status,
                [Description("A sales channel's id, or 'manual' for the orders entered by hand (no channel).")] string? channelId,
                [Description("Ordered on or after this day (yyyy-MM-dd); not after to.")] DateOnly? from,
                [Description("Ordered on or before this day (yyyy-MM-dd).")] DateOnly? to,
                Guid? partyId,
                [Description("Orders to pass over (≥ 0); the next page is skip + take.")] int? skip,
                [Description("Page size, 1–500 (default 100).")] int? take,
                OrderService service, CancellationToken ct) =>
            {
                var (channel, manual) = OrderListFilter.ParseChannel(channelId);
                var filter = new OrderListFilter(search, status, channel, manual, from, to, partyId);
                return TypedResults.Ok((await service.ListAsync(filter, skip ?? 0, take ?? 100, ct)).Select(OrderListItemDto.From).ToList());
            })
            .WithSummary("Orders, newest first (then by id), a page at a time: skip ≥ 0, take 1–500 (default 100); ask for the next page with skip + take. " +
                         "Filters, all combined with AND: search (order number, the shop's order id — '#627949' too —, or the customer's name, e-mail or tax id, any case), " +
                         "status = Accepted|InProgress|Shipped|Delivered|Cancelled|Returned, channelId = a sales channel's id or 'manual' (orders entered by hand), " +
                         "from/to (orderedOn, inclusive, yyyy-MM-dd), partyId. 400 naming the field: from after to, take out of range, an unknown status or channelId.");
        orders.MapGet("/{id:guid}", async (Guid id, OrderService service, Kontor.Inventory.IOrderFulfilment fulfilment, OrderReturnService returns, CancellationToken ct) =>
            TypedResults.Ok(OrderDto.From(await service.GetAsync(id, ct)) with
            {
                Stock = OrderStockDto.From(await fulfilment.ForOrderAsync(id, ct)),
                Returns = OrderReturnsDto.From(await returns.ForOrderAsync(id, ct)),
            }));
        orders.MapPost("/{id:guid}/return", async (Guid id, OrderReturnRequest? request, OrderReturnService returns, CancellationToken ct) =>
        {
            var created = await returns.ReturnAsync(id, request?.ToCommand()!, ct);
            var view = await returns.ForOrderAsync(id, ct);
            return TypedResults.Created($"/api/orders/{id}", OrderReturnDto.From(view.Returns.First(r => r.Return.Id == created.Id)));
        }).RequireAuthorization(Policies.ReturnGoods)
          .WithSummary("Goods back from the customer on a shipped or delivered order, in one transaction: an issued correction invoice of the order's invoice, " +
                       "a posted ZW at the issue cost (restock: true), the refund of what was paid (refund: true), status Returned when everything came back. " +
                       "lines omitted = everything issued and not yet returned. 400 lines[i].quantity over what may come back; 409 not shipped, not invoiced, or a concurrent return. " +
                       "Policy ReturnGoods (Admin, Manager, Accountant).");
        orders.MapPost("/{id:guid}/status", async (Guid id, OrderStatusRequest request, OrderService service, CancellationToken ct) =>
        {
            if (request?.Status is not { } status) throw new ValidationException("status", "status is required (InProgress, Shipped, Delivered or Cancelled).");
            await service.ChangeStatusAsync(id, status, request.Version, ct);
            return TypedResults.Ok(OrderDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Move the order: Accepted → InProgress (picking) → Shipped → Delivered; Shipped also straight from Accepted; Cancelled from Accepted or InProgress. " +
                       "Shipped/Delivered here are /ship and /deliver without tracking or date. Anything else 409.");
        orders.MapPost("/{id:guid}/ship", async (Guid id, ShipOrderRequest? request, OrderService service, Kontor.Inventory.IOrderFulfilment fulfilment, CancellationToken ct) =>
        {
            await service.ShipAsync(id, new ShipOrder(request?.TrackingNumber, request?.Carrier, request?.Date), request?.Version, ct);
            return TypedResults.Ok(OrderDto.From(await service.GetAsync(id, ct)) with { Stock = OrderStockDto.From(await fulfilment.ForOrderAsync(id, ct)) });
        }).WithSummary("Ship the order (from Accepted or InProgress), in one transaction: the goods not yet issued leave on a posted WZ (consuming the reservation; " +
                       "not enough stock → 409), trackingNumber/carrier (≤ 64 characters) and date are recorded, status Shipped; a shop order's status goes back to the shop, " +
                       "an OnShipment channel's invoice is issued. 400 naming the field on bad input, 409 on an illegal move or a stale version.");
        orders.MapPost("/{id:guid}/deliver", async (Guid id, DeliverOrderRequest? request, OrderService service, CancellationToken ct) =>
        {
            await service.DeliverAsync(id, request?.Date, request?.Version, ct);
            return TypedResults.Ok(OrderDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Mark a shipped order delivered (date default today, not before it shipped: 400 on date). 409 unless Shipped or on a stale version.");
        orders.MapPost("/invoice", async (InvoiceOrdersRequest request, OrderService service, CancellationToken ct) =>
        {
            var invoice = await service.InvoiceAsync(request?.OrderIds, ct);
            return TypedResults.Created($"/api/invoices/{invoice.Id}", new ConversionResultDto(invoice.Id, invoice.Status.ToString()));
        }).WithSummary("One invoice draft with all lines of the given orders (same buyer, currency and pricing mode; 400 on orderIds otherwise). " +
                       "A cancelled or already invoiced order: 409 naming it.");
    }
}
