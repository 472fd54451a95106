using System.ComponentModel;
using Kontor.Common;
using Kontor.Inventory;
using Kontor.Security;

namespace Kontor.Web.Api;

public sealed record WarehouseRequest(string? Code, string? Name, bool? IsActive, bool? IsDefault);

public sealed record WarehouseDto(Guid Id, string Code, string Name, bool IsActive, bool IsDefault, Guid Version)
{
    public static WarehouseDto From(Warehouse w) => new(w.Id, w.Code, w.Name, w.IsActive, w.IsDefault, w.Version);
}

[Description("One line: productId (goods only), quantity (≤ 4 decimals); unitCost in the book currency for PZ (or value = the line's value in grosz units) " +
             "and optionally for PW (else the current average cost, the last receipt's cost or the catalogue unit cost).")]
public sealed record StockDocumentLineRequest(Guid? ProductId, decimal? Quantity, decimal? UnitCost, decimal? Value);

[Description("A stock document draft. kind: PZ (receipt from a supplier), WZ (issue to a customer), MM (transfer; targetWarehouseId), " +
             "PW (count surplus; reason), RW (count shortage; reason), ZW (customer return; orderId). warehouseId defaults to the default warehouse, date to today. " +
             "version: when editing a draft (PUT), the version it was read at (a stale one is 409).")]
public sealed record StockDocumentRequest(StockDocumentKind? Kind, Guid? WarehouseId, Guid? TargetWarehouseId, DateOnly? Date, Guid? PartyId, Guid? OrderId,
    Guid? InvoiceId, Guid? PurchaseInvoiceId, string? Reason, string? Notes, IReadOnlyList<StockDocumentLineRequest?>? Lines, Guid? Version = null)
{
    public SaveStockDocument ToCommand() => new(Kind, WarehouseId, Date,
        Lines?.Select(l => l is null ? null! : new StockDocumentLineInput(l.ProductId, l.Quantity, l.UnitCost, l.Value)).ToList(),
        TargetWarehouseId, PartyId, OrderId, InvoiceId, PurchaseInvoiceId, Reason, Notes);
}

public sealed record StockDocumentLineDto(int Position, Guid ProductId, string Sku, string Name, string Unit, decimal Quantity, decimal? UnitCost, MoneyDto Value);

public sealed record StockDocumentDto(Guid Id, StockDocumentKind Kind, StockDocumentStatus Status, string? Number, DateOnly Date, Guid WarehouseId, string WarehouseCode,
    Guid? TargetWarehouseId, string? TargetWarehouseCode, Guid? PartyId, string? PartyName, Guid? OrderId, string? OrderNumber, Guid? InvoiceId, Guid? PurchaseInvoiceId,
    string? Reason, string? Notes, MoneyDto TotalValue, Guid? JournalEntryId, DateTimeOffset CreatedAt, DateTimeOffset? PostedAt, string? PostedBy, Guid Version,
    IReadOnlyList<StockDocumentLineDto> Lines, string? PurchaseInvoiceNumber = null)
{
    public static StockDocumentDto From(StockDocumentView v)
    {
        var d = v.Document;
        return new(d.Id, d.Kind, d.Status, d.Number, d.Date, d.WarehouseId, v.WarehouseCode, d.TargetWarehouseId, v.TargetWarehouseCode, d.PartyId, v.PartyName,
            d.OrderId, v.OrderNumber, d.InvoiceId, d.PurchaseInvoiceId, d.Reason, d.Notes, MoneyDto.From(d.TotalValue, v.Currency), d.JournalEntryId, d.CreatedAt,
            d.PostedAt, d.PostedBy, d.Version,
            v.Lines.Select(l => new StockDocumentLineDto(l.Line.Position, l.Line.ProductId, l.Sku, l.Name, l.Unit, l.Line.Quantity, l.Line.UnitCost,
                MoneyDto.From(l.Line.Value, v.Currency))).ToList(), v.PurchaseInvoiceNumber);
    }
}

public sealed record StockDocumentListItemDto(Guid Id, StockDocumentKind Kind, StockDocumentStatus Status, string? Number, DateOnly Date, Guid WarehouseId,
    string WarehouseCode, Guid? TargetWarehouseId, Guid? PartyId, string? PartyName, Guid? OrderId, MoneyDto TotalValue, DateTimeOffset CreatedAt,
    Guid? PurchaseInvoiceId = null);

[Description("A proposed PZ line: productId and quantity are null — the purchase invoice names no products, so the integrator chooses them " +
             "(a line may become several products or be dropped). value: the invoice line's net in the book currency plus any VAT not deducted.")]
public sealed record StockReceiptDraftLineDto(Guid? ProductId, decimal? Quantity, decimal Value, int PurchaseInvoiceLinePosition, string? Description, string AccountCode);

public sealed record PurchaseInvoiceReceiptDto(Guid Id, StockDocumentStatus Status, string? Number, DateOnly Date, MoneyDto TotalValue);

[Description("A proposal for a PZ receiving a booked purchase invoice's goods, shaped as a stock document request: fill each line's productId and quantity " +
             "and POST it to /api/stock-documents. lines: the invoice lines booked to the goods accounts (Ledger:PurchaseClearing, Ledger:Inventory); none when " +
             "there are none. receipts: PZs already naming the invoice (a second one is allowed — partial deliveries).")]
public sealed record StockReceiptDraftDto(StockDocumentKind Kind, Guid PartyId, string SupplierName, DateOnly Date, Guid PurchaseInvoiceId, string SupplierInvoiceNumber,
    string Currency, IReadOnlyList<StockReceiptDraftLineDto> Lines, IReadOnlyList<PurchaseInvoiceReceiptDto> Receipts)
{
    public static StockReceiptDraftDto From(StockReceiptDraft d) => new(StockDocumentKind.PZ, d.SupplierId, d.SupplierName, d.Date, d.PurchaseInvoiceId,
        d.SupplierInvoiceNumber, d.Currency,
        d.Lines.Select(l => new StockReceiptDraftLineDto(null, null, l.Value, l.PurchaseLinePosition, l.Description, l.AccountCode)).ToList(),
        d.Receipts.Select(r => new PurchaseInvoiceReceiptDto(r.DocumentId, r.Status, r.Number, r.Date, MoneyDto.From(r.TotalValue, d.Currency))).ToList());
}

public sealed record StockLevelDto(Guid WarehouseId, string WarehouseCode, Guid ProductId, string Sku, string Name, string Unit,
    decimal OnHand, decimal Reserved, decimal Available, MoneyDto Value);

public sealed record StockReportDto(DateOnly? AsOf, MoneyDto TotalValue, IReadOnlyList<StockLevelDto> Rows)
{
    public static StockReportDto From(StockReport r) => new(r.AsOf, MoneyDto.From(r.TotalValue, r.Currency),
        r.Rows.Select(x => new StockLevelDto(x.WarehouseId, x.WarehouseCode, x.ProductId, x.Sku, x.Name, x.Unit, x.OnHand, x.Reserved, x.Available,
            MoneyDto.From(x.Value, r.Currency))).ToList());
}

public sealed record OrderStockLineDto(Guid ProductId, string Sku, string Name, string Unit, decimal Ordered, decimal Reserved, decimal Issued, decimal Backordered,
    decimal Returned = 0);

[Description("The stock side of an order: state None|Backordered|Reserved|PartlyIssued|Issued|Released|Returned (everything issued came back) and per product ordered/reserved/issued/backordered, and returned: what came back on the order's posted ZW documents (issued stays what left).")]
public sealed record OrderStockDto(OrderStockState State, Guid? WarehouseId, string? WarehouseCode, IReadOnlyList<OrderStockLineDto> Lines)
{
    public static OrderStockDto From(OrderStock s) => new(s.State, s.WarehouseId, s.WarehouseCode,
        s.Lines.Select(l => new OrderStockLineDto(l.ProductId, l.Sku, l.Name, l.Unit, l.Ordered, l.Reserved, l.Issued, l.Backordered, l.Returned)).ToList());
}

public sealed record StockQuantityRequest(Guid? ProductId, decimal? Quantity);

public sealed record IssueForOrderRequest(DateOnly? Date, IReadOnlyList<StockQuantityRequest?>? Lines, string? Notes);

public sealed record ReceiveReturnRequest(Guid? OrderId, Guid? CorrectionInvoiceId, DateOnly? Date, string? Reason, IReadOnlyList<StockQuantityRequest?>? Lines);

public sealed record PostStockDocumentRequest(Guid? Version);

/// <summary>Warehouses, stock levels, stock documents and the stock side of orders (docs/inventory.md).</summary>
public static class InventoryEndpoints
{
    public static void MapInventoryApi(this IEndpointRouteBuilder app)
    {
        var warehouses = app.MapGroup("/api/warehouses").WithTags("Inventory").RequireAuthorization(Policies.Sell);
        warehouses.MapGet("", async (WarehouseService service, CancellationToken ct) => TypedResults.Ok((await service.ListAsync(ct)).Select(WarehouseDto.From).ToList()))
            .WithSummary("Warehouses, the default first.");
        warehouses.MapGet("/{id:guid}", async (Guid id, WarehouseService service, CancellationToken ct) => TypedResults.Ok(WarehouseDto.From(await service.GetAsync(id, ct))));
        warehouses.MapPost("", async (WarehouseRequest request, WarehouseService service, CancellationToken ct) =>
        {
            var w = await service.CreateAsync(new SaveWarehouse(request?.Code, request?.Name, request?.IsActive, request?.IsDefault), ct);
            return TypedResults.Created($"/api/warehouses/{w.Id}", WarehouseDto.From(w));
        }).RequireAuthorization(Policies.ManageSettings).WithSummary("A new warehouse (code unique, uppercase). isDefault moves the default here.");
        warehouses.MapPut("/{id:guid}", async (Guid id, WarehouseRequest request, WarehouseService service, CancellationToken ct) =>
                TypedResults.Ok(WarehouseDto.From(await service.UpdateAsync(id, new SaveWarehouse(request?.Code, request?.Name, request?.IsActive, request?.IsDefault), ct))))
            .RequireAuthorization(Policies.ManageSettings).WithSummary("Rename, (de)activate or make default. The code never changes.");

        var stock = app.MapGroup("/api/stock").WithTags("Inventory").RequireAuthorization(Policies.Sell);
        stock.MapGet("", async (Guid? warehouseId, Guid? productId, string? search, bool? inStockOnly, DateOnly? asOf, StockQueries queries, CancellationToken ct) =>
                TypedResults.Ok(StockReportDto.From(await queries.LevelsAsync(warehouseId, productId, search, inStockOnly ?? false, asOf, ct))))
            .WithSummary("Stock per warehouse and product: on hand, reserved, available = on hand − reserved, value at FIFO cost (book currency). " +
                         "asOf = quantities and values from the movements dated up to that day.");

        var documents = app.MapGroup("/api/stock-documents").WithTags("Inventory").RequireAuthorization(Policies.Sell);
        documents.MapPost("", async (StockDocumentRequest request, StockDocumentService service, CancellationToken ct) =>
        {
            if (request is null) throw new ValidationException("body", "A stock document is required.");
            var document = await service.CreateDraftAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/stock-documents/{document.Id}", StockDocumentDto.From(await service.GetAsync(document.Id, ct)));
        }).WithSummary("A stock document draft (nothing moves until it is posted).");
        documents.MapGet("", async (StockDocumentKind? kind, StockDocumentStatus? status, Guid? warehouseId, Guid? orderId, Guid? purchaseInvoiceId, int? skip, int? take,
                StockDocumentService service, CancellationToken ct) =>
            {
                var rows = await service.ListAsync(kind, status, warehouseId, orderId, skip ?? 0, take ?? 100, purchaseInvoiceId, ct);
                var currency = await service.GetBookCurrencyAsync(ct);
                return TypedResults.Ok(rows.Select(r => new StockDocumentListItemDto(r.Id, r.Kind, r.Status, r.Number, r.Date, r.WarehouseId, r.WarehouseCode,
                    r.TargetWarehouseId, r.PartyId, r.PartyName, r.OrderId, MoneyDto.From(r.TotalValue, currency), r.CreatedAt, r.PurchaseInvoiceId)).ToList());
            })
            .WithSummary("Stock documents, newest first. purchaseInvoiceId: the PZs naming that purchase invoice.");
        app.MapGet("/api/purchase-invoices/{id:guid}/stock-receipt-draft", async (Guid id, StockDocumentService service, CancellationToken ct) =>
                TypedResults.Ok(StockReceiptDraftDto.From(await service.DraftFromPurchaseInvoiceAsync(id, ct))))
            .WithTags("Inventory").RequireAuthorization(Policies.Sell)
            .WithSummary("A proposed PZ for a booked purchase invoice's goods (nothing is written): supplier, today, the link and one line per invoice line on the " +
                         "goods accounts with its book-currency value; choose products and quantities and POST it to /api/stock-documents. Draft or correction: 409.");
        documents.MapGet("/{id:guid}", async (Guid id, StockDocumentService service, CancellationToken ct) => TypedResults.Ok(StockDocumentDto.From(await service.GetAsync(id, ct))));
        documents.MapPut("/{id:guid}", async (Guid id, StockDocumentRequest request, StockDocumentService service, CancellationToken ct) =>
        {
            if (request is null) throw new ValidationException("body", "A stock document is required.");
            await service.UpdateDraftAsync(id, request.ToCommand(), request.Version, ct);
            return TypedResults.Ok(StockDocumentDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Replace a draft's header and lines, validated as a new draft (400 naming the field, nothing changed). Kind, order and the warehouse of " +
                       "an order's WZ stay (omitted = kept, different = 400). Posted: 409; stale version: 409.");
        documents.MapDelete("/{id:guid}", async (Guid id, StockDocumentService service, CancellationToken ct) =>
        {
            await service.DeleteDraftAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a draft; a posted document: 409.");
        documents.MapPost("/{id:guid}/post", async (Guid id, PostStockDocumentRequest? request, StockDocumentService service, CancellationToken ct) =>
        {
            await service.PostAsync(id, request?.Version, ct);
            return TypedResults.Ok(StockDocumentDto.From(await service.GetAsync(id, ct)));
        }).WithSummary("Post a draft: number, stock and FIFO layers, journal entry, one transaction. Not enough stock: 409 naming the product and what is available; " +
                       "closed period: 422; already posted: 409.");

        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Policies.Sell);
        orders.MapGet("/{id:guid}/stock", async (Guid id, IOrderFulfilment fulfilment, CancellationToken ct) =>
            TypedResults.Ok(OrderStockDto.From(await fulfilment.ForOrderAsync(id, ct))));
        orders.MapPost("/{id:guid}/reserve", async (Guid id, IOrderFulfilment fulfilment, CancellationToken ct) =>
            TypedResults.Ok(OrderStockDto.From(await fulfilment.ReserveForOrderAsync(id, ct)))).WithSummary("Reserve (top up) the order's goods: backordered quantities that came in since.");
        orders.MapPost("/{id:guid}/issue", async (Guid id, IssueForOrderRequest? request, IOrderFulfilment fulfilment, StockDocumentService service, CancellationToken ct) =>
        {
            var command = new IssueForOrder(request?.Date, request?.Lines?.Select(l => new StockQuantityInput(l?.ProductId, l?.Quantity)).ToList(), request?.Notes);
            var document = await fulfilment.IssueForOrderAsync(id, command, ct);
            return TypedResults.Created($"/api/stock-documents/{document.Id}", StockDocumentDto.From(await service.GetAsync(document.Id, ct)));
        }).WithSummary("Issue goods for the order: a posted WZ at FIFO cost consuming its reservation; lines omitted = everything not yet issued. " +
                       "Given lines (part of the order): a product not among the order's goods, more than ordered − issued or more than the warehouse holds for the order " +
                       "is 400 naming lines[i].productId / lines[i].quantity, nothing written.");
        // The stock side alone (a ZW for goods already credited by a correction made by hand); the whole return is POST /api/orders/{id}/return.
        orders.MapPost("/{id:guid}/stock-return", async (Guid id, ReceiveReturnRequest? request, IOrderFulfilment fulfilment, StockDocumentService service, CancellationToken ct) =>
        {
            var document = await fulfilment.ReceiveReturnAsync(new ReceiveReturn(id, request?.CorrectionInvoiceId,
                request?.Lines?.Select(l => new StockQuantityInput(l?.ProductId, l?.Quantity)).ToList(), request?.Date, request?.Reason), ct);
            return TypedResults.Created($"/api/stock-documents/{document.Id}", StockDocumentDto.From(await service.GetAsync(document.Id, ct)));
        }).WithSummary("Only the stock receipt of goods back from the customer: a posted ZW at the cost they were issued at (Dr 330 / Cr 731). " +
                       "A return with its correction invoice and refund is POST /api/orders/{id}/return. " +
                       "At most issued − already received back per product (409 naming it). Policy ReturnGoods.").RequireAuthorization(Policies.ReturnGoods);
    }
}
