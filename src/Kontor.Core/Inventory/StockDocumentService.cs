using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Inventory;

/// <param name="UnitCost">PZ: required unless <paramref name="Value"/> is given (book currency). PW: optional, see <see cref="Fifo.SurplusUnitCost"/>. Ignored otherwise.</param>
/// <param name="Value">PZ only: the line's value in whole grosz (e.g. the purchase invoice's net); the unit cost is then value ÷ quantity.</param>
public sealed record StockDocumentLineInput(Guid? ProductId, decimal? Quantity, decimal? UnitCost = null, decimal? Value = null);

public sealed record SaveStockDocument(
    StockDocumentKind? Kind,
    Guid? WarehouseId,
    DateOnly? Date,
    IReadOnlyList<StockDocumentLineInput>? Lines,
    Guid? TargetWarehouseId = null,
    Guid? PartyId = null,
    Guid? OrderId = null,
    Guid? InvoiceId = null,
    Guid? PurchaseInvoiceId = null,
    string? Reason = null,
    string? Notes = null);

public sealed record StockDocumentListItem(Guid Id, StockDocumentKind Kind, StockDocumentStatus Status, string? Number, DateOnly Date,
    Guid WarehouseId, string WarehouseCode, Guid? TargetWarehouseId, Guid? PartyId, string? PartyName, Guid? OrderId, decimal TotalValue, DateTimeOffset CreatedAt,
    Guid? PurchaseInvoiceId = null);

/// <summary>A PZ that names a purchase invoice (posted ones have a number; a draft has none yet).</summary>
public sealed record PurchaseInvoiceReceipt(Guid PurchaseInvoiceId, Guid DocumentId, StockDocumentStatus Status, string? Number, DateOnly Date, decimal TotalValue);

/// <param name="PurchaseLinePosition">The purchase invoice line it comes from (1-based).</param>
/// <param name="Value">The line's net in the book currency (NetBase, set when the invoice was booked; never the invoice-currency net) plus any VAT not
/// deducted — what the invoice debited to the goods account for it.</param>
public sealed record StockReceiptDraftLine(int PurchaseLinePosition, string? Description, string AccountCode, decimal Value);

/// <summary>
/// What a PZ for a booked purchase invoice would say (<see cref="StockDocumentService.DraftFromPurchaseInvoiceAsync"/>): supplier, date and link,
/// and one line per invoice line booked to the goods accounts with its PLN value. The invoice has no products, so each line's product and quantity
/// are for the person to choose (a line may become several products, or none). <paramref name="Receipts"/>: the PZs already naming the invoice.
/// </summary>
public sealed record StockReceiptDraft(Guid PurchaseInvoiceId, string SupplierInvoiceNumber, Guid SupplierId, string SupplierName, DateOnly Date,
    string Currency, IReadOnlyList<StockReceiptDraftLine> Lines, IReadOnlyList<PurchaseInvoiceReceipt> Receipts);

public sealed record StockDocumentLineView(StockDocumentLine Line, string Sku, string Name, string Unit);

public sealed record StockDocumentView(StockDocument Document, string WarehouseCode, string? TargetWarehouseCode, string? PartyName, string? OrderNumber,
    IReadOnlyList<StockDocumentLineView> Lines, string Currency, string? PurchaseInvoiceNumber = null, string? PurchaseInvoiceSupplierName = null);

/// <summary>
/// Stock documents: drafts (validated, nothing moves), posting (stock levels, FIFO layers, movements, number and journal entry in
/// one transaction), reading. Negative stock is refused with 409 naming the product and what is available (docs/inventory.md).
/// </summary>
public sealed class StockDocumentService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    StockBook book,
    Journal journal,
    AccountingPeriods periods,
    DocumentNumbering numbering,
    ReferenceData referenceData,
    CompanyProfileProvider company,
    AuditTrail audit,
    ICurrentActor actor,
    BusinessCalendar calendar,
    TimeProvider clock,
    IOptions<PostingAccounts> accounts)
{
    public const int MaxLines = 500;

    public async Task<StockDocument> CreateDraftAsync(SaveStockDocument command, CancellationToken ct = default)
    {
        var document = await BuildAsync(command, Guid.CreateVersion7(), ct);
        await unitOfWork.ExecuteAsync(token =>
        {
            db.StockDocuments.Add(document);
            audit.Record("stock-document.created", nameof(StockDocument), document.Id, new { kind = document.Kind.ToString(), lines = document.Lines.Count });
            return Task.FromResult(0);
        }, ct);
        return document;
    }

    /// <summary>A draft posted at once (the order fulfilment flow), in the caller's unit of work if there is one.</summary>
    public async Task<StockDocument> CreateAndPostAsync(SaveStockDocument command, CancellationToken ct = default)
    {
        var document = await BuildAsync(command, Guid.CreateVersion7(), ct);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            db.StockDocuments.Add(document);
            audit.Record("stock-document.created", nameof(StockDocument), document.Id, new { kind = document.Kind.ToString(), lines = document.Lines.Count });
            await PostCoreAsync(document, token);
            return document;
        }, ct);
    }

    /// <summary>
    /// Replaces a draft's header and lines, validated as a new draft is (400 naming the field, nothing changed). A posted document
    /// (immutable) and a stale <paramref name="expectedVersion"/> are 409. What ties the draft to other records stays: its kind,
    /// its order and, for a WZ of an order, its warehouse (the order's reservation is there) — omitted they are kept, a different
    /// value is 400. The number is still taken only at posting.
    /// </summary>
    public async Task<StockDocument> UpdateDraftAsync(Guid id, SaveStockDocument command, Guid? expectedVersion = null, CancellationToken ct = default)
    {
        if (command is null) throw new ValidationException("body", "A stock document is required.");
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var document = await db.StockDocuments.Include(d => d.Lines).FirstOrDefaultAsync(d => d.Id == id, token) ?? throw new NotFoundException("Stock document", id);
            if (document.Status != StockDocumentStatus.Draft)
                throw new ConflictException($"Stock document {document.Number} is posted and cannot be changed; correct it with a new document.");
            if (expectedVersion is not null && expectedVersion != document.Version)
                throw new ConflictException("The stock document was changed by someone else; reload it and try again.");
            var fixedErrors = new ValidationErrors();
            fixedErrors.Require(command.Kind is null || command.Kind == document.Kind, "kind", $"A draft's kind does not change; this is a {document.Kind}. Delete it and create another kind.");
            fixedErrors.Require(command.OrderId is null || command.OrderId == document.OrderId, "orderId", "A draft's order does not change.");
            var orderIssue = document.Kind == StockDocumentKind.WZ && document.OrderId is not null;
            fixedErrors.Require(!orderIssue || command.WarehouseId is null || command.WarehouseId == document.WarehouseId, "warehouseId",
                "A WZ for an order issues from the warehouse the order reserved in; its warehouse does not change.");
            fixedErrors.ThrowIfAny();
            var built = await BuildAsync(command with
            {
                Kind = document.Kind,
                OrderId = document.OrderId,
                WarehouseId = orderIssue ? document.WarehouseId : command.WarehouseId,
            }, document.Id, token);

            document.Date = built.Date;
            document.WarehouseId = built.WarehouseId;
            document.TargetWarehouseId = built.TargetWarehouseId;
            document.PartyId = built.PartyId;
            document.InvoiceId = built.InvoiceId;
            document.PurchaseInvoiceId = built.PurchaseInvoiceId;
            document.Reason = built.Reason;
            document.Notes = built.Notes;
            document.TotalValue = built.TotalValue;
            db.StockDocumentLines.RemoveRange(document.Lines);
            document.Lines.Clear();
            // Added explicitly: lines found through the navigation with their keys already set would be taken for existing rows.
            db.StockDocumentLines.AddRange(built.Lines);
            document.Lines.AddRange(built.Lines);
            document.Version = Guid.NewGuid();
            audit.Record("stock-document.changed", nameof(StockDocument), document.Id, new { kind = document.Kind.ToString(), lines = document.Lines.Count });
            return document;
        }, ct);
    }

    public async Task DeleteDraftAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var document = await db.StockDocuments.Include(d => d.Lines).FirstOrDefaultAsync(d => d.Id == id, token) ?? throw new NotFoundException("Stock document", id);
            if (document.Status != StockDocumentStatus.Draft)
                throw new ConflictException($"Stock document {document.Number} is posted and cannot be deleted; correct it with a new document.");
            db.StockDocuments.Remove(document);
            audit.Record("stock-document.deleted", nameof(StockDocument), id);
            return 0;
        }, ct);

    /// <summary>Posts a draft: 409 when it is posted already, when stock is short, or (422) when the period is closed.</summary>
    public async Task<StockDocument> PostAsync(Guid id, Guid? expectedVersion = null, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var document = await db.StockDocuments.Include(d => d.Lines).FirstOrDefaultAsync(d => d.Id == id, token) ?? throw new NotFoundException("Stock document", id);
            if (expectedVersion is not null && expectedVersion != document.Version)
                throw new ConflictException("The stock document was changed by someone else; reload it and try again.");
            if (document.Status != StockDocumentStatus.Draft)
                throw new ConflictException($"Stock document {document.Number} is already posted; a posted document cannot change.");
            await PostCoreAsync(document, token);
            return document;
        }, ct);

    public async Task<StockDocumentView> GetAsync(Guid id, CancellationToken ct = default)
    {
        var d = await db.StockDocuments.AsNoTracking().Include(x => x.Lines).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("Stock document", id);
        var warehouses = await db.Warehouses.AsNoTracking().Where(w => w.Id == d.WarehouseId || w.Id == d.TargetWarehouseId).ToDictionaryAsync(w => w.Id, w => w.Code, ct);
        var productIds = d.Lines.Select(l => l.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var partyName = d.PartyId is null ? null : await db.Parties.AsNoTracking().Where(p => p.Id == d.PartyId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        var orderNumber = d.OrderId is null ? null : await db.Orders.AsNoTracking().Where(o => o.Id == d.OrderId).Select(o => o.Number).FirstOrDefaultAsync(ct);
        var purchase = d.PurchaseInvoiceId is null ? null : await db.PurchaseInvoices.AsNoTracking().Where(p => p.Id == d.PurchaseInvoiceId)
            .Join(db.Parties, p => p.SupplierId, s => s.Id, (p, s) => new { p.SupplierInvoiceNumber, s.Name }).FirstOrDefaultAsync(ct);
        var lines = d.Lines.OrderBy(l => l.Position).Select(l => new StockDocumentLineView(l, products[l.ProductId].Sku, products[l.ProductId].Name, products[l.ProductId].Unit)).ToList();
        return new StockDocumentView(d, warehouses.GetValueOrDefault(d.WarehouseId, "?"), d.TargetWarehouseId is { } t ? warehouses.GetValueOrDefault(t) : null,
            partyName, orderNumber, lines, (await company.GetAsync(ct)).BaseCurrency, purchase?.SupplierInvoiceNumber, purchase?.Name);
    }

    public async Task<string> GetBookCurrencyAsync(CancellationToken ct = default) => (await company.GetAsync(ct)).BaseCurrency;

    public async Task<IReadOnlyList<StockDocumentListItem>> ListAsync(StockDocumentKind? kind, StockDocumentStatus? status, Guid? warehouseId, Guid? orderId,
        int skip = 0, int take = 100, Guid? purchaseInvoiceId = null, CancellationToken ct = default)
    {
        var query = db.StockDocuments.AsNoTracking();
        if (purchaseInvoiceId is not null) query = query.Where(d => d.PurchaseInvoiceId == purchaseInvoiceId);
        if (kind is not null) query = query.Where(d => d.Kind == kind);
        if (status is not null) query = query.Where(d => d.Status == status);
        if (warehouseId is not null) query = query.Where(d => d.WarehouseId == warehouseId || d.TargetWarehouseId == warehouseId);
        if (orderId is not null) query = query.Where(d => d.OrderId == orderId);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Join(db.Warehouses, d => d.WarehouseId, w => w.Id, (d, w) => new { Document = d, w.Code })
            .GroupJoin(db.Parties, x => x.Document.PartyId, p => p.Id, (x, parties) => new { x.Document, x.Code, parties })
            .SelectMany(x => x.parties.DefaultIfEmpty(), (x, p) => new { x.Document, x.Code, PartyName = p == null ? null : p.Name })
            .ToListAsync(ct);
        return rows.Select(r => new StockDocumentListItem(r.Document.Id, r.Document.Kind, r.Document.Status, r.Document.Number, r.Document.Date, r.Document.WarehouseId, r.Code,
            r.Document.TargetWarehouseId, r.Document.PartyId, r.PartyName, r.Document.OrderId, r.Document.TotalValue, r.Document.CreatedAt, r.Document.PurchaseInvoiceId))
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).ToList();
    }

    /// <summary>
    /// The PZs naming each of the given purchase invoices (one query for a whole list; oldest first per invoice). Drafts are included only
    /// when <paramref name="includeDrafts"/>: a list of invoices shows what was received, the receipt form also warns of an unposted PZ.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<PurchaseInvoiceReceipt>>> ReceiptsOfPurchaseInvoicesAsync(IReadOnlyCollection<Guid> purchaseInvoiceIds,
        bool includeDrafts = false, CancellationToken ct = default)
    {
        if (purchaseInvoiceIds.Count == 0) return new Dictionary<Guid, IReadOnlyList<PurchaseInvoiceReceipt>>();
        var ids = purchaseInvoiceIds.Distinct().ToList();
        var rows = await db.StockDocuments.AsNoTracking()
            .Where(d => d.Kind == StockDocumentKind.PZ && d.PurchaseInvoiceId != null && ids.Contains(d.PurchaseInvoiceId.Value)
                        && (includeDrafts || d.Status == StockDocumentStatus.Posted))
            .Select(d => new { d.PurchaseInvoiceId, d.Id, d.Status, d.Number, d.Date, d.TotalValue, d.CreatedAt })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Date).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .GroupBy(r => r.PurchaseInvoiceId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<PurchaseInvoiceReceipt>)g.Select(r => new PurchaseInvoiceReceipt(g.Key, r.Id, r.Status, r.Number, r.Date, r.TotalValue)).ToList());
    }

    /// <summary>
    /// A proposal for receiving a purchase invoice's goods on a PZ (docs/inventory.md, "Receiving a purchase invoice"); nothing is written.
    /// Only a booked invoice (its PLN values exist only then) that is not a correction (a correction's goods side is a return or a PW/RW,
    /// not a receipt): otherwise 409. Lines: those booked to the goods accounts (<see cref="PostingAccounts.PurchaseClearing"/>,
    /// <see cref="PostingAccounts.Inventory"/> or their analytic sub-accounts) with their book-currency net. Dated today: the PZ records
    /// when the goods came in, which is when a person receives them, not when the paper reached the office.
    /// </summary>
    public async Task<StockReceiptDraft> DraftFromPurchaseInvoiceAsync(Guid purchaseInvoiceId, CancellationToken ct = default)
    {
        var invoice = await db.PurchaseInvoices.AsNoTracking().Include(p => p.Lines).FirstOrDefaultAsync(p => p.Id == purchaseInvoiceId, ct)
                      ?? throw new NotFoundException("Purchase invoice", purchaseInvoiceId);
        if (invoice.Kind == Purchases.PurchaseInvoiceKind.Correction)
            throw new ConflictException($"Purchase invoice {invoice.SupplierInvoiceNumber} is a correction; goods are received on the invoice it corrects " +
                                        $"(a returned or missing part is an RW, a surplus a PW).");
        if (invoice.Status != Purchases.PurchaseInvoiceStatus.Booked)
            throw new ConflictException($"Purchase invoice {invoice.SupplierInvoiceNumber} is a draft; book it first (its values in the book currency are set on booking).");
        var a = accounts.Value;
        bool IsGoods(string code) => new[] { a.PurchaseClearing, a.Inventory }.Any(g => code == g || code.StartsWith(g + "-", StringComparison.Ordinal));
        var lines = invoice.Lines.OrderBy(l => l.Position).Where(l => IsGoods(l.AccountCode))
            .Select(l => new StockReceiptDraftLine(l.Position, l.Description, l.AccountCode, ValueOf(l))).ToList();
        // What the invoice debited to the goods account for the line: its net plus any VAT not deducted (cena nabycia, art. 28 ust. 2 uor),
        // both in the book currency — so the PZ's credit to 300 is exactly the invoice's debit and the clearing account settles.
        decimal ValueOf(Purchases.PurchaseInvoiceLine l) => l.NetBase is { } net
            ? net + (l.VatBase ?? 0) - (l.DeductibleVatBase ?? 0)
            : throw new ConflictException($"Purchase invoice {invoice.SupplierInvoiceNumber} has no book-currency values on line {l.Position}.");
        var supplierName = await db.Parties.AsNoTracking().Where(p => p.Id == invoice.SupplierId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? invoice.SupplierName ?? "";
        var receipts = await ReceiptsOfPurchaseInvoicesAsync([invoice.Id], includeDrafts: true, ct);
        return new StockReceiptDraft(invoice.Id, invoice.SupplierInvoiceNumber, invoice.SupplierId, supplierName, calendar.Today(),
            (await company.GetAsync(ct)).BaseCurrency, lines, receipts.GetValueOrDefault(invoice.Id) ?? []);
    }

    // ---- building a draft -------------------------------------------------------------------------------------------

    /// <summary>Validates a draft (every field, 400 naming each wrong one) and builds it with the given id; nothing is written.</summary>
    private async Task<StockDocument> BuildAsync(SaveStockDocument? c, Guid id, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "A stock document is required.");
        var errors = new ValidationErrors();
        if (c.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors.Add("kind", "kind is required: PZ, WZ, MM, PW, RW or ZW.");
            errors.ThrowIfAny();
            throw new InvalidOperationException();
        }
        var warehouse = c.WarehouseId is { } wid
            ? await db.Warehouses.AsNoTracking().FirstOrDefaultAsync(w => w.Id == wid, ct)
            : await db.Warehouses.AsNoTracking().FirstOrDefaultAsync(w => w.IsDefault, ct);
        if (warehouse is null && c.WarehouseId is null) errors.Add("warehouseId", "There is no default warehouse; choose one.");
        else if (warehouse is null) errors.Add("warehouseId", $"No such warehouse: {c.WarehouseId}.");
        else errors.Require(warehouse.IsActive, "warehouseId", $"Warehouse {warehouse.Code} is inactive.");
        if (kind == StockDocumentKind.MM)
        {
            var target = c.TargetWarehouseId is { } tid ? await db.Warehouses.AsNoTracking().FirstOrDefaultAsync(w => w.Id == tid, ct) : null;
            if (target is null && c.TargetWarehouseId is null) errors.Add("targetWarehouseId", "A transfer (MM) needs targetWarehouseId.");
            else if (target is null) errors.Add("targetWarehouseId", $"No such warehouse: {c.TargetWarehouseId}.");
            else
            {
                errors.Require(target.IsActive, "targetWarehouseId", $"Warehouse {target.Code} is inactive.");
                errors.Require(target.Id != warehouse?.Id, "targetWarehouseId", "A transfer goes to another warehouse.");
            }
        }
        else errors.Require(c.TargetWarehouseId is null, "targetWarehouseId", "Only a transfer (MM) has a target warehouse.");
        var reason = errors.Text(c.Reason, "reason", 500, required: kind is StockDocumentKind.PW or StockDocumentKind.RW);
        var notes = errors.Text(c.Notes, "notes", 2000, required: false);
        if (c.PartyId is { } partyId) errors.Require(await db.Parties.AnyAsync(p => p.Id == partyId, ct), "partyId", $"No such party: {partyId}.");
        Orders.Order? order = null;
        if (c.OrderId is { } orderId)
        {
            order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
            if (order is null) errors.Add("orderId", $"No such order: {orderId}.");
            errors.Require(kind is StockDocumentKind.WZ or StockDocumentKind.ZW, "orderId", "Only a WZ or a return (ZW) refers to an order.");
        }
        else errors.Require(kind != StockDocumentKind.ZW, "orderId", "A customer return (ZW) names the order whose goods come back.");
        if (c.InvoiceId is { } invoiceId) errors.Require(await db.Invoices.AnyAsync(i => i.Id == invoiceId, ct), "invoiceId", $"No such invoice: {invoiceId}.");
        if (c.PurchaseInvoiceId is { } purchaseId)
        {
            errors.Require(kind == StockDocumentKind.PZ, "purchaseInvoiceId", "Only a receipt (PZ) refers to a purchase invoice.");
            errors.Require(await db.PurchaseInvoices.AnyAsync(i => i.Id == purchaseId, ct), "purchaseInvoiceId", $"No such purchase invoice: {purchaseId}.");
        }
        var date = c.Date ?? calendar.Today();

        var lines = new List<StockDocumentLine>();
        if (c.Lines is not { Count: > 0 }) errors.Add("lines", "A stock document needs at least one line.");
        else if (c.Lines.Count > MaxLines) errors.Add("lines", $"A stock document has at most {MaxLines} lines.");
        else
        {
            var productIds = c.Lines.Where(l => l?.ProductId is not null).Select(l => l!.ProductId!.Value).Distinct().ToList();
            var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
            var minor = Currency.Parse((await company.GetAsync(ct)).BaseCurrency).MinorUnits;
            for (var i = 0; i < c.Lines.Count; i++)
            {
                var input = c.Lines[i];
                var field = $"lines[{i}]";
                if (input is null) { errors.Add(field, "A line is required."); continue; }
                Product? product = null;
                if (input.ProductId is not { } productId) errors.Add($"{field}.productId", "productId is required.");
                else if (!products.TryGetValue(productId, out product)) errors.Add($"{field}.productId", $"No such product: {productId}.");
                else if (product.Kind != ProductKind.Goods) { errors.Add($"{field}.productId", $"{product.Sku} is a service; services have no stock."); product = null; }
                var quantity = input.Quantity ?? 0;
                if (input.Quantity is null) errors.Add($"{field}.quantity", "quantity is required.");
                else if (quantity <= 0) errors.Add($"{field}.quantity", "quantity must be positive.");
                else if (quantity >= 1_000_000_000m) errors.Add($"{field}.quantity", "quantity is too large.");
                else if (decimal.Round(quantity, 4) != quantity) errors.Add($"{field}.quantity", "quantity has at most 4 decimal places.");
                decimal? unitCost = null;
                decimal value = 0;
                if (kind == StockDocumentKind.PZ)
                {
                    if (input.Value is { } given)
                    {
                        if (given < 0 || given >= 1_000_000_000_000m) errors.Add($"{field}.value", "value must be between 0 and 10^12.");
                        else if (decimal.Round(given, minor) != given) errors.Add($"{field}.value", $"value is in whole minor units ({minor} decimal places).");
                        else if (quantity > 0) { value = given; unitCost = decimal.Round(given / quantity, 6, MidpointRounding.AwayFromZero); }
                    }
                    else if (input.UnitCost is not { } cost) errors.Add($"{field}.unitCost", "A receipt (PZ) line needs unitCost (or value).");
                    else if (cost < 0 || cost >= 1_000_000_000_000m) errors.Add($"{field}.unitCost", "unitCost must be between 0 and 10^12.");
                    else if (decimal.Round(cost, 6) != cost) errors.Add($"{field}.unitCost", "unitCost has at most 6 decimal places.");
                    else { unitCost = cost; value = Fifo.ValueOf(quantity, cost, minor); }
                }
                else if (kind == StockDocumentKind.PW && input.UnitCost is { } surplusCost)
                {
                    if (surplusCost < 0 || surplusCost >= 1_000_000_000_000m || decimal.Round(surplusCost, 6) != surplusCost)
                        errors.Add($"{field}.unitCost", "unitCost must be between 0 and 10^12 with at most 6 decimal places.");
                    else unitCost = surplusCost;
                }
                if (product is not null)
                    lines.Add(new StockDocumentLine { DocumentId = id, Position = i + 1, ProductId = product.Id, Quantity = quantity, UnitCost = unitCost, Value = value });
            }
        }
        errors.ThrowIfAny();
        return new StockDocument
        {
            Id = id,
            Kind = kind,
            Status = StockDocumentStatus.Draft,
            Date = date,
            WarehouseId = warehouse!.Id,
            TargetWarehouseId = kind == StockDocumentKind.MM ? c.TargetWarehouseId : null,
            PartyId = c.PartyId ?? order?.PartyId,
            OrderId = c.OrderId,
            InvoiceId = c.InvoiceId ?? order?.InvoiceId,
            PurchaseInvoiceId = c.PurchaseInvoiceId,
            Reason = reason,
            Notes = notes,
            TotalValue = lines.Sum(l => l.Value),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = actor.Name,
            Lines = lines,
        };
    }

    // ---- posting -----------------------------------------------------------------------------------------------------

    private async Task PostCoreAsync(StockDocument document, CancellationToken ct)
    {
        // Zero-value documents post no journal entry, so the period is checked here as well as by the journal.
        await periods.EnsureOpenAsync(document.Date, ct);
        var bookCurrency = Currency.Parse((await company.GetAsync(ct)).BaseCurrency);
        var minor = bookCurrency.MinorUnits;
        var productIds = document.Lines.Select(l => l.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var warehouses = await db.Warehouses.AsNoTracking().Where(w => w.Id == document.WarehouseId || w.Id == document.TargetWarehouseId).ToDictionaryAsync(w => w.Id, ct);
        if (warehouses.Values.FirstOrDefault(w => !w.IsActive) is { } inactive)
            throw new ConflictException($"Warehouse {inactive.Code} is inactive; stock documents cannot be posted to it.");
        var movements = new List<StockMovement>();
        var lastSequence = new Dictionary<Guid, long>();

        if (StockDocument.Receives(document.Kind))
        {
            var returns = document.Kind == StockDocumentKind.ZW ? await ReturnCostsAsync(document, ct) : null;
            // Lock order: one stock row at a time, by product id.
            foreach (var line in document.Lines.OrderBy(l => l.ProductId).ThenBy(l => l.Position))
            {
                var product = products[line.ProductId];
                switch (document.Kind)
                {
                    case StockDocumentKind.PW:
                        if (line.UnitCost is null)
                        {
                            var current = await LayersAsync(document.WarehouseId, line.ProductId, ct);
                            var lastCost = await db.StockLayers.AsNoTracking().Where(l => l.ProductId == line.ProductId)
                                .OrderByDescending(l => l.Sequence).ThenByDescending(l => l.Id).Select(l => (decimal?)l.UnitCost).FirstOrDefaultAsync(ct);
                            line.UnitCost = Fifo.SurplusUnitCost(current.Select(ToFifo).ToList(), lastCost, product.UnitCost)
                                            ?? throw new ValidationException($"lines[{line.Position - 1}].unitCost",
                                                $"No cost of {product.Sku} is known (no stock, no earlier receipt, no unit cost in the catalogue); give unitCost.");
                        }
                        line.Value = Fifo.ValueOf(line.Quantity, line.UnitCost.Value, minor);
                        break;
                    case StockDocumentKind.ZW:
                        line.Value = returns!.Take(product, line.Quantity, minor);
                        line.UnitCost = decimal.Round(line.Value / line.Quantity, 6, MidpointRounding.AwayFromZero);
                        break;
                }
                await book.AddAsync(document.WarehouseId, line.ProductId, line.Quantity, ct);
                // Posting order of the product's layers: the next number after its newest layer, read under the stock row's lock
                // (clock time would tie when two receipts share an instant, and FIFO must never depend on a tie-break).
                if (!lastSequence.TryGetValue(line.ProductId, out var last))
                    last = await db.StockLayers.Where(l => l.ProductId == line.ProductId).MaxAsync(l => (long?)l.Sequence, ct) ?? 0;
                lastSequence[line.ProductId] = ++last;
                var layer = new StockLayer
                {
                    WarehouseId = document.WarehouseId, ProductId = line.ProductId, DocumentId = document.Id, ReceivedOn = document.Date, Sequence = last,
                    Quantity = line.Quantity, UnitCost = line.UnitCost!.Value, Value = line.Value, Remaining = line.Quantity, RemainingValue = line.Value,
                };
                db.StockLayers.Add(layer);
                movements.Add(Movement(document, document.WarehouseId, line.ProductId, layer.Id, line.Quantity, line.Value));
            }
        }
        else
        {
            var reservations = document.Kind == StockDocumentKind.WZ && document.OrderId is { } orderId
                ? await db.StockReservations.Where(r => r.OrderId == orderId && r.WarehouseId == document.WarehouseId).ToListAsync(ct)
                : [];
            foreach (var group in document.Lines.GroupBy(l => l.ProductId).OrderBy(g => g.Key))
            {
                var product = products[group.Key];
                var quantity = group.Sum(l => l.Quantity);
                var reservation = reservations.FirstOrDefault(r => r.ProductId == group.Key && !r.Released);
                var fromReserved = Math.Min(quantity, reservation?.Reserved ?? 0);
                if (!await book.TryRemoveAsync(document.WarehouseId, group.Key, quantity, fromReserved, ct))
                {
                    var (onHand, reserved) = await book.ReadAsync(document.WarehouseId, group.Key, ct);
                    var available = onHand - reserved + fromReserved;
                    throw new ConflictException(
                        $"Not enough {product.Sku} {product.Name} in {warehouses[document.WarehouseId].Code}: {Qty(available)} {product.Unit} available" +
                        (reserved - fromReserved > 0 ? $" ({Qty(onHand)} on hand, {Qty(reserved - fromReserved)} reserved for other orders)" : "") +
                        $", {Qty(quantity)} needed.");
                }
                if (reservation is not null)
                {
                    reservation.Reserved -= fromReserved;
                    reservation.Issued += quantity;
                    reservation.ChangedAt = clock.GetUtcNow();
                }
                var layers = await LayersAsync(document.WarehouseId, group.Key, ct);
                foreach (var line in group.OrderBy(l => l.Position))
                {
                    var takes = Fifo.Consume(layers.Where(l => l.Remaining > 0).Select(ToFifo).ToList(), line.Quantity, minor);
                    foreach (var take in takes)
                    {
                        var layer = layers.First(l => l.Id == take.LayerId);
                        layer.Remaining -= take.Quantity;
                        layer.RemainingValue -= take.Value;
                        movements.Add(Movement(document, document.WarehouseId, group.Key, layer.Id, -take.Quantity, -take.Value));
                        if (document.Kind == StockDocumentKind.MM)
                        {
                            // The layer moves at its cost and keeps its age, so FIFO in the target warehouse sees the original receipt.
                            var moved = new StockLayer
                            {
                                WarehouseId = document.TargetWarehouseId!.Value, ProductId = group.Key, DocumentId = document.Id, ReceivedOn = layer.ReceivedOn,
                                Sequence = layer.Sequence, Quantity = take.Quantity, UnitCost = layer.UnitCost, Value = take.Value,
                                Remaining = take.Quantity, RemainingValue = take.Value,
                            };
                            db.StockLayers.Add(moved);
                            movements.Add(Movement(document, moved.WarehouseId, group.Key, moved.Id, take.Quantity, take.Value));
                        }
                    }
                    line.Value = takes.Sum(t => t.Value);
                    line.UnitCost = decimal.Round(line.Value / line.Quantity, 6, MidpointRounding.AwayFromZero);
                }
                if (document.Kind == StockDocumentKind.MM) await book.AddAsync(document.TargetWarehouseId!.Value, group.Key, quantity, ct);
            }
        }
        db.StockMovements.AddRange(movements);
        document.TotalValue = document.Lines.Sum(l => l.Value);

        var series = (await referenceData.GetAsync(ct)).NumberingSeries.FirstOrDefault(s => s.DocumentType == StockDocument.DocumentTypeOf(document.Kind) && s.IsDefault)
                     ?? await db.NumberingSeries.AsNoTracking().FirstOrDefaultAsync(s => s.DocumentType == StockDocument.DocumentTypeOf(document.Kind) && s.IsDefault, ct)
                     ?? throw new InvalidOperationException($"No default {document.Kind} numbering series; the database was not initialised.");
        document.Number = await numbering.NextAsync(series, document.Date, ct);
        document.SeriesId = series.Id;

        if (PostingOf(document) is { } posting && document.TotalValue != 0)
        {
            var entry = await journal.PostAsync(document.Date, $"{document.Kind} {document.Number}", StockDocument.SourceType, document.Id, document.Number, bookCurrency,
                [new JournalLineDraft(posting.Debit, document.TotalValue, 0), new JournalLineDraft(posting.Credit, 0, document.TotalValue)], ct);
            document.JournalEntryId = entry.Id;
        }

        var now = clock.GetUtcNow();
        var type = StockDocument.DocumentTypeOf(document.Kind);
        if (document.OrderId is { } linkedOrder)
            db.DocumentLinks.Add(new DocumentLink { FromType = Orders.Order.DocumentType, FromId = linkedOrder, ToType = type, ToId = document.Id, CreatedAt = now });
        if (document.InvoiceId is { } linkedInvoice)
            db.DocumentLinks.Add(new DocumentLink { FromType = NumberingSeries.InvoiceDocumentType, FromId = linkedInvoice, ToType = type, ToId = document.Id, CreatedAt = now });
        document.Status = StockDocumentStatus.Posted;
        document.PostedAt = now;
        document.PostedBy = actor.Name;
        document.Version = Guid.NewGuid();
        audit.Record("stock-document.posted", nameof(StockDocument), document.Id, new { document.Number, kind = document.Kind.ToString(), document.TotalValue, document.Date });
    }

    /// <summary>
    /// The accounts a posted document moves its value between (docs/inventory.md, "Postings"); null for a transfer, which stays on
    /// 330 (both warehouses keep their goods on the one stock account, so moving them changes no balance).
    /// </summary>
    private (string Debit, string Credit)? PostingOf(StockDocument document)
    {
        var a = accounts.Value;
        return document.Kind switch
        {
            StockDocumentKind.PZ => (a.Inventory, a.PurchaseClearing),
            StockDocumentKind.WZ => (a.CostOfGoodsSold, a.Inventory),
            StockDocumentKind.PW => (a.Inventory, a.StockSurplus),
            StockDocumentKind.RW => (a.StockShortage, a.Inventory),
            StockDocumentKind.ZW => (a.Inventory, a.CostOfGoodsSold),
            _ => null,
        };
    }

    private async Task<List<StockLayer>> LayersAsync(Guid warehouseId, Guid productId, CancellationToken ct) =>
        await db.StockLayers.Where(l => l.WarehouseId == warehouseId && l.ProductId == productId && l.Remaining > 0)
            .OrderBy(l => l.ReceivedOn).ThenBy(l => l.Sequence).ThenBy(l => l.Id).ToListAsync(ct);

    private static FifoLayer ToFifo(StockLayer l) => new(l.Id, l.Remaining, l.RemainingValue, l.UnitCost);

    private static StockMovement Movement(StockDocument d, Guid warehouseId, Guid productId, Guid layerId, decimal quantity, decimal value) =>
        new() { DocumentId = d.Id, WarehouseId = warehouseId, ProductId = productId, LayerId = layerId, Date = d.Date, Quantity = quantity, Value = value };

    internal static string Qty(decimal quantity) => quantity.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What the order's WZs issued and its earlier returns brought back, per product: a return is valued from what is still out.</summary>
    private async Task<ReturnCosts> ReturnCostsAsync(StockDocument document, CancellationToken ct)
    {
        var orderId = document.OrderId!.Value;
        var rows = await (
                from m in db.StockMovements.AsNoTracking()
                join d in db.StockDocuments.AsNoTracking() on m.DocumentId equals d.Id
                where d.OrderId == orderId && d.Status == StockDocumentStatus.Posted && (d.Kind == StockDocumentKind.WZ || d.Kind == StockDocumentKind.ZW)
                select new { m.ProductId, m.Quantity, m.Value })
            .ToListAsync(ct);
        // WZ movements are negative, ZW positive: minus their sum is what is still with the customer.
        return new ReturnCosts(rows.GroupBy(r => r.ProductId).ToDictionary(g => g.Key, g => (Quantity: -g.Sum(r => r.Quantity), Value: -g.Sum(r => r.Value))));
    }

    private sealed class ReturnCosts(Dictionary<Guid, (decimal Quantity, decimal Value)> outstanding)
    {
        public decimal Take(Product product, decimal quantity, int minor)
        {
            var (outQuantity, outValue) = outstanding.GetValueOrDefault(product.Id);
            if (quantity > outQuantity)
                throw new ConflictException($"Only {Qty(outQuantity)} {product.Unit} of {product.Sku} {product.Name} were issued for this order and not yet returned; {Qty(quantity)} cannot come back.");
            var value = Fifo.ReturnValue(quantity, outQuantity, outValue, minor);
            outstanding[product.Id] = (outQuantity - quantity, outValue - value);
            return value;
        }
    }
}
