using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Orders;

public sealed record CreateOrder(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Guid? CampaignId = null,
    ShopOrigin? Origin = null);

/// <summary>Where a shop order came from (Commerce): recorded on the order; the unique (channel, external id) keeps it single.</summary>
public sealed record ShopOrigin(Guid ChannelId, string ExternalOrderId, string? ExternalStatus, DateTimeOffset ExternalModifiedAt)
{
    /// <summary>
    /// What a shop's order id must contain for a search as typed (lower case; null for no search). "#627949" is how customers
    /// quote a shop order and the shop's id itself has no '#'; a term of '#' alone is looked for as it is. The order list and the
    /// integration log search the shop's order id this way.
    /// </summary>
    public static string? SearchTerm(string? search)
    {
        if (string.IsNullOrWhiteSpace(search)) return null;
        var lower = search.Trim().ToLowerInvariant();
        var id = lower.TrimStart('#').Trim();
        return id.Length == 0 ? lower : id;
    }
}

/// <summary>An order moved to another status (published inside the status change's transaction; Commerce sends it back to the shop via the outbox).</summary>
public sealed record OrderStatusChanged(Guid OrderId, OrderStatus From, OrderStatus To) : Events.IDomainEvent;

/// <param name="ChannelName">The sales channel (web shop) the order came from, with the shop's own order id; both null for a manual order.</param>
public sealed record OrderListItem(Guid Id, string Number, OrderStatus Status, Guid PartyId, string PartyName, DateOnly OrderedOn,
    string Currency, decimal TotalNet, decimal TotalVat, decimal TotalGross, Guid? InvoiceId, DateTimeOffset CreatedAt,
    Guid? ChannelId = null, string? ChannelName = null, string? ExternalOrderId = null);

/// <summary>
/// What the order list shows, every given criterion combined with AND. <paramref name="Search"/> finds the order number,
/// the shop's order id (a leading '#' ignored), or the customer by name, e-mail or tax id as the customer list does;
/// <paramref name="ManualOnly"/> keeps the orders entered by hand (no channel) and excludes <paramref name="ChannelId"/>.
/// <paramref name="From"/>/<paramref name="To"/> bound <see cref="Order.OrderedOn"/>, both inclusive.
/// </summary>
public sealed record OrderListFilter(string? Search = null, OrderStatus? Status = null, Guid? ChannelId = null, bool ManualOnly = false,
    DateOnly? From = null, DateOnly? To = null, Guid? PartyId = null)
{
    public const int MaxSearchLength = 100;

    /// <summary>How the list's channel criterion names the orders entered by hand (no channel), in the API and the page's address.</summary>
    public const string ManualChannel = "manual";

    /// <summary>A channel criterion as written (a channel's id or <see cref="ManualChannel"/>); anything else is 400 naming channelId.</summary>
    public static (Guid? ChannelId, bool Manual) ParseChannel(string? channelId)
    {
        if (string.IsNullOrWhiteSpace(channelId)) return (null, false);
        if (string.Equals(channelId.Trim(), ManualChannel, StringComparison.OrdinalIgnoreCase)) return (null, true);
        return Guid.TryParse(channelId.Trim(), out var id) ? (id, false)
            : throw new ValidationException("channelId", $"channelId must be a sales channel's id or '{ManualChannel}'.");
    }
}

/// <param name="TrackingUrl">The carrier's tracking page for the parcel, when the carrier is one <see cref="CarrierTracking"/> knows.</param>
public sealed record OrderView(Order Order, InvoiceTotals Totals, IReadOnlyList<LinkedDocument> Links, IReadOnlyList<OrderStatusChange>? History = null,
    string? TrackingUrl = null, string? PartyName = null);

/// <summary>Shipping an order: the parcel's tracking number and carrier (both optional), and the day it left (default today).</summary>
public sealed record ShipOrder(string? TrackingNumber = null, string? Carrier = null, DateOnly? Date = null);

/// <summary>Orders: creation (numbered at once), status moves, and invoicing one or more orders of a buyer together.</summary>
public sealed class OrderService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    InvoiceService invoices,
    ReferenceData referenceData,
    DocumentNumbering numbering,
    DocumentLinkQueries links,
    BusinessCalendar calendar,
    TimeProvider clock,
    Crm.Credit.CreditControl creditControl,
    Inventory.OrderFulfilment fulfilment, Events.DomainEventPublisher events,
    ICurrentActor actor,
    CarrierTracking carriers)
{
    /// <summary>
    /// A new order; credit control blocks it unless an entitled user approves with <paramref name="creditOverride"/>
    /// (an order made from an accepted offer is checked too: it is the buyer's new commitment).
    /// </summary>
    public async Task<Order> CreateAsync(CreateOrder command, CancellationToken ct = default) => await CreateAsync(command, null, ct);

    public async Task<Order> CreateAsync(CreateOrder command, Crm.Credit.CreditOverride? creditOverride, CancellationToken ct = default) =>
        (await CreateAsync([command], null, creditOverride, ct))[0];

    /// <summary>
    /// Creates several orders in one unit of work (or the caller's), each exactly as <see cref="CreateAsync(CreateOrder, CancellationToken)"/>
    /// would one after the other in the order given: lines and prices by the invoice's rules, credit control (each order against
    /// the party's ledger exposure, as on its own: an order is no debt, so earlier orders of the batch do not add up), consecutive numbers in the order given, status history,
    /// stock reservation (a later order sees what the earlier ones reserved), audit records. Reads do not grow with the
    /// number of orders: parties, products, prices, credit figures, reservations, warehouses and stock levels are read once
    /// for the batch, numbers come from one counter update. All or nothing: any refusal throws and nothing is written —
    /// field errors are named <c>orders[i].lines[0].quantity</c>, a credit block is <see cref="Crm.Credit.CreditBlockedException"/>
    /// with <c>Item = "orders[i]"</c>, a stock or state conflict's message starts with <c>orders[i]: </c>. A batch has no
    /// credit override. Returned in the order given.
    /// </summary>
    public async Task<IReadOnlyList<Order>> CreateManyAsync(IReadOnlyList<CreateOrder> commands, CancellationToken ct = default)
    {
        if (commands is null || commands.Count == 0) throw new ValidationException(ItemsField, "Give at least one order.");
        if (commands.Count > InvoiceService.MaxIssueBatch) throw new ValidationException(ItemsField, $"At most {InvoiceService.MaxIssueBatch} orders can be created at once.");
        return await CreateAsync(commands, ItemsField, null, ct);
    }

    /// <summary>How <see cref="CreateManyAsync"/> names its items in errors: <c>orders[3].lines[0].quantity</c>.</summary>
    public const string ItemsField = "orders";

    /// <param name="itemField">null for the single call (errors unprefixed, as they always were); <see cref="ItemsField"/> for a batch.</param>
    private async Task<IReadOnlyList<Order>> CreateAsync(IReadOnlyList<CreateOrder> commands, string? itemField, Crm.Credit.CreditOverride? creditOverride, CancellationToken ct)
    {
        var orders = await BuildAsync(commands, itemField, ct);
        await unitOfWork.ExecuteAsync(async token =>
        {
            if (creditOverride is not null)
                await creditControl.EnforceAsync(Order.DocumentType, orders[0].Id, orders[0].PartyId, orders[0].Currency, orders[0].TotalGross, creditOverride, token);
            else
            {
                // As EnforceAsync without an override, for all the orders at once: the first blocked one refuses the batch. An
                // order is no debt in the ledger (exposure = ledger balance + the document), so an earlier order of the batch
                // does not count against a later one, exactly as when they are created one after the other.
                var decisions = await creditControl.CheckInOrderAsync(
                    [.. orders.Select(o => new Crm.Credit.CreditRequest(o.PartyId, o.Currency, o.TotalGross))], earlierAddUp: false, token);
                for (var i = 0; i < decisions.Count; i++)
                    if (decisions[i].Blocked)
                        throw itemField is null ? new Crm.Credit.CreditBlockedException(decisions[i]) : new Crm.Credit.CreditBlockedException(decisions[i], $"{itemField}[{i}]");
            }
            var today = calendar.Today();
            var series = (await referenceData.GetAsync(token)).NumberingSeries.FirstOrDefault(s => s.DocumentType == Order.DocumentType && s.IsDefault)
                         ?? throw new InvalidOperationException("No default order numbering series; the database was not initialised.");
            var numbers = await numbering.NextRangeAsync(series, [.. orders.Select(_ => today)], token);
            for (var i = 0; i < orders.Count; i++)
            {
                var order = orders[i];
                order.Number = numbers[i];
                order.SeriesId = series.Id;
                order.OrderedOn = today;
                db.Orders.Add(order);
                Record(order, null, OrderStatus.Accepted);
            }
            // An accepted order holds its goods at once (docs/inventory.md, "Reservations").
            await fulfilment.ReserveManyAsync(orders, itemField, token);
            foreach (var order in orders)
            {
                audit.Record("order.created", nameof(Order), order.Id, new { order.Number, order.PartyId, order.Currency, order.TotalGross, lines = order.Lines.Count });
                Kontor.Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(Order), order.Id, order.Lines);
            }
            return 0;
        }, ct);
        return orders;
    }

    /// <summary>
    /// Moves the order to <paramref name="target"/> if <see cref="Order.CanMove"/> allows it (409 otherwise).
    /// <paramref name="expectedVersion"/>, when given, must match: a person acting on a stale screen gets 409.
    /// Shipped and Delivered go through <see cref="ShipAsync"/> / <see cref="DeliverAsync"/> (goods issue, dates).
    /// </summary>
    public async Task<Order> ChangeStatusAsync(Guid id, OrderStatus target, Guid? expectedVersion = null, CancellationToken ct = default)
    {
        if (target == OrderStatus.Shipped) return await ShipAsync(id, null, expectedVersion, ct);
        if (target == OrderStatus.Delivered) return await DeliverAsync(id, null, expectedVersion, ct);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await LoadForMoveAsync(id, target, expectedVersion, token);
            if (target == OrderStatus.Cancelled && order.InvoiceId is not null)
                throw new ConflictException($"Order {order.Number} was invoiced and cannot be cancelled; correct the invoice instead.");
            if (target == OrderStatus.Cancelled
                && await db.Invoices.AnyAsync(i => i.OrderId == order.Id && i.Kind == InvoiceKind.Advance && i.Status == InvoiceStatus.Issued, token))
                throw new ConflictException($"Order {order.Number} has issued advance invoices and cannot be cancelled; settle them first.");
            if (target == OrderStatus.Cancelled) await fulfilment.ReleaseAsync(order.Id, token);
            await MoveAsync(order, target, token);
            return order;
        }, ct);
    }

    /// <summary>
    /// Ships the order (from Accepted — picking passes implicitly — or InProgress), in ONE transaction: the goods not yet
    /// issued leave on a posted WZ at FIFO cost consuming the reservation (services have no stock; not enough stock → 409),
    /// the tracking number, carrier and day are recorded, the status becomes Shipped and <see cref="OrderStatusChanged"/> is
    /// published (back to the shop through the outbox; an OnShipment channel's invoice is issued by its handler).
    /// </summary>
    public async Task<Order> ShipAsync(Guid id, ShipOrder? command, Guid? expectedVersion = null, CancellationToken ct = default)
    {
        command ??= new ShipOrder();
        var tracking = Clean(command.TrackingNumber);
        var carrier = Clean(command.Carrier);
        var errors = new ValidationErrors();
        errors.Require(tracking is null || tracking.Length <= Order.TrackingNumberMaxLength, "trackingNumber", $"The tracking number may have at most {Order.TrackingNumberMaxLength} characters.");
        errors.Require(tracking is null || tracking.All(c => !char.IsControl(c)), "trackingNumber", "The tracking number may not contain control characters.");
        errors.Require(carrier is null || carrier.Length <= Order.CarrierMaxLength, "carrier", $"The carrier may have at most {Order.CarrierMaxLength} characters.");
        errors.Require(carrier is null || carrier.All(c => !char.IsControl(c)), "carrier", "The carrier may not contain control characters.");
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await LoadForMoveAsync(id, OrderStatus.Shipped, expectedVersion, token);
            var date = CheckDate(command.Date, order.OrderedOn, Messages.Translate("the order date"));
            await fulfilment.IssueRestForShipmentAsync(order, date, token);
            order.TrackingNumber = tracking;
            order.Carrier = carrier;
            order.ShippedOn = date;
            await MoveAsync(order, OrderStatus.Shipped, token);
            return order;
        }, ct);
    }

    /// <summary>The parcel arrived: Shipped → Delivered on <paramref name="date"/> (default today; not before it shipped).</summary>
    public async Task<Order> DeliverAsync(Guid id, DateOnly? date, Guid? expectedVersion = null, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await LoadForMoveAsync(id, OrderStatus.Delivered, expectedVersion, token);
            order.DeliveredOn = CheckDate(date, order.ShippedOn ?? order.OrderedOn, Messages.Translate("the day it shipped"));
            await MoveAsync(order, OrderStatus.Delivered, token);
            return order;
        }, ct);

    private async Task<Order> LoadForMoveAsync(Guid id, OrderStatus target, Guid? expectedVersion, CancellationToken ct)
    {
        var order = await LoadAsync(id, ct);
        if (expectedVersion is not null && expectedVersion != order.Version)
            throw new ConflictException($"Order {order.Number} was changed by someone else; reload it and try again.");
        if (!Order.CanMove(order.Status, target))
            throw new ConflictException($"Order {order.Number} is {Name(order.Status)} and cannot become {Name(target)}.");
        return order;
    }

    private DateOnly CheckDate(DateOnly? date, DateOnly notBefore, string notBeforeName)
    {
        var today = calendar.Today();
        var value = date ?? today;
        if (value < notBefore) throw new ValidationException("date", $"The date may not be before {notBeforeName} ({notBefore:yyyy-MM-dd}).");
        if (value > today) throw new ValidationException("date", $"The date may not be in the future (today is {today:yyyy-MM-dd}).");
        return value;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// The move itself: status, version, history row, audit, event (inside the caller's unit of work). THE one way an order's
    /// status changes, also for returns and shop refunds (<see cref="OrderReturnService"/>), which check their own preconditions.
    /// </summary>
    internal async Task MoveAsync(Order order, OrderStatus target, CancellationToken ct)
    {
        var before = order.Status;
        order.Status = target;
        order.StatusChangedAt = clock.GetUtcNow();
        order.Version = Guid.NewGuid();
        Record(order, before, target);
        audit.Record("order.status-changed", nameof(Order), order.Id, new { order.Number, from = before.ToString(), to = target.ToString(), order.TrackingNumber, order.Carrier });
        await db.SaveChangesAsync(ct);
        await events.PublishAsync(new OrderStatusChanged(order.Id, before, target), ct);
    }

    private void Record(Order order, OrderStatus? from, OrderStatus to) =>
        db.OrderStatusChanges.Add(new OrderStatusChange
        {
            OrderId = order.Id, From = from, To = to, At = clock.GetUtcNow(), Actor = actor.Name,
            TrackingNumber = to == OrderStatus.Shipped ? order.TrackingNumber : null, Carrier = to == OrderStatus.Shipped ? order.Carrier : null,
        });

    /// <summary>The order's moves, oldest first.</summary>
    public async Task<IReadOnlyList<OrderStatusChange>> HistoryAsync(Guid id, CancellationToken ct = default) =>
        await db.OrderStatusChanges.AsNoTracking().Where(c => c.OrderId == id).OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync(ct);

    /// <summary>
    /// One invoice draft for several orders of one buyer: every line of every order, orders taken by
    /// creation time, each order's lines in their positions, through the invoice's draft rules
    /// so every invoice rule applies. Same buyer, currency and pricing mode are required (400 on orderIds);
    /// a cancelled or already invoiced order is refused (409 naming it). Links each order to the invoice
    /// and marks it invoiced, all in one transaction.
    /// </summary>
    public async Task<Invoice> InvoiceAsync(IReadOnlyList<Guid>? orderIds, CancellationToken ct = default)
    {
        if (orderIds is null || orderIds.Count == 0) throw new ValidationException("orderIds", "Select at least one order to invoice.");
        if (orderIds.Distinct().Count() != orderIds.Count) throw new ValidationException("orderIds", "An order is listed more than once.");
        return (await InvoiceGroupsAsync([orderIds], batch: false, ct))[0];
    }

    /// <summary>
    /// One invoice draft PER ORDER, each exactly what <see cref="InvoiceAsync"/> makes for that order alone (lines with their
    /// recorded prices, link, <see cref="Order.InvoiceId"/>, audit), in the order given, in one unit of work (joining the
    /// caller's); the orders with their lines, their advance invoices, parties and products are read once for the batch.
    /// All or nothing: errors name the order (<c>orderIds[3].lines[0].vatRateCode</c>; a conflict names its order number).
    /// </summary>
    public async Task<IReadOnlyList<Invoice>> InvoiceEachAsync(IReadOnlyList<Guid> orderIds, CancellationToken ct = default)
    {
        if (orderIds is null || orderIds.Count == 0) throw new ValidationException("orderIds", "Select at least one order to invoice.");
        if (orderIds.Count > InvoiceService.MaxIssueBatch) throw new ValidationException("orderIds", $"At most {InvoiceService.MaxIssueBatch} orders can be invoiced at once.");
        if (orderIds.Distinct().Count() != orderIds.Count) throw new ValidationException("orderIds", "An order is listed more than once.");
        return await InvoiceGroupsAsync([.. orderIds.Select(id => (IReadOnlyList<Guid>)[id])], batch: true, ct);
    }

    /// <summary>
    /// THE conversion of orders to invoice drafts: one draft per group of orders. A batch names a group's errors
    /// <c>orderIds[g]</c>; a single call keeps <c>orderIds</c> and the draft's own field names.
    /// </summary>
    private async Task<IReadOnlyList<Invoice>> InvoiceGroupsAsync(IReadOnlyList<IReadOnlyList<Guid>> groups, bool batch, CancellationToken ct) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            string Field(int g) => batch ? $"orderIds[{g}]" : "orderIds";
            var ids = groups.SelectMany(g => g).ToList();
            var orders = new Dictionary<Guid, Order>();
            var advanceOrders = new List<(Guid OrderId, string? OrderNumber)>();
            foreach (var chunk in ids.Chunk(500))
            {
                foreach (var order in await db.Orders.Include(o => o.Lines).Where(o => chunk.Contains(o.Id)).ToListAsync(token))
                    orders[order.Id] = order;
                // An order with advance invoices is settled by its final invoice, which deducts them (docs/decisions.md §24).
                advanceOrders.AddRange((await db.Invoices.AsNoTracking()
                    .Where(i => i.OrderId != null && chunk.Contains(i.OrderId.Value) && i.Kind == InvoiceKind.Advance && i.Status != InvoiceStatus.Cancelled)
                    .Select(i => new { OrderId = i.OrderId!.Value, i.OrderNumber }).ToListAsync(token)).Select(x => (x.OrderId, x.OrderNumber)));
            }

            var drafts = new List<SaveInvoiceDraft>(groups.Count);
            var grouped = new List<List<Order>>(groups.Count);
            for (var g = 0; g < groups.Count; g++)
            {
                var missing = groups[g].Where(id => !orders.ContainsKey(id)).ToList();
                if (missing.Count > 0) throw new ValidationException(Field(g), $"No such order: {string.Join(", ", missing)}.");
                var ordered = ToInvoice(groups[g].Select(id => orders[id]).ToList(), advanceOrders, Field(g));
                grouped.Add(ordered);
                var notes = (ordered.Count == 1 ? "Zamówienie: " : "Zamówienia: ") + string.Join(", ", ordered.Select(o => o.Number));
                var first = ordered[0];
                drafts.Add(new SaveInvoiceDraft(
                    first.PartyId, first.Currency, first.PricingMode, IssueDate: null, SaleDate: null, PaymentTermDays: null, notes,
                    ordered.SelectMany(o => o.Lines.OrderBy(l => l.Position)).Select(l => l.ToCopiedInput()).ToList(),
                    // Several orders from different campaigns: the invoice is attributed to the earliest order's (docs/crm.md, "Campaigns").
                    CampaignId: ordered.Select(o => o.CampaignId).FirstOrDefault(c => c is not null)));
            }

            var built = await invoices.BuildDraftsAsync(drafts, batch ? g => $"orderIds[{g}]" : null, InvoiceKind.Vat, issue: false, token);
            var now = clock.GetUtcNow();
            for (var g = 0; g < built.Count; g++)
            {
                var invoice = built[g];
                invoices.AddDraft(invoice);
                foreach (var order in grouped[g])
                {
                    db.DocumentLinks.Add(new DocumentLink
                    {
                        FromType = Order.DocumentType, FromId = order.Id,
                        ToType = NumberingSeries.InvoiceDocumentType, ToId = invoice.Id,
                        CreatedAt = now,
                    });
                    order.InvoiceId = invoice.Id;
                    // The row changes, so a concurrent second invoicing of the same order fails on the version (409).
                    order.Version = Guid.NewGuid();
                    audit.Record("order.invoiced", nameof(Order), order.Id, new { order.Number, invoiceId = invoice.Id });
                }
            }
            return built;
        }, ct);

    /// <summary>
    /// May these orders go on one invoice? Not cancelled, not invoiced, no advance invoices, one buyer, currency and pricing
    /// mode. Returns them in invoice order: by creation time, then number.
    /// </summary>
    private static List<Order> ToInvoice(IReadOnlyList<Order> orders, IReadOnlyList<(Guid OrderId, string? OrderNumber)> advanceOrders, string field)
    {
        foreach (var order in orders)
        {
            if (order.Status == OrderStatus.Cancelled)
                throw new ConflictException($"Order {order.Number} is cancelled and cannot be invoiced.");
            if (order.InvoiceId is not null)
                throw new ConflictException($"Order {order.Number} was already invoiced (invoice id {order.InvoiceId}).");
        }
        var withAdvances = advanceOrders.Where(a => orders.Any(o => o.Id == a.OrderId)).Select(a => a.OrderNumber).Distinct().ToList();
        if (withAdvances.Count > 0)
            throw new ConflictException($"Order {string.Join(", ", withAdvances)} has advance invoices; invoice it with its final invoice (POST /api/orders/{{id}}/final-invoice).");
        if (orders.Select(o => o.PartyId).Distinct().Count() > 1)
            throw new ValidationException(field, $"Orders of different buyers cannot share an invoice: {string.Join(", ", orders.Select(o => o.Number))}.");
        if (orders.Select(o => o.Currency).Distinct().Count() > 1)
            throw new ValidationException(field, $"Orders in different currencies cannot share an invoice: {string.Join(", ", orders.Select(o => $"{o.Number} {o.Currency}"))}.");
        if (orders.Select(o => o.PricingMode).Distinct().Count() > 1)
            throw new ValidationException(field, $"Orders priced net and gross cannot share an invoice: {string.Join(", ", orders.Select(o => $"{o.Number} {o.PricingMode}"))}.");
        return orders.OrderBy(o => o.CreatedAt).ThenBy(o => o.Number, StringComparer.Ordinal).ToList();
    }

    public async Task<OrderView> GetAsync(Guid id, CancellationToken ct = default)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines.OrderBy(l => l.Position))
                        .FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Order", id);
        var partyName = await db.Parties.AsNoTracking().Where(p => p.Id == order.PartyId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        return new OrderView(order, Totals(order), await links.OfAsync(id, ct), await HistoryAsync(id, ct),
            carriers.UrlFor(order.Carrier, order.TrackingNumber), partyName);
    }

    /// <summary>The most a page of the order list holds.</summary>
    public const int MaxListTake = 500;

    /// <summary>
    /// A page of orders matching <paramref name="filter"/>, newest first (creation instant, then id — version-7 ids keep creation
    /// order within one instant), so consecutive pages neither repeat nor skip an order while none is added. One query: the
    /// customer match is a subquery over parties, the channel name a join. 400 naming the field: skip below 0, take outside
    /// 1..<see cref="MaxListTake"/>, from after to, search longer than <see cref="OrderListFilter.MaxSearchLength"/>, channelId
    /// together with manual orders.
    /// </summary>
    public async Task<IReadOnlyList<OrderListItem>> ListAsync(OrderListFilter filter, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(skip >= 0, "skip", "skip cannot be negative.");
        errors.Require(take is >= 1 and <= MaxListTake, "take", $"take must be between 1 and {MaxListTake}.");
        errors.Require(filter.From is null || filter.To is null || filter.From <= filter.To, "from", $"from ({filter.From:yyyy-MM-dd}) is after to ({filter.To:yyyy-MM-dd}).");
        errors.Require((filter.Search?.Trim().Length ?? 0) <= OrderListFilter.MaxSearchLength, "search", $"search is longer than {OrderListFilter.MaxSearchLength} characters.");
        errors.Require(!(filter.ManualOnly && filter.ChannelId is not null), "channelId", "Ask for one channel or for manual orders, not both.");
        errors.ThrowIfAny();

        var query = db.Orders.AsNoTracking();
        if (filter.PartyId is { } partyId) query = query.Where(o => o.PartyId == partyId);
        if (filter.Status is { } status) query = query.Where(o => o.Status == status);
        if (filter.ManualOnly) query = query.Where(o => o.ChannelId == null);
        else if (filter.ChannelId is { } channelId) query = query.Where(o => o.ChannelId == channelId);
        if (filter.From is { } from) query = query.Where(o => o.OrderedOn >= from);
        if (filter.To is { } to) query = query.Where(o => o.OrderedOn <= to);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            var lower = term.ToLowerInvariant();
            var external = ShopOrigin.SearchTerm(term)!;   // not null: the search is not blank
            // The customer is found exactly as the customer list finds it (one way to search parties; lower() folds Polish and Cyrillic on both databases).
            var parties = Crm.Segmentation.PartyListQuery.WhereMatches(db.Parties, term).Select(p => p.Id);
            query = query.Where(o => o.Number.ToLower().Contains(lower)
                                     || (o.ExternalOrderId != null && o.ExternalOrderId.ToLower().Contains(external))
                                     || parties.Contains(o.PartyId));
        }
        var rows = await query
            .Join(db.Parties, o => o.PartyId, p => p.Id, (o, p) => new { Order = o, PartyName = p.Name })
            .OrderByDescending(x => x.Order.CreatedAt).ThenByDescending(x => x.Order.Id)
            .Skip(skip).Take(take)
            .Select(x => new { x.Order, x.PartyName, ChannelName = db.SalesChannels.Where(c => c.Id == x.Order.ChannelId).Select(c => c.Name).FirstOrDefault() })
            .ToListAsync(ct);
        return rows.Select(r => new OrderListItem(r.Order.Id, r.Order.Number, r.Order.Status, r.Order.PartyId, r.PartyName, r.Order.OrderedOn,
            r.Order.Currency, r.Order.TotalNet, r.Order.TotalVat, r.Order.TotalGross, r.Order.InvoiceId, r.Order.CreatedAt,
            r.Order.ChannelId, r.ChannelName, r.Order.ExternalOrderId)).ToList();
    }

    /// <summary>Per-rate totals are not stored for orders (nothing posts them); the calculator gives them from the lines.</summary>
    public static InvoiceTotals Totals(Order order) =>
        InvoiceCalculator.Calculate(
            order.Lines.OrderBy(l => l.Position).Select(l => new CalculationLine(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatKind, l.VatPercent)).ToList(),
            order.PricingMode, Common.Currency.Parse(order.Currency));

    private static Order.StatusWord Name(OrderStatus status) => Order.Said(status);

    private async Task<Order> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Order", id);

    /// <summary>
    /// The lines go through the invoice's own rules (<see cref="InvoiceService.BuildUnsavedDraftsAsync"/>, all orders at once), so
    /// what an order accepts its invoice accepts too. Validated before the transaction: nothing is written on bad input.
    /// </summary>
    private async Task<List<Order>> BuildAsync(IReadOnlyList<CreateOrder> commands, string? itemField, CancellationToken ct)
    {
        string Field(int i, string field) => itemField is null ? field : $"{itemField}[{i}].{field}";
        var errors = new ValidationErrors();
        for (var i = 0; i < commands.Count; i++)
            if (commands[i] is null)
                errors.Add(itemField is null ? "body" : $"{itemField}[{i}]", itemField is null ? "An order is required." : "order is required.");
        errors.ThrowIfAny();
        for (var i = 0; i < commands.Count; i++)
            errors.Require(commands[i].Lines is { Count: > 0 }, Field(i, "lines"), "An order needs at least one line.");
        // The lines follow the invoice's rules, messages and field names.
        var built = await errors.TryAsync(() => invoices.BuildUnsavedDraftsAsync(
            [.. commands.Select(c => new SaveInvoiceDraft(c.PartyId, c.Currency, c.PricingMode, null, null, null, c.Notes, c.Lines, CampaignId: c.CampaignId))], itemField, ct));
        errors.ThrowIfAny();

        var orders = new List<Order>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            var (c, draft) = (commands[i], built![i]);
            var order = new Order
            {
                CreatedAt = clock.GetUtcNow(), Status = OrderStatus.Accepted,
                ChannelId = c.Origin?.ChannelId, ExternalOrderId = c.Origin?.ExternalOrderId,
                ExternalStatus = c.Origin?.ExternalStatus, ExternalModifiedAt = c.Origin?.ExternalModifiedAt,
                PartyId = draft.PartyId, CampaignId = draft.CampaignId, Currency = draft.Currency, PricingMode = draft.PricingMode,
                Notes = draft.Notes, TotalNet = draft.TotalNet, TotalVat = draft.TotalVat, TotalGross = draft.TotalGross,
            };
            order.Lines.AddRange(draft.Lines.Select(l => new OrderLine
            {
                OrderId = order.Id, Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
                Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
                VatRateCode = l.VatRateCode, VatKind = l.VatKind, VatPercent = l.VatPercent, Net = l.Net, Vat = l.Vat, Gross = l.Gross,
            }.WithPricingOf<OrderLine>(l)));
            orders.Add(order);
        }
        return orders;
    }
}
