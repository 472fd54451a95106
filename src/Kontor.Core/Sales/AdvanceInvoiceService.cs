using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

/// <param name="Amount">The prepayment received, gross, in <paramref name="Currency"/> (which must be the order's).</param>
/// <param name="ReceivedOn">The day the money came in (the advance invoice's tax point); default today, never in the future.</param>
public sealed record CreateAdvanceInvoice(decimal? Amount, string? Currency, DateOnly? ReceivedOn);

/// <summary>One VAT rate's share of an advance: gross, and the VAT extracted from it.</summary>
public sealed record AdvanceShare(string VatRateCode, VatRateKind VatKind, decimal VatPercent, decimal Net, decimal Vat, decimal Gross);

/// <summary>
/// Advance invoices (faktury zaliczkowe, art. 106f) against an order and the order's final invoice
/// (faktura końcowa), docs/decisions.md §24. Both are <see cref="Invoice"/>s numbered in the VAT invoice
/// series and issued through <see cref="InvoiceService.IssueAsync"/> like any invoice, so numbering,
/// snapshots, VAT in PLN and the ledger posting are the invoice's own.
/// </summary>
public sealed class AdvanceInvoiceService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    ReferenceData referenceData,
    BusinessCalendar calendar,
    TimeProvider clock)
{
    /// <summary>
    /// The split rule. The advances received so far INCLUDING this one (<paramref name="cumulativeAfter"/>) are
    /// split over the order's rates in proportion to the order's gross per rate, each share rounded half away
    /// from zero to minor units, the rate with the largest order gross (ties: first by code) taking what the
    /// rounding leaves so the shares add up exactly. This advance's gross per rate is that split minus what the
    /// earlier advances took per rate (<paramref name="earlier"/>). So the advances of an order always add up,
    /// per rate, to the cumulative split — and the last one, which completes the order's gross, to exactly
    /// the order's gross per rate. VAT per rate = gross × p / (100 + p), rounded half away from zero; net = gross − VAT.
    /// </summary>
    public static IReadOnlyList<AdvanceShare> Split(IReadOnlyList<VatRateTotal> orderRates, decimal cumulativeAfter,
        IReadOnlyDictionary<string, decimal> earlier, Currency currency)
    {
        var orderGross = orderRates.Sum(r => r.Gross);
        if (orderGross <= 0) throw new InvalidOperationException("An order without value cannot take advances.");
        var remainderTaker = orderRates.OrderByDescending(r => r.Gross).ThenBy(r => r.VatRateCode, StringComparer.Ordinal).First();
        var cumulative = orderRates.ToDictionary(r => r.VatRateCode,
            r => r == remainderTaker ? 0 : Money.RoundToMinorUnits(cumulativeAfter * r.Gross / orderGross, currency), StringComparer.OrdinalIgnoreCase);
        cumulative[remainderTaker.VatRateCode] = cumulativeAfter - cumulative.Values.Sum();
        return orderRates.Select(r =>
        {
            var gross = cumulative[r.VatRateCode] - earlier.GetValueOrDefault(r.VatRateCode);
            var vat = Money.RoundToMinorUnits(gross * r.VatPercent / (100m + r.VatPercent), currency);
            return new AdvanceShare(r.VatRateCode, r.VatKind, r.VatPercent, gross - vat, vat, gross);
        }).Where(s => s.Gross != 0).ToList();
    }

    /// <summary>
    /// A draft advance invoice for a prepayment received against <paramref name="orderId"/>: the order's lines (what
    /// was ordered and its value), the amount split per <see cref="Split"/>. Refused: amount ≤ 0, another currency,
    /// more than the order's gross not yet covered by other advances (400 naming the field); a cancelled order, or
    /// one already invoiced or finally invoiced (409). Issue it with <see cref="InvoiceService.IssueAsync"/>.
    /// </summary>
    public async Task<Invoice> CreateAdvanceDraftAsync(Guid orderId, CreateAdvanceInvoice command, CancellationToken ct = default)
    {
        if (command is null) throw new ValidationException("body", "The advance (amount, receivedOn) is required.");
        var errors = new ValidationErrors();
        errors.Require(command.Amount is not null, "amount", "amount (the prepayment received, gross) is required.");
        errors.Require(command.Amount is null or > 0, "amount", "amount must be greater than zero.");
        var today = calendar.Today();
        var receivedOn = command.ReceivedOn ?? today;
        errors.Require(receivedOn <= today, "receivedOn", $"receivedOn cannot be in the future (today is {today:yyyy-MM-dd}).");
        errors.ThrowIfAny();

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await LoadOrderAsync(orderId, token);
            RefuseIfClosed(order, Messages.Translate("an advance invoice"));
            var currency = Currency.Parse(order.Currency);
            if (!string.Equals(command.Currency ?? order.Currency, order.Currency, StringComparison.OrdinalIgnoreCase))
                throw new ValidationException("amount.currency", $"The order {order.Number} is in {order.Currency}; the advance must be given in {order.Currency}, not {command.Currency}.");
            var amount = command.Amount!.Value;
            if (Money.RoundToMinorUnits(amount, currency) != amount)
                throw new ValidationException("amount", $"amount has more decimal places than {currency.Code} allows ({currency.MinorUnits}).");
            if (receivedOn < order.OrderedOn.AddDays(-366))
                throw new ValidationException("receivedOn", "receivedOn is more than a year before the order.");

            var earlier = await AdvancesOfAsync(order.Id, token);
            var covered = earlier.Sum(a => a.TotalGross);
            var remaining = order.TotalGross - covered;
            if (amount > remaining)
                throw new ValidationException("amount",
                    $"The advances of order {order.Number} may not exceed its gross value {Amount(order.TotalGross)} {order.Currency}: {Amount(covered)} is already covered by advance invoices, so at most {Amount(remaining)} can be received now.");

            var orderTotals = OrderService.Totals(order);
            var earlierByRate = earlier.SelectMany(a => a.VatTotals).GroupBy(v => v.VatRateCode, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Sum(v => v.Gross), StringComparer.OrdinalIgnoreCase);
            var shares = Split(orderTotals.ByRate, covered + amount, earlierByRate, currency);

            var invoice = NewFromOrder(order, InvoiceKind.Advance, await InvoiceSeriesIdAsync(token));
            invoice.SaleDate = receivedOn;
            invoice.Notes = $"Zaliczka na poczet zamówienia {order.Number}";
            invoice.VatTotals.AddRange(shares.Select(s => new InvoiceVatTotal
            {
                InvoiceId = invoice.Id, VatRateCode = s.VatRateCode, VatKind = s.VatKind, VatPercent = s.VatPercent, Net = s.Net, Vat = s.Vat, Gross = s.Gross,
            }));
            SetTotals(invoice);
            db.Invoices.Add(invoice);
            Link(order, invoice);
            audit.Record("invoice.draft-created", nameof(Invoice), invoice.Id, new { kind = invoice.Kind.ToString(), orderNumber = order.Number, invoice.TotalGross, receivedOn });
            return invoice;
        }, ct);
    }

    /// <summary>
    /// The final invoice draft of an order: the order's lines in full, the issued advance invoices deducted
    /// (snapshot per advance and rate), and per rate net/VAT/gross = the order's − the advances' sum. Refused
    /// (409): no issued advance (invoice the order normally), an advance draft still open, the order cancelled
    /// or already (finally) invoiced. The order is marked invoiced by it, so it cannot be invoiced twice.
    /// </summary>
    public async Task<Invoice> CreateFinalDraftAsync(Guid orderId, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var order = await LoadOrderAsync(orderId, token);
            RefuseIfClosed(order, Messages.Translate("a final invoice"));
            var advances = await AdvancesOfAsync(order.Id, token);
            if (advances.FirstOrDefault(a => a.Status == InvoiceStatus.Draft) is { } draft)
                throw new ConflictException($"Order {order.Number} has an advance invoice draft ({draft.Id}); issue or cancel it before the final invoice.");
            if (advances.Count == 0)
                throw new ConflictException($"Order {order.Number} has no advance invoices; invoice it with a VAT invoice (POST /api/orders/invoice) instead of a final invoice.");

            var invoice = NewFromOrder(order, InvoiceKind.Final, await InvoiceSeriesIdAsync(token));
            invoice.Notes = $"Faktura końcowa do zamówienia {order.Number}";
            foreach (var advance in advances.OrderBy(a => a.IssueDate).ThenBy(a => a.IssuedAt))
                invoice.AdvanceDeductions.AddRange(advance.VatTotals.OrderByDescending(v => v.VatPercent).ThenBy(v => v.VatRateCode).Select(v => new InvoiceAdvanceDeduction
                {
                    InvoiceId = invoice.Id, AdvanceInvoiceId = advance.Id, AdvanceNumber = advance.Number!, AdvanceIssueDate = advance.IssueDate!.Value,
                    VatRateCode = v.VatRateCode, VatKind = v.VatKind, VatPercent = v.VatPercent, Net = v.Net, Vat = v.Vat, Gross = v.Gross,
                }));
            foreach (var rate in OrderService.Totals(order).ByRate)
            {
                var deducted = invoice.AdvanceDeductions.Where(d => string.Equals(d.VatRateCode, rate.VatRateCode, StringComparison.OrdinalIgnoreCase)).ToList();
                invoice.VatTotals.Add(new InvoiceVatTotal
                {
                    InvoiceId = invoice.Id, VatRateCode = rate.VatRateCode, VatKind = rate.VatKind, VatPercent = rate.VatPercent,
                    Net = rate.Net - deducted.Sum(d => d.Net), Vat = rate.Vat - deducted.Sum(d => d.Vat), Gross = rate.Gross - deducted.Sum(d => d.Gross),
                });
            }
            SetTotals(invoice);
            db.Invoices.Add(invoice);
            Link(order, invoice);
            order.InvoiceId = invoice.Id;
            // The order row changes, so a concurrent second final invoice fails on the version (409).
            order.Version = Guid.NewGuid();
            audit.Record("invoice.draft-created", nameof(Invoice), invoice.Id, new { kind = invoice.Kind.ToString(), orderNumber = order.Number, invoice.TotalGross, advances = advances.Count });
            audit.Record("order.invoiced", nameof(Order), order.Id, new { order.Number, invoiceId = invoice.Id, kind = invoice.Kind.ToString() });
            return invoice;
        }, ct);

    /// <summary>
    /// Called while issuing, after numbering (the VAT series counter row is locked until commit, so issuers queue):
    /// an advance must still fit in the order's gross with the advances issued meanwhile and no final invoice
    /// issued; a final invoice must deduct exactly the advances issued for the order by now.
    /// </summary>
    public async Task CheckBeforeIssueAsync(IReadOnlyList<Invoice> drafts, CancellationToken ct)
    {
        foreach (var invoice in drafts.Where(i => i.Kind is InvoiceKind.Advance or InvoiceKind.Final))
        {
            var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == invoice.OrderId, ct)
                        ?? throw new ConflictException($"The order of {InvoiceService.KindName(invoice.Kind).ToLowerInvariant()} {invoice.Id} no longer exists.");
            if (order.Status == OrderStatus.Cancelled)
                throw new ConflictException($"Order {order.Number} is cancelled; its {InvoiceService.KindName(invoice.Kind).ToLowerInvariant()} cannot be issued.");
            var issued = await db.Invoices.AsNoTracking()
                .Where(i => i.OrderId == order.Id && i.Id != invoice.Id && i.Status == InvoiceStatus.Issued && (i.Kind == InvoiceKind.Advance || i.Kind == InvoiceKind.Final))
                .Select(i => new { i.Id, i.Kind, i.Number, i.TotalGross }).ToListAsync(ct);
            if (issued.FirstOrDefault(i => i.Kind == InvoiceKind.Final) is { } final)
                throw new ConflictException($"Order {order.Number} was finally invoiced by {final.Number}; {InvoiceService.KindName(invoice.Kind).ToLowerInvariant()} {invoice.Id} cannot be issued.");
            var advances = issued.Where(i => i.Kind == InvoiceKind.Advance).ToList();
            if (invoice.Kind == InvoiceKind.Advance && advances.Sum(a => a.TotalGross) + invoice.TotalGross > order.TotalGross)
                throw new ConflictException($"Advances of order {order.Number} would exceed its gross value {Amount(order.TotalGross)} {order.Currency}; cancel this draft and make a new one for what remains.");
            if (invoice.Kind == InvoiceKind.Final
                && !advances.Select(a => a.Id).ToHashSet().SetEquals(invoice.AdvanceDeductions.Select(d => d.AdvanceInvoiceId)))
                throw new ConflictException($"The advance invoices of order {order.Number} changed since this final invoice draft was made; cancel it and make it again.");
        }
    }

    /// <summary>Advance invoices of an order that count (drafts and issued; cancelled ones do not), with their VAT totals.</summary>
    private async Task<List<Invoice>> AdvancesOfAsync(Guid orderId, CancellationToken ct) =>
        await db.Invoices.AsNoTracking().Include(i => i.VatTotals)
            .Where(i => i.OrderId == orderId && i.Kind == InvoiceKind.Advance && i.Status != InvoiceStatus.Cancelled)
            .ToListAsync(ct);

    private async Task<Order> LoadOrderAsync(Guid orderId, CancellationToken ct) =>
        await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException("Order", orderId);

    private static void RefuseIfClosed(Order order, string what)
    {
        if (order.Status == OrderStatus.Cancelled)
            throw new ConflictException($"Order {order.Number} is cancelled; {what} cannot be made for it.");
        if (order.InvoiceId is not null)
            throw new ConflictException($"Order {order.Number} was already invoiced (finally or by a VAT invoice, id {order.InvoiceId}); {what} cannot be made for it.");
    }

    private Invoice NewFromOrder(Order order, InvoiceKind kind, Guid seriesId)
    {
        var invoice = new Invoice
        {
            CreatedAt = clock.GetUtcNow(),
            Kind = kind,
            Status = InvoiceStatus.Draft,
            SeriesId = seriesId,
            PartyId = order.PartyId,
            Currency = order.Currency,
            PricingMode = order.PricingMode,
            OrderId = order.Id,
            OrderNumber = order.Number,
            CampaignId = order.CampaignId,
            OrderTotalNet = order.TotalNet,
            OrderTotalVat = order.TotalVat,
            OrderTotalGross = order.TotalGross,
        };
        invoice.Lines.AddRange(order.Lines.OrderBy(l => l.Position).Select(l => new InvoiceLine
        {
            InvoiceId = invoice.Id, Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
            Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
            VatRateCode = l.VatRateCode, VatKind = l.VatKind, VatPercent = l.VatPercent, Net = l.Net, Vat = l.Vat, Gross = l.Gross,
        }.WithPricingOf<InvoiceLine>(l)));
        return invoice;
    }

    /// <summary>Amounts in messages: invariant, whatever the host's culture.</summary>
    private static string Amount(decimal value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static void SetTotals(Invoice invoice)
    {
        invoice.TotalNet = invoice.VatTotals.Sum(v => v.Net);
        invoice.TotalVat = invoice.VatTotals.Sum(v => v.Vat);
        invoice.TotalGross = invoice.VatTotals.Sum(v => v.Gross);
    }

    private void Link(Order order, Invoice invoice) =>
        db.DocumentLinks.Add(new DocumentLink
        {
            FromType = Order.DocumentType, FromId = order.Id,
            ToType = NumberingSeries.InvoiceDocumentType, ToId = invoice.Id,
            CreatedAt = clock.GetUtcNow(),
        });

    private async Task<Guid> InvoiceSeriesIdAsync(CancellationToken ct) =>
        ((await referenceData.GetAsync(ct)).DefaultInvoiceSeries
         ?? throw new InvalidOperationException("No default invoice numbering series; the database was not initialised.")).Id;
}
