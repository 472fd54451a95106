using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Offers;

/// <param name="ValidUntil">Last day the offer holds; default today + <see cref="Offer.DefaultValidityDays"/>.</param>
public sealed record SaveOfferDraft(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    DateOnly? ValidUntil,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines,
    Guid? CampaignId = null);

public sealed record OfferListItem(Guid Id, string? Number, OfferState State, Guid PartyId, string PartyName, DateOnly ValidUntil,
    string Currency, decimal TotalNet, decimal TotalVat, decimal TotalGross, DateTimeOffset CreatedAt);

/// <summary>An offer with what a reader needs beside it: the state on today's date and the documents made from it.</summary>
public sealed record OfferView(Offer Offer, OfferState State, InvoiceTotals Totals, IReadOnlyList<LinkedDocument> Links);

/// <summary>Offers: drafts, sending (numbering), the buyer's answer and conversion into an invoice draft.</summary>
public sealed class OfferService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    InvoiceService invoices,
    Orders.OrderService orders,
    ReferenceData referenceData,
    DocumentNumbering numbering,
    DocumentLinkQueries links,
    BusinessCalendar calendar,
    TimeProvider clock)
{
    public async Task<Offer> CreateDraftAsync(SaveOfferDraft command, CancellationToken ct = default)
    {
        var offer = new Offer { CreatedAt = clock.GetUtcNow() };
        await ApplyDraftAsync(offer, command, ct);
        await unitOfWork.ExecuteAsync(token =>
        {
            db.Offers.Add(offer);
            audit.Record("offer.draft-created", nameof(Offer), offer.Id, new { offer.PartyId, offer.Currency, offer.TotalGross, offer.ValidUntil, lines = offer.Lines.Count });
            Kontor.Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(Offer), offer.Id, offer.Lines);
            return Task.FromResult(0);
        }, ct);
        return offer;
    }

    public async Task<Offer> UpdateDraftAsync(Guid id, SaveOfferDraft command, CancellationToken ct = default)
    {
        // Validated before the transaction (reads parties, products, rates), like an invoice draft.
        var replacement = new Offer();
        await ApplyDraftAsync(replacement, command, ct);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var offer = await LoadAsync(id, token);
            if (offer.Status != OfferStatus.Draft)
                throw new ConflictException($"Offer {offer.Number} was sent and can no longer be changed; make a new offer instead.");
            var before = new { offer.PartyId, offer.Currency, offer.TotalGross, offer.ValidUntil, lines = offer.Lines.Count };
            var previousLines = offer.Lines.ToList();
            db.OfferLines.RemoveRange(offer.Lines);
            offer.Lines.Clear();
            CopyDraft(replacement, offer);
            db.OfferLines.AddRange(offer.Lines);
            offer.Version = Guid.NewGuid();
            audit.Record("offer.draft-changed", nameof(Offer), offer.Id, new { before, after = new { offer.PartyId, offer.Currency, offer.TotalGross, offer.ValidUntil, lines = offer.Lines.Count } });
            Kontor.Catalog.Pricing.LineSources.AuditOverrides(audit, nameof(Offer), offer.Id, offer.Lines, previousLines);
            return offer;
        }, ct);
    }

    /// <summary>Numbers the draft (series "offer", gapless like invoices) and marks it sent.</summary>
    public async Task<Offer> SendAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var offer = await LoadAsync(id, token);
            var today = calendar.Today();
            RequireState(offer, await IsConvertedAsync(offer.Id, token), today, Messages.Translate("sent"), OfferState.Draft);
            if (offer.Lines.Count == 0) throw new ValidationException("lines", "An offer needs at least one line before it can be sent.");
            if (offer.ValidUntil < today) throw new ValidationException("validUntil", $"validUntil ({offer.ValidUntil:yyyy-MM-dd}) has passed; set a later date before sending.");
            var series = (await referenceData.GetAsync(token)).NumberingSeries.FirstOrDefault(s => s.DocumentType == Offer.DocumentType && s.IsDefault)
                         ?? throw new InvalidOperationException("No default offer numbering series; the database was not initialised.");
            offer.Number = await numbering.NextAsync(series, today, token);
            offer.SeriesId = series.Id;
            offer.SentOn = today;
            offer.SentAt = clock.GetUtcNow();
            offer.Status = OfferStatus.Sent;
            offer.Version = Guid.NewGuid();
            audit.Record("offer.sent", nameof(Offer), offer.Id, new { offer.Number, offer.ValidUntil, offer.TotalGross, offer.Currency });
            return offer;
        }, ct);

    public Task<Offer> AcceptAsync(Guid id, CancellationToken ct = default) => AnswerAsync(id, OfferStatus.Accepted, "offer.accepted", ct);

    public Task<Offer> RejectAsync(Guid id, CancellationToken ct = default) => AnswerAsync(id, OfferStatus.Rejected, "offer.rejected", ct);

    private async Task<Offer> AnswerAsync(Guid id, OfferStatus answer, string action, CancellationToken ct) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var offer = await LoadAsync(id, token);
            RequireState(offer, converted: false, calendar.Today(), Messages.Translate(answer == OfferStatus.Accepted ? "accepted" : "rejected"), OfferState.Sent);
            offer.Status = answer;
            offer.AnsweredAt = clock.GetUtcNow();
            offer.Version = Guid.NewGuid();
            audit.Record(action, nameof(Offer), offer.Id, new { offer.Number });
            return offer;
        }, ct);

    /// <summary>
    /// Makes an invoice draft of an accepted offer — same buyer, currency, pricing mode, lines and notes,
    /// through <see cref="InvoiceService.CreateDraftAsync"/> so every invoice rule applies — and links the
    /// two, all in one transaction. An offer converts once: a second attempt names the invoice already made.
    /// </summary>
    public Task<Invoice> ConvertToInvoiceAsync(Guid id, CancellationToken ct = default) =>
        ConvertToInvoiceKindAsync(id, InvoiceKind.Vat, NumberingSeries.InvoiceDocumentType, Messages.Translate("converted into an invoice"), ct);

    /// <summary>The same as <see cref="ConvertToInvoiceAsync"/>, into a pro forma draft.</summary>
    public Task<Invoice> ConvertToProFormaAsync(Guid id, CancellationToken ct = default) =>
        ConvertToInvoiceKindAsync(id, InvoiceKind.ProForma, NumberingSeries.ProFormaDocumentType, Messages.Translate("converted into a pro forma"), ct);

    private async Task<Invoice> ConvertToInvoiceKindAsync(Guid id, InvoiceKind kind, string documentType, string wanted, CancellationToken ct) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var offer = await LoadAsync(id, token);
            var existing = await db.DocumentLinks.AsNoTracking().Where(l => l.FromId == offer.Id).OrderBy(l => l.CreatedAt).FirstOrDefaultAsync(token);
            if (existing is not null)
            {
                var number = (await links.OfAsync(offer.Id, token)).FirstOrDefault(l => l.Id == existing.ToId)?.Number;
                throw new ConflictException($"Offer {offer.Number} was already converted into {existing.ToType} {number ?? Messages.Translate("(draft)")} (id {existing.ToId}).");
            }
            RequireState(offer, converted: false, calendar.Today(), wanted, OfferState.Accepted);

            var document = await invoices.CreateDraftAsync(new SaveInvoiceDraft(
                offer.PartyId, offer.Currency, offer.PricingMode, IssueDate: null, SaleDate: null, PaymentTermDays: null, offer.Notes,
                offer.Lines.OrderBy(l => l.Position).Select(l => l.ToCopiedInput()).ToList(), CampaignId: offer.CampaignId), kind, token);
            db.DocumentLinks.Add(new DocumentLink
            {
                FromType = Offer.DocumentType, FromId = offer.Id,
                ToType = documentType, ToId = document.Id,
                CreatedAt = clock.GetUtcNow(),
            });
            // The offer row changes with its conversion, so a concurrent second conversion fails on the version (409).
            offer.Version = Guid.NewGuid();
            audit.Record("offer.converted", nameof(Offer), offer.Id, new { offer.Number, documentType, documentId = document.Id });
            return document;
        }, ct);

    /// <summary>
    /// Makes an order of an accepted offer — same buyer, currency, pricing mode, lines and notes, through
    /// <see cref="Orders.OrderService.CreateAsync"/> so the order's rules apply — and links the two, in one
    /// transaction. Like <see cref="ConvertToInvoiceAsync"/>, an offer converts once, into one document.
    /// </summary>
    public async Task<Orders.Order> ConvertToOrderAsync(Guid id, CancellationToken ct = default) =>
        await unitOfWork.ExecuteAsync(async token =>
        {
            var offer = await LoadAsync(id, token);
            var existing = await db.DocumentLinks.AsNoTracking().Where(l => l.FromId == offer.Id).OrderBy(l => l.CreatedAt).FirstOrDefaultAsync(token);
            if (existing is not null)
            {
                var number = (await links.OfAsync(offer.Id, token)).FirstOrDefault(l => l.Id == existing.ToId)?.Number;
                throw new ConflictException($"Offer {offer.Number} was already converted into {existing.ToType} {number ?? Messages.Translate("(draft)")} (id {existing.ToId}).");
            }
            RequireState(offer, converted: false, calendar.Today(), Messages.Translate("converted into an order"), OfferState.Accepted);

            var order = await orders.CreateAsync(new Orders.CreateOrder(
                offer.PartyId, offer.Currency, offer.PricingMode, offer.Notes,
                offer.Lines.OrderBy(l => l.Position).Select(l => l.ToCopiedInput()).ToList(), offer.CampaignId), token);
            db.DocumentLinks.Add(new DocumentLink
            {
                FromType = Offer.DocumentType, FromId = offer.Id,
                ToType = Orders.Order.DocumentType, ToId = order.Id,
                CreatedAt = clock.GetUtcNow(),
            });
            // The offer row changes with its conversion, so a concurrent second conversion fails on the version (409).
            offer.Version = Guid.NewGuid();
            audit.Record("offer.converted", nameof(Offer), offer.Id, new { offer.Number, orderId = order.Id, orderNumber = order.Number });
            return order;
        }, ct);

    public async Task<OfferView> GetAsync(Guid id, CancellationToken ct = default)
    {
        var offer = await db.Offers.AsNoTracking().Include(o => o.Lines.OrderBy(l => l.Position))
                        .FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Offer", id);
        var linked = await links.OfAsync(id, ct);
        var converted = linked.Any(l => l.Direction == LinkDirection.To);
        return new OfferView(offer, offer.StateOn(calendar.Today(), converted), Totals(offer), linked);
    }

    public async Task<IReadOnlyList<OfferListItem>> ListAsync(Guid? partyId, OfferState? state, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var today = calendar.Today();
        var query = db.Offers.AsNoTracking();
        if (partyId is not null) query = query.Where(o => o.PartyId == partyId);
        // The same rule as Offer.StateOn, as SQL.
        var stored = state is null or OfferState.Expired ? OfferStatus.Draft : (OfferStatus)(int)state.Value;
        query = state switch
        {
            null => query,
            OfferState.Expired => query.Where(o => (o.Status == OfferStatus.Sent || o.Status == OfferStatus.Accepted)
                && o.ValidUntil < today && !db.DocumentLinks.Any(l => l.FromId == o.Id)),
            OfferState.Sent or OfferState.Accepted => query.Where(o => o.Status == stored
                && (o.ValidUntil >= today || db.DocumentLinks.Any(l => l.FromId == o.Id))),
            _ => query.Where(o => o.Status == stored),
        };
        var rows = await query
            .OrderByDescending(o => o.CreatedAt)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Join(db.Parties, o => o.PartyId, p => p.Id, (o, p) => new
            {
                Offer = o, PartyName = p.Name, Converted = db.DocumentLinks.Any(l => l.FromId == o.Id),
            })
            .ToListAsync(ct);
        return rows.Select(r => new OfferListItem(r.Offer.Id, r.Offer.Number, r.Offer.StateOn(today, r.Converted), r.Offer.PartyId, r.PartyName,
            r.Offer.ValidUntil, r.Offer.Currency, r.Offer.TotalNet, r.Offer.TotalVat, r.Offer.TotalGross, r.Offer.CreatedAt)).ToList();
    }

    /// <summary>Totals of an unsaved offer, for live feedback while a person types the lines.</summary>
    public async Task<InvoiceTotals> PreviewAsync(SaveOfferDraft command, CancellationToken ct = default)
    {
        var offer = new Offer();
        await ApplyDraftAsync(offer, command, ct);
        return Totals(offer);
    }

    /// <summary>Per-rate totals are not stored for offers (nothing posts them); the calculator gives them from the lines.</summary>
    public static InvoiceTotals Totals(Offer offer) =>
        InvoiceCalculator.Calculate(
            offer.Lines.OrderBy(l => l.Position).Select(l => new CalculationLine(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatKind, l.VatPercent)).ToList(),
            offer.PricingMode, Common.Currency.Parse(offer.Currency));

    private async Task<bool> IsConvertedAsync(Guid offerId, CancellationToken ct) => await db.DocumentLinks.AnyAsync(l => l.FromId == offerId, ct);

    /// <summary>
    /// Refuses a step the offer's state does not allow. <paramref name="wanted"/> is the step already said in the reader's
    /// language ("sent", "converted into an order"); a state is said by the same lowercase words, so the translations read
    /// "can be sent" and "is sent" alike.
    /// </summary>
    private static void RequireState(Offer offer, bool converted, DateOnly today, string wanted, OfferState required)
    {
        var state = offer.StateOn(today, converted);
        if (state == required) return;
        var name = offer.Number ?? Said(OfferState.Draft);
        if (state == OfferState.Expired)
            throw new ConflictException($"Offer {name} expired on {offer.ValidUntil:yyyy-MM-dd} and cannot be {wanted}.");
        throw new ConflictException($"Offer {name} is {Said(state)}; only a {Said(required)} offer can be {wanted}.");
    }

    /// <summary>A state as the messages say it: lowercase in English (the enum's own UI row is capitalised).</summary>
    private static string Said(OfferState state) => state switch
    {
        OfferState.Draft => Messages.Translate("draft"),
        OfferState.Sent => Messages.Translate("sent"),
        OfferState.Accepted => Messages.Translate("accepted"),
        OfferState.Rejected => Messages.Translate("rejected"),
        _ => Messages.Translate("expired"),
    };

    private async Task<Offer> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Offers.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("Offer", id);

    /// <summary>
    /// The lines go through the invoice's own rules (<see cref="InvoiceService.BuildUnsavedDraftAsync"/>):
    /// the same products, units, VAT rates, limits and field names, so what an offer accepts an invoice accepts too.
    /// </summary>
    private async Task ApplyDraftAsync(Offer offer, SaveOfferDraft c, CancellationToken ct)
    {
        if (c is null) throw new ValidationException("body", "An offer is required.");
        var today = calendar.Today();
        var validUntil = c.ValidUntil ?? today.AddDays(Offer.DefaultValidityDays);
        var errors = new ValidationErrors();
        errors.Require(validUntil >= today, "validUntil", "validUntil cannot be in the past.");
        errors.Require(validUntil <= today.AddYears(1), "validUntil", "validUntil can be at most a year ahead.");
        // The lines follow the invoice's rules, messages and field names.
        var built = await errors.TryAsync(() => invoices.BuildUnsavedDraftAsync(new SaveInvoiceDraft(c.PartyId, c.Currency, c.PricingMode, null, null, null, c.Notes, c.Lines, CampaignId: c.CampaignId), ct));
        errors.ThrowIfAny();

        offer.PartyId = built!.PartyId;
        offer.CampaignId = built.CampaignId;
        offer.Currency = built.Currency;
        offer.PricingMode = built.PricingMode;
        offer.ValidUntil = validUntil;
        offer.Notes = built.Notes;
        offer.TotalNet = built.TotalNet;
        offer.TotalVat = built.TotalVat;
        offer.TotalGross = built.TotalGross;
        offer.Lines.AddRange(built.Lines.Select(l => new OfferLine
        {
            OfferId = offer.Id, Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
            Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
            VatRateCode = l.VatRateCode, VatKind = l.VatKind, VatPercent = l.VatPercent, Net = l.Net, Vat = l.Vat, Gross = l.Gross,
        }.WithPricingOf<OfferLine>(l)));
    }

    private static void CopyDraft(Offer from, Offer to)
    {
        to.PartyId = from.PartyId;
        to.CampaignId = from.CampaignId;
        to.Currency = from.Currency;
        to.PricingMode = from.PricingMode;
        to.ValidUntil = from.ValidUntil;
        to.Notes = from.Notes;
        to.TotalNet = from.TotalNet;
        to.TotalVat = from.TotalVat;
        to.TotalGross = from.TotalGross;
        to.Lines.AddRange(from.Lines.Select(l => new OfferLine
        {
            OfferId = to.Id, Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
            Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
            VatRateCode = l.VatRateCode, VatKind = l.VatKind, VatPercent = l.VatPercent, Net = l.Net, Vat = l.Vat, Gross = l.Gross,
        }.WithPricingOf<OfferLine>(l)));
    }
}
