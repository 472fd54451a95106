using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Events;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

/// <param name="UnitPrice">Net or gross per <see cref="SaveInvoiceDraft.PricingMode"/>; taken from the product when omitted.</param>
public sealed record InvoiceLineInput(Guid? ProductId, string? Description, decimal Quantity, decimal? UnitPrice, decimal? DiscountPercent, string? VatRateCode, string? Unit);

public sealed record SaveInvoiceDraft(
    Guid PartyId,
    string? Currency,
    PricingMode PricingMode,
    DateOnly? IssueDate,
    DateOnly? SaleDate,
    int? PaymentTermDays,
    string? Notes,
    IReadOnlyList<InvoiceLineInput>? Lines);

public sealed record InvoiceListItem(Guid Id, string? Number, InvoiceStatus Status, Guid PartyId, string PartyName, DateOnly? IssueDate, DateOnly? DueDate, string Currency, decimal TotalNet, decimal TotalVat, decimal TotalGross);

/// <summary>Drafts, issue and reading of VAT invoices.</summary>
public sealed class InvoiceService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    VatRates vatRates,
    CompanyProfileProvider company,
    DocumentNumbering numbering,
    DomainEventPublisher events,
    BusinessCalendar calendar,
    TimeProvider clock)
{
    public const int MaxLines = 1000;
    /// <summary>Largest line value or invoice total accepted: keeps every amount inside what both databases store exactly (SQLite: ±9.2·10^12).</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public async Task<Invoice> CreateDraftAsync(SaveInvoiceDraft command, CancellationToken ct = default)
    {
        var invoice = new Invoice { CreatedAt = clock.GetUtcNow() };
        await ApplyDraftAsync(invoice, command, ct);
        await unitOfWork.ExecuteAsync(token =>
        {
            db.Invoices.Add(invoice);
            audit.Record("invoice.draft-created", nameof(Invoice), invoice.Id, new { invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count });
            return Task.FromResult(0);
        }, ct);
        return invoice;
    }

    public async Task<Invoice> UpdateDraftAsync(Guid id, SaveInvoiceDraft command, CancellationToken ct = default)
    {
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadForChangeAsync(id, token);
            var before = new { invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count };
            db.InvoiceLines.RemoveRange(invoice.Lines);
            db.InvoiceVatTotals.RemoveRange(invoice.VatTotals);
            invoice.Lines.Clear();
            invoice.VatTotals.Clear();
            await ApplyDraftAsync(invoice, command, token);
            db.InvoiceLines.AddRange(invoice.Lines);
            db.InvoiceVatTotals.AddRange(invoice.VatTotals);
            invoice.Version = Guid.NewGuid();
            audit.Record("invoice.draft-changed", nameof(Invoice), invoice.Id, new { before, after = new { invoice.PartyId, invoice.Currency, invoice.TotalGross, lines = invoice.Lines.Count } });
            return invoice;
        }, ct);
    }

    public async Task DeleteDraftAsync(Guid id, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadForChangeAsync(id, token);
            db.Invoices.Remove(invoice);
            audit.Record("invoice.draft-deleted", nameof(Invoice), invoice.Id, new { invoice.PartyId, invoice.TotalGross });
            return 0;
        }, ct);
    }

    /// <summary>
    /// Numbers the invoice, fixes its dates and parties' data, and lets the ledger post it — all in
    /// one transaction, so a failed posting leaves a draft and gives the number back.
    /// </summary>
    public async Task<Invoice> IssueAsync(Guid id, CancellationToken ct = default) =>
        (await unitOfWork.ExecuteAsync(token => IssueDraftsAsync([id], token), ct))[0];

    /// <summary>Most drafts <see cref="IssueManyAsync"/> takes at once: the transaction (and SQLite's single writer) is held for all of them.</summary>
    public const int MaxIssueBatch = 500;

    /// <summary>
    /// Issues several drafts in one transaction, numbered in the order given (one counter update per
    /// series and period hands out the range). Each invoice gets exactly what <see cref="IssueAsync"/>
    /// gives it — number, dates, snapshots, audit record, journal entry, open item — and one refusal
    /// (not found, already issued, no lines, ...) issues none of them.
    /// </summary>
    public async Task<IReadOnlyList<Invoice>> IssueManyAsync(IReadOnlyList<Guid> ids, CancellationToken ct = default)
    {
        if (ids is null || ids.Count == 0) throw new ValidationException("ids", "Give at least one invoice to issue.");
        if (ids.Count > MaxIssueBatch) throw new ValidationException("ids", $"At most {MaxIssueBatch} invoices can be issued at once.");
        if (ids.Distinct().Count() != ids.Count) throw new ValidationException("ids", "An invoice appears twice.");
        return await unitOfWork.ExecuteAsync(token => IssueDraftsAsync(ids, token), ct);
    }

    private async Task<IReadOnlyList<Invoice>> IssueDraftsAsync(IReadOnlyList<Guid> ids, CancellationToken token)
    {
        // Two round trips for what issuing needs, however many drafts: the drafts with their lines and
        // VAT totals (one joined query: callers return them), then their buyers and series.
        var loaded = await db.Invoices.Include(i => i.Lines).Include(i => i.VatTotals).AsSingleQuery()
            .Where(i => ids.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, token);
        var references = await db.Invoices.AsNoTracking()
            .Where(i => ids.Contains(i.Id))
            .Select(i => new
            {
                i.Id,
                Party = db.Parties.FirstOrDefault(p => p.Id == i.PartyId),
                Series = db.NumberingSeries.FirstOrDefault(s => s.Id == i.SeriesId),
            })
            .ToDictionaryAsync(x => x.Id, token);

        var toIssue = new List<(Invoice Invoice, Party Party, NumberingSeries Series, DateOnly IssueDate)>(ids.Count);
        foreach (var id in ids)
        {
            if (!loaded.TryGetValue(id, out var invoice)) throw new NotFoundException("Invoice", id);
            if (invoice.Status != InvoiceStatus.Draft)
                throw new ConflictException($"Invoice {invoice.Number} is issued and cannot be changed or deleted; issue a correction invoice instead.");
            if (invoice.Lines.Count == 0) throw new ValidationException("lines", "An invoice needs at least one line before it can be issued.");
            if (invoice.TotalGross <= 0) throw new ValidationException("lines", "The invoice total must be greater than zero; use a correction invoice to reduce an amount.");
            var party = references[id].Party ?? throw new ValidationException("partyId", "The buyer no longer exists.");
            var series = references[id].Series ?? throw new InvalidOperationException($"Numbering series {invoice.SeriesId} of invoice {id} does not exist.");
            toIssue.Add((invoice, party, series, invoice.IssueDate ?? calendar.Today()));
        }
        var seller = await company.GetAsync(token);

        // Numbers in the order given: one range per (series, period).
        var numbers = new Dictionary<Guid, string>(toIssue.Count);
        foreach (var group in toIssue.GroupBy(x => (x.Series.Id, Period: x.Series.PeriodKey(x.IssueDate))))
        {
            var batch = group.ToList();
            var assigned = await numbering.NextRangeAsync(batch[0].Series, batch.Select(x => x.IssueDate).ToList(), token);
            for (var k = 0; k < batch.Count; k++) numbers[batch[k].Invoice.Id] = assigned[k];
        }

        var issuedAt = clock.GetUtcNow();
        foreach (var (invoice, party, _, issueDate) in toIssue)
        {
            invoice.IssueDate = issueDate;
            invoice.SaleDate ??= issueDate;
            invoice.DueDate = issueDate.AddDays(invoice.PaymentTermDays ?? party.PaymentTermDays);
            invoice.Number = numbers[invoice.Id];
            invoice.Status = InvoiceStatus.Issued;
            invoice.IssuedAt = issuedAt;
            invoice.Seller = new PartySnapshot
            {
                Name = seller.Name, TaxId = seller.TaxId, Street = seller.Street, PostalCode = seller.PostalCode,
                City = seller.City, CountryCode = seller.CountryCode, BankAccount = seller.BankAccount,
            };
            invoice.Buyer = new PartySnapshot
            {
                Name = party.Name, TaxId = party.TaxId, Street = party.Address.Street, PostalCode = party.Address.PostalCode,
                City = party.Address.City, CountryCode = party.Address.CountryCode,
            };
            invoice.Version = Guid.NewGuid();
            audit.Record("invoice.issued", nameof(Invoice), invoice.Id, new { invoice.Number, invoice.IssueDate, invoice.DueDate, invoice.TotalNet, invoice.TotalVat, invoice.TotalGross, invoice.Currency });
            await events.PublishAsync(new InvoiceIssued(invoice.Id, invoice.Number, invoice.PartyId, issueDate, invoice.DueDate.Value,
                invoice.Currency, invoice.TotalNet, invoice.TotalVat, invoice.TotalGross), token);
        }
        return toIssue.Select(x => x.Invoice).ToList();
    }

    public async Task<Invoice> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.Invoices.AsNoTracking().Include(i => i.Lines.OrderBy(l => l.Position)).Include(i => i.VatTotals).AsSplitQuery()
            .FirstOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException("Invoice", id);

    public async Task<IReadOnlyList<InvoiceListItem>> ListAsync(Guid? partyId, InvoiceStatus? status, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var query = db.Invoices.AsNoTracking();
        if (partyId is not null) query = query.Where(i => i.PartyId == partyId);
        if (status is not null) query = query.Where(i => i.Status == status);
        return await query
            .OrderByDescending(i => i.CreatedAt)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500))
            .Join(db.Parties, i => i.PartyId, p => p.Id, (i, p) => new InvoiceListItem(i.Id, i.Number, i.Status, i.PartyId, p.Name, i.IssueDate, i.DueDate, i.Currency, i.TotalNet, i.TotalVat, i.TotalGross))
            .ToListAsync(ct);
    }

    /// <summary>Totals of an unsaved draft, for live feedback while a person types the lines.</summary>
    public async Task<InvoiceTotals> PreviewAsync(SaveInvoiceDraft command, CancellationToken ct = default)
    {
        var invoice = new Invoice();
        await ApplyDraftAsync(invoice, command, ct);
        return new InvoiceTotals(
            invoice.Lines.Select(l => new CalculatedLine(l.Net, l.Vat, l.Gross)).ToList(),
            invoice.VatTotals.Select(v => new VatRateTotal(v.VatRateCode, v.VatKind, v.VatPercent, v.Net, v.Vat, v.Gross)).ToList(),
            invoice.TotalNet, invoice.TotalVat, invoice.TotalGross);
    }

    private async Task<Invoice> LoadForChangeAsync(Guid id, CancellationToken ct)
    {
        var invoice = await db.Invoices.Include(i => i.Lines).Include(i => i.VatTotals).AsSplitQuery().FirstOrDefaultAsync(i => i.Id == id, ct)
                      ?? throw new NotFoundException("Invoice", id);
        if (invoice.Status != InvoiceStatus.Draft)
            throw new ConflictException($"Invoice {invoice.Number} is issued and cannot be changed or deleted; issue a correction invoice instead.");
        return invoice;
    }

    private async Task ApplyDraftAsync(Invoice invoice, SaveInvoiceDraft c, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var currency = errors.Try(() => Currency.Parse(c.Currency ?? "PLN"));
        errors.Require(Enum.IsDefined(c.PricingMode), "pricingMode", "pricingMode must be Net or Gross.");
        errors.Require(c.PaymentTermDays is null or >= 0 and <= 365, "paymentTermDays", "paymentTermDays must be between 0 and 365.");
        errors.Require(c.SaleDate is null || c.IssueDate is null || c.SaleDate <= c.IssueDate.Value.AddDays(60) , "saleDate", "saleDate is too far after the issue date.");
        var notes = errors.Text(c.Notes, "notes", 2000, required: false);
        var lines = c.Lines ?? [];
        errors.Require(lines.Count <= MaxLines, "lines", $"An invoice has at most {MaxLines} lines.");
        var party = await db.Parties.AsNoTracking().Where(p => p.Id == c.PartyId).Select(p => new { p.Id }).FirstOrDefaultAsync(ct);
        errors.Require(party is not null, "partyId", $"Party {c.PartyId} does not exist.");
        var series = await DefaultSeriesAsync(ct);
        var profile = await company.GetAsync(ct);
        var taxPointDate = c.SaleDate ?? c.IssueDate ?? calendar.Today();

        var productIds = lines.Where(l => l?.ProductId is not null).Select(l => l!.ProductId!.Value).Distinct().ToList();
        var products = productIds.Count == 0
            ? new Dictionary<Guid, Product>()
            : await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);

        var built = new List<InvoiceLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var input = lines[i];
            var field = $"lines[{i}].";
            if (input is null) { errors.Add($"lines[{i}]", "line is required."); continue; }
            Product? product = null;
            if (input.ProductId is not null && !products.TryGetValue(input.ProductId.Value, out product))
                errors.Add(field + "productId", $"Product {input.ProductId} does not exist.");
            var description = errors.Text(input.Description ?? product?.Name, field + "description", 500);
            var unit = errors.Text(input.Unit ?? product?.Unit ?? "szt.", field + "unit", 20);
            errors.Require(input.Quantity != 0, field + "quantity", "quantity cannot be zero.");
            errors.Require(Math.Abs(input.Quantity) < 1_000_000_000m && decimal.Round(input.Quantity, 4) == input.Quantity, field + "quantity", "quantity has at most 4 decimal places and fewer than 10 integer digits.");
            var discount = input.DiscountPercent ?? 0;
            errors.Require(discount is >= 0 and <= 100, field + "discountPercent", "discountPercent must be between 0 and 100.");
            var rate = await errors.TryAsync(() => vatRates.ResolveAsync(profile.CountryCode, input.VatRateCode ?? product?.VatRateCode ?? "23", taxPointDate, field + "vatRateCode", ct));
            decimal? unitPrice = input.UnitPrice;
            if (unitPrice is null && product is not null && rate is not null)
            {
                if (currency.Code is not null && product.Currency != currency.Code)
                    errors.Add(field + "unitPrice", $"The product is priced in {product.Currency}; give a unitPrice in {currency.Code}.");
                else
                    unitPrice = c.PricingMode == PricingMode.Gross
                        ? decimal.Round(product.NetPrice * (100 + rate.Percent) / 100, 2, MidpointRounding.AwayFromZero)
                        : product.NetPrice;
            }
            errors.Require(unitPrice is not null || product is not null, field + "unitPrice", "unitPrice is required for a line without a product.");
            errors.Require(unitPrice is null || (Math.Abs(unitPrice.Value) < 1_000_000_000_000m && decimal.Round(unitPrice.Value, 4) == unitPrice.Value), field + "unitPrice", "unitPrice has at most 4 decimal places.");
            errors.Require(unitPrice is null || Math.Abs(input.Quantity * unitPrice.Value) < MaxAmount, $"lines[{i}]", $"quantity × unitPrice must stay below {MaxAmount:#,0}.");
            if (rate is null || unitPrice is null || description is null) continue;
            built.Add(new InvoiceLine
            {
                InvoiceId = invoice.Id,
                Position = i + 1,
                ProductId = product?.Id,
                Description = description,
                Unit = unit ?? "szt.",
                Quantity = input.Quantity,
                UnitPrice = unitPrice.Value,
                DiscountPercent = discount,
                VatRateCode = rate.Code,
                VatKind = rate.Kind,
                VatPercent = rate.Percent,
            });
        }
        errors.ThrowIfAny();

        var totals = InvoiceCalculator.Calculate(
            built.Select(l => new CalculationLine(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatKind, l.VatPercent)).ToList(),
            c.PricingMode, currency);
        if (Math.Abs(totals.Gross) >= MaxAmount || Math.Abs(totals.Net) >= MaxAmount)
            throw new ValidationException("lines", $"The invoice total must stay below {MaxAmount:#,0}.");
        for (var i = 0; i < built.Count; i++)
        {
            built[i].Net = totals.Lines[i].Net;
            built[i].Vat = totals.Lines[i].Vat;
            built[i].Gross = totals.Lines[i].Gross;
        }

        invoice.PartyId = c.PartyId;
        invoice.SeriesId = series.Id;
        invoice.Currency = currency.Code!;
        invoice.PricingMode = c.PricingMode;
        invoice.IssueDate = c.IssueDate;
        invoice.SaleDate = c.SaleDate;
        invoice.PaymentTermDays = c.PaymentTermDays;
        invoice.Notes = notes;
        invoice.Lines.AddRange(built);
        invoice.VatTotals.AddRange(totals.ByRate.Select(r => new InvoiceVatTotal
        {
            InvoiceId = invoice.Id, VatRateCode = r.VatRateCode, VatKind = r.VatKind, VatPercent = r.VatPercent, Net = r.Net, Vat = r.Vat, Gross = r.Gross,
        }));
        invoice.TotalNet = totals.Net;
        invoice.TotalVat = totals.Vat;
        invoice.TotalGross = totals.Gross;
    }

    private NumberingSeries? defaultSeries;

    private async Task<NumberingSeries> DefaultSeriesAsync(CancellationToken ct) =>
        defaultSeries ??= await db.NumberingSeries.AsNoTracking().FirstOrDefaultAsync(s => s.DocumentType == NumberingSeries.InvoiceDocumentType && s.IsDefault, ct)
                          ?? throw new InvalidOperationException("No default invoice numbering series; the database was not initialised.");
}
