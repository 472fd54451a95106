using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Purchases;

/// <param name="Vat">The VAT the supplier states for the line; null computes net × rate. A stated amount may differ from
/// the computed one by rounding only (at most <see cref="PurchaseInvoiceService.VatTolerance"/> minor units).</param>
/// <param name="AccountCode">Expense or asset account; null takes the document's.</param>
public sealed record PurchaseLineInput(string? Description, decimal Net, string? VatRateCode, decimal? Vat = null, string? AccountCode = null,
    VatDeduction Deduction = VatDeduction.Full, decimal? DeductiblePercent = null);

/// <param name="CorrectedInvoiceId">Set for a correction: the booked purchase invoice it corrects (same supplier and currency).</param>
public sealed record SavePurchaseInvoice(Guid SupplierId, string? SupplierInvoiceNumber, DateOnly? IssueDate, DateOnly? ReceiptDate, DateOnly? SaleDate,
    DateOnly? DueDate, string? Currency, string? AccountCode, string? Notes, IReadOnlyList<PurchaseLineInput>? Lines,
    Guid? CorrectedInvoiceId = null, string? CorrectionReason = null);

public sealed record PurchaseInvoiceListItem(Guid Id, PurchaseInvoiceStatus Status, PurchaseInvoiceKind Kind, Guid SupplierId, string SupplierName,
    string SupplierInvoiceNumber, DateOnly IssueDate, DateOnly ReceiptDate, DateOnly DueDate, string Currency, decimal TotalNet, decimal TotalVat, decimal TotalGross,
    decimal? OpenAmount);

/// <summary>
/// Purchase invoices from suppliers: drafts, booking (journal + payable open item in one transaction), corrections.
/// Booked documents never change (the database context refuses it as well).
/// </summary>
public sealed class PurchaseInvoiceService(KontorDbContext db, UnitOfWork unitOfWork, Journal journal, BookRates bookRates, VatRates vatRates,
    ReferenceData referenceData, IOptions<PostingAccounts> accounts, AuditTrail audit, BusinessCalendar calendar, TimeProvider clock, ICurrentActor actor)
{
    public const int VatTolerance = 5;
    public const int MaxLines = 200;

    public async Task<PurchaseInvoice> CreateDraftAsync(SavePurchaseInvoice command, CancellationToken ct = default)
    {
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = new PurchaseInvoice { CreatedAt = clock.GetUtcNow() };
            await ApplyAsync(invoice, command, token);
            db.PurchaseInvoices.Add(invoice);
            audit.Record("purchase-invoice.created", nameof(PurchaseInvoice), invoice.Id, new { invoice.SupplierId, invoice.SupplierInvoiceNumber, invoice.TotalGross, invoice.Currency });
            return invoice;
        }, ct);
    }

    public async Task<PurchaseInvoice> UpdateDraftAsync(Guid id, SavePurchaseInvoice command, CancellationToken ct = default)
    {
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadDraftAsync(id, token);
            db.PurchaseInvoiceLines.RemoveRange(invoice.Lines);
            invoice.Lines.Clear();
            await ApplyAsync(invoice, command, token);
            invoice.Version = Guid.NewGuid();
            audit.Record("purchase-invoice.updated", nameof(PurchaseInvoice), invoice.Id, new { invoice.SupplierInvoiceNumber, invoice.TotalGross });
            return invoice;
        }, ct);
    }

    public async Task DeleteDraftAsync(Guid id, CancellationToken ct = default)
    {
        await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadDraftAsync(id, token);
            db.PurchaseInvoices.Remove(invoice);
            audit.Record("purchase-invoice.deleted", nameof(PurchaseInvoice), invoice.Id, new { invoice.SupplierInvoiceNumber });
            return true;
        }, ct);
    }

    /// <summary>
    /// Books a draft: Dr expense/asset accounts (net + non-deductible VAT), Dr VAT input (deductible VAT), Cr payables
    /// (supplier) gross — a negative correction posts the opposite sides — and the payable open item that supplier
    /// payments settle. A foreign-currency invoice is booked at the NBP rate of the business day before its issue date
    /// (a correction at the rate of the invoice it corrects); the register's PLN figures are the journal's.
    /// </summary>
    public async Task<PurchaseInvoice> BookAsync(Guid id, CancellationToken ct = default)
    {
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var invoice = await LoadDraftAsync(id, token);
            var supplier = await db.Parties.AsNoTracking().FirstAsync(p => p.Id == invoice.SupplierId, token);
            var reference = await referenceData.GetAsync(token);
            var baseCurrency = Common.Currency.Parse(reference.Company?.BaseCurrency ?? "PLN");
            var currency = Common.Currency.Parse(invoice.Currency);
            PurchaseInvoice? corrected = invoice.CorrectedInvoiceId is { } correctedId
                ? await db.PurchaseInvoices.AsNoTracking().FirstAsync(p => p.Id == correctedId, token)
                : null;

            BookRate? rate = null;
            if (currency.Code != baseCurrency.Code)
            {
                rate = corrected?.ExchangeRate is { } originalRate
                    ? new BookRate(originalRate, corrected.ExchangeRateTable, corrected.ExchangeRateDate)
                    : await bookRates.ForPostingAsync(currency.Code!, invoice.IssueDate, token);
                invoice.ExchangeRate = rate.Rate;
                invoice.ExchangeRateTable = rate.Table;
                invoice.ExchangeRateDate = rate.Date;
            }
            decimal ToBase(decimal amount) => rate is null ? amount : Money.RoundToMinorUnits(amount * rate.Rate, baseCurrency);
            foreach (var line in invoice.Lines)
            {
                line.NetBase = ToBase(line.Net);
                line.VatBase = ToBase(line.Vat);
                line.DeductibleVatBase = ToBase(line.DeductibleVat);
            }
            invoice.TotalNetBase = invoice.Lines.Sum(l => l.NetBase!.Value);
            invoice.TotalVatBase = invoice.Lines.Sum(l => l.VatBase!.Value);
            invoice.DeductibleVatBase = invoice.Lines.Sum(l => l.DeductibleVatBase!.Value);

            var a = accounts.Value;
            var drafts = new List<JournalLineDraft>();
            foreach (var group in invoice.Lines.GroupBy(l => l.AccountCode).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var amount = group.Sum(l => l.Net + l.Vat - l.DeductibleVat);
                var amountBase = group.Sum(l => l.NetBase!.Value + l.VatBase!.Value - l.DeductibleVatBase!.Value);
                drafts.Add(Signed(group.Key, amount, amountBase, rate is not null, null));
            }
            drafts.Add(Signed(a.VatInput, invoice.DeductibleVat, invoice.DeductibleVatBase.Value, rate is not null, null));
            drafts.Add(Signed(a.Payables, -invoice.TotalGross, -(invoice.TotalNetBase.Value + invoice.TotalVatBase.Value), rate is not null, invoice.SupplierId));
            var kind = invoice.Kind == PurchaseInvoiceKind.Correction ? "Purchase correction" : "Purchase invoice";
            await journal.PostAsync(invoice.IssueDate, $"{kind} {invoice.SupplierInvoiceNumber} ({supplier.Name})", PurchaseInvoice.DocumentType, invoice.Id,
                invoice.SupplierInvoiceNumber, currency, drafts, token, rate);

            if (invoice.TotalGross > 0) AddOpenItem(invoice, OpenItemSide.Payable, invoice.TotalGross, invoice.DueDate);
            else if (invoice.TotalGross < 0) await SettleDecreaseAsync(invoice, -invoice.TotalGross, token);

            invoice.Status = PurchaseInvoiceStatus.Booked;
            invoice.SupplierName = supplier.Name;
            invoice.SupplierTaxId = supplier.TaxId;
            invoice.SupplierCountryCode = supplier.Address.CountryCode;
            invoice.BookedAt = clock.GetUtcNow();
            invoice.BookedBy = actor.Name;
            invoice.Version = Guid.NewGuid();
            audit.Record("purchase-invoice.booked", nameof(PurchaseInvoice), invoice.Id, new
            {
                invoice.SupplierId, invoice.SupplierInvoiceNumber, invoice.TotalGross, invoice.Currency, invoice.DeductibleVat, invoice.ExchangeRate,
            });
            return invoice;
        }, ct);
    }

    /// <summary>A journal line from a signed amount: positive = debit, negative = credit (book amount fixed for foreign currency).</summary>
    private static JournalLineDraft Signed(string account, decimal amount, decimal amountBase, bool fixBase, Guid? partyId) =>
        new(account, Debit: Math.Max(amount, 0), Credit: Math.Max(-amount, 0), partyId, fixBase ? Math.Abs(amountBase) : null);

    private void AddOpenItem(PurchaseInvoice invoice, OpenItemSide side, decimal amount, DateOnly? dueDate) =>
        db.OpenItems.Add(new OpenItem
        {
            PartyId = invoice.SupplierId,
            Side = side,
            SourceType = PurchaseInvoice.DocumentType,
            SourceId = invoice.Id,
            DocumentNumber = invoice.SupplierInvoiceNumber,
            DocumentDate = invoice.IssueDate,
            DueDate = dueDate,
            Currency = invoice.Currency,
            Amount = amount,
            OpenAmount = amount,
        });

    /// <summary>A correction that lowers what we owe settles the corrected invoice's payable; beyond it the supplier owes us (prepaid).</summary>
    private async Task SettleDecreaseAsync(PurchaseInvoice correction, decimal decrease, CancellationToken ct)
    {
        var correctedId = correction.CorrectedInvoiceId!.Value;
        var open = await db.OpenItems.Where(o => o.SourceId == correctedId && o.Side == OpenItemSide.Payable && o.OpenAmount > 0).ToListAsync(ct);
        var left = decrease;
        foreach (var item in open)
        {
            var amount = Math.Min(left, item.OpenAmount);
            if (amount == 0) break;
            item.OpenAmount -= amount;
            item.Version = Guid.NewGuid();
            if (item.OpenAmount == 0) item.SettledOn = correction.IssueDate;
            db.CorrectionSettlements.Add(new CorrectionSettlement { CorrectionId = correction.Id, OpenItemId = item.Id, SourceId = item.SourceId, Amount = amount, Date = correction.IssueDate });
            left -= amount;
        }
        if (left > 0) AddOpenItem(correction, OpenItemSide.Prepaid, left, dueDate: null);
    }

    private async Task<PurchaseInvoice> LoadDraftAsync(Guid id, CancellationToken ct)
    {
        var invoice = await db.PurchaseInvoices.Include(p => p.Lines).FirstOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException("Purchase invoice", id);
        if (invoice.Status == PurchaseInvoiceStatus.Booked)
            throw new ConflictException($"Purchase invoice {invoice.SupplierInvoiceNumber} is booked and cannot change; enter a correction instead.");
        return invoice;
    }

    /// <summary>Validates the whole command (every field at once) and writes it onto the draft.</summary>
    private async Task ApplyAsync(PurchaseInvoice invoice, SavePurchaseInvoice c, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var reference = await referenceData.GetAsync(ct);
        var company = reference.Company!;
        var currency = errors.Try(() => Common.Currency.Parse(c.Currency ?? company.BaseCurrency));
        var number = errors.Text(c.SupplierInvoiceNumber, "supplierInvoiceNumber", 64);
        errors.Require(c.IssueDate is not null, "issueDate", "issueDate is required.");
        var issueDate = c.IssueDate ?? calendar.Today();
        var receiptDate = c.ReceiptDate ?? issueDate;
        errors.Require(receiptDate >= issueDate, "receiptDate", "receiptDate cannot be before issueDate.");
        errors.Require(c.DueDate is null || c.DueDate >= issueDate, "dueDate", "dueDate cannot be before issueDate.");
        var notes = errors.Text(c.Notes, "notes", 2000, required: false);
        var defaultAccount = c.AccountCode?.Trim();
        if (!string.IsNullOrEmpty(defaultAccount)) CheckAccount(defaultAccount, "accountCode", reference.Accounts, errors);

        var supplier = await db.Parties.AsNoTracking().FirstOrDefaultAsync(p => p.Id == c.SupplierId, ct);
        if (supplier is null) errors.Add("supplierId", $"Party {c.SupplierId} does not exist.");

        PurchaseInvoice? corrected = null;
        var reason = errors.Text(c.CorrectionReason, "correctionReason", 500, required: c.CorrectedInvoiceId is not null);
        if (c.CorrectedInvoiceId is { } correctedId)
        {
            corrected = await db.PurchaseInvoices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == correctedId, ct);
            if (corrected is null || corrected.Status != PurchaseInvoiceStatus.Booked)
                errors.Add("correctedInvoiceId", "correctedInvoiceId must name a booked purchase invoice.");
            else
            {
                errors.Require(corrected.SupplierId == c.SupplierId, "supplierId", "A correction has the supplier of the invoice it corrects.");
                errors.Require(currency.Code is null || corrected.Currency == currency.Code, "currency", $"A correction is in the currency of the invoice it corrects ({corrected.Currency}).");
                errors.Require(issueDate >= corrected.IssueDate, "issueDate", "A correction cannot be dated before the invoice it corrects.");
            }
        }

        var lines = c.Lines ?? [];
        errors.Require(lines.Count > 0, "lines", "A purchase invoice needs at least one line.");
        errors.Require(lines.Count <= MaxLines, "lines", $"A purchase invoice has at most {MaxLines} lines.");
        var built = new List<PurchaseInvoiceLine>();
        for (var i = 0; i < lines.Count && i < MaxLines; i++)
        {
            var input = lines[i];
            var field = $"lines[{i}].";
            var description = errors.Text(input.Description, field + "description", 500, required: false);
            var account = string.IsNullOrWhiteSpace(input.AccountCode) ? defaultAccount : input.AccountCode.Trim();
            if (string.IsNullOrEmpty(account)) errors.Add(field + "accountCode", "Each line needs an account (on the line or the document's accountCode).");
            else if (account != defaultAccount) CheckAccount(account, field + "accountCode", reference.Accounts, errors);
            var rate = await errors.TryAsync(() => vatRates.ResolveAsync(company.CountryCode, input.VatRateCode, issueDate, field + "vatRateCode", ct));
            if (currency.Code is null || rate is null || string.IsNullOrEmpty(account)) continue;

            var net = input.Net;
            errors.Require(net != 0, field + "net", "net cannot be zero.");
            errors.Require(Math.Abs(net) < Sales.InvoiceService.MaxAmount, field + "net", $"net must stay below {Sales.InvoiceService.MaxAmount:#,0}.");
            errors.Require(Money.RoundToMinorUnits(net, currency) == net, field + "net", $"net must be in whole {currency.Code} minor units.");
            var computed = rate.Kind == VatRateKind.Percentage ? Money.RoundToMinorUnits(net * rate.Percent / 100m, currency) : 0m;
            var vat = input.Vat ?? computed;
            if (input.Vat is { } stated)
            {
                errors.Require(Money.RoundToMinorUnits(stated, currency) == stated, field + "vat", $"vat must be in whole {currency.Code} minor units.");
                var tolerance = VatTolerance * new decimal(1, 0, 0, false, (byte)currency.MinorUnits);
                errors.Require(Math.Abs(stated - computed) <= tolerance, field + "vat",
                    $"vat {stated} does not match net × {rate.Code} = {computed} (a supplier's rounding may differ by at most {tolerance}).");
            }
            decimal deductible;
            switch (input.Deduction)
            {
                case VatDeduction.Full: deductible = vat; break;
                case VatDeduction.None: deductible = 0; break;
                default:
                    var percent = input.DeductiblePercent ?? 0;
                    errors.Require(percent is > 0 and < 100, field + "deductiblePercent", "deductiblePercent must be between 0 and 100 (exclusive) for a partial deduction.");
                    deductible = Money.RoundToMinorUnits(vat * percent / 100m, currency);
                    break;
            }
            errors.Require(input.Deduction == VatDeduction.Partial || input.DeductiblePercent is null, field + "deductiblePercent", "deductiblePercent applies to a partial deduction only.");
            built.Add(new PurchaseInvoiceLine
            {
                PurchaseInvoiceId = invoice.Id,
                Position = i + 1,
                Description = description,
                AccountCode = account,
                VatRateCode = rate.Code,
                VatKind = rate.Kind,
                VatPercent = rate.Percent,
                Net = net,
                Vat = vat,
                Gross = net + vat,
                Deduction = input.Deduction,
                DeductiblePercent = input.Deduction == VatDeduction.Partial ? input.DeductiblePercent : null,
                DeductibleVat = deductible,
            });
        }
        var gross = built.Sum(l => l.Gross);
        if (!errors.Any)
        {
            if (corrected is null) errors.Require(gross > 0, "lines", "A purchase invoice must total more than zero; enter a decrease as a correction.");
            else errors.Require(gross != 0 || built.Any(l => l.Net != 0), "lines", "A correction must change something.");
        }
        errors.ThrowIfAny();

        if (await db.PurchaseInvoices.AnyAsync(p => p.SupplierId == c.SupplierId && p.SupplierInvoiceNumber == number && p.Id != invoice.Id, ct))
            throw new ValidationException("supplierInvoiceNumber", $"This supplier's invoice {number} is already entered.");

        invoice.Kind = corrected is null ? PurchaseInvoiceKind.Invoice : PurchaseInvoiceKind.Correction;
        invoice.SupplierId = c.SupplierId;
        invoice.SupplierInvoiceNumber = number!;
        invoice.IssueDate = issueDate;
        invoice.ReceiptDate = receiptDate;
        invoice.SaleDate = c.SaleDate;
        invoice.DueDate = c.DueDate ?? issueDate.AddDays(supplier!.PaymentTermDays);
        invoice.Currency = currency.Code!;
        invoice.Notes = notes;
        invoice.CorrectedInvoiceId = corrected?.Id;
        invoice.CorrectedInvoiceNumber = corrected?.SupplierInvoiceNumber;
        invoice.CorrectionReason = corrected is null ? null : reason;
        invoice.TotalNet = built.Sum(l => l.Net);
        invoice.TotalVat = built.Sum(l => l.Vat);
        invoice.TotalGross = gross;
        invoice.DeductibleVat = built.Sum(l => l.DeductibleVat);
        invoice.Lines.AddRange(built);
        db.PurchaseInvoiceLines.AddRange(built);
    }

    /// <summary>A purchase books to an expense or asset account, never to a settlement, VAT or bank account.</summary>
    private void CheckAccount(string code, string field, IReadOnlyDictionary<string, Account> chart, ValidationErrors errors)
    {
        if (!chart.TryGetValue(code, out var account))
            errors.Add(field, $"Account {code} is not in the chart of accounts.");
        else if (!CanTakePurchase(account))
            errors.Add(field, $"Account {code} cannot take a purchase; use an expense or asset account (e.g. 401, 402, 330).");
    }

    private bool CanTakePurchase(Account account)
    {
        var a = accounts.Value;
        return !(account.TracksParties || account.Code == a.VatInput || account.Code == a.VatOutput || account.Code == a.Bank
                 || account.Type is AccountType.Revenue or AccountType.OffBalance);
    }

    /// <summary>The accounts a purchase line may book to (the same rule the validation applies), for pickers.</summary>
    public async Task<IReadOnlyList<Account>> PurchaseAccountsAsync(CancellationToken ct = default)
    {
        var reference = await referenceData.GetAsync(ct);
        return reference.Accounts.Values.Where(CanTakePurchase).OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
    }

    public async Task<PurchaseInvoice> GetAsync(Guid id, CancellationToken ct = default) =>
        await db.PurchaseInvoices.AsNoTracking().Include(p => p.Lines.OrderBy(l => l.Position)).FirstOrDefaultAsync(p => p.Id == id, ct)
        ?? throw new NotFoundException("Purchase invoice", id);

    public async Task<IReadOnlyList<PurchaseInvoiceListItem>> ListAsync(Guid? supplierId, PurchaseInvoiceStatus? status, int skip, int take, CancellationToken ct = default)
    {
        var query = db.PurchaseInvoices.AsNoTracking().AsQueryable();
        if (supplierId is { } s) query = query.Where(p => p.SupplierId == s);
        if (status is { } st) query = query.Where(p => p.Status == st);
        var rows = await query
            .OrderByDescending(p => p.IssueDate).ThenByDescending(p => p.CreatedAt)
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 500))
            .Join(db.Parties, p => p.SupplierId, party => party.Id, (p, party) => new { p, party.Name })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.p.Id).ToList();
        var open = await db.OpenItems.AsNoTracking().Where(o => ids.Contains(o.SourceId) && o.Side == OpenItemSide.Payable)
            .Select(o => new { o.SourceId, o.OpenAmount }).ToListAsync(ct);
        var openById = open.ToDictionary(o => o.SourceId, o => o.OpenAmount);
        return rows.Select(r => new PurchaseInvoiceListItem(r.p.Id, r.p.Status, r.p.Kind, r.p.SupplierId, r.Name, r.p.SupplierInvoiceNumber, r.p.IssueDate,
            r.p.ReceiptDate, r.p.DueDate, r.p.Currency, r.p.TotalNet, r.p.TotalVat, r.p.TotalGross,
            openById.TryGetValue(r.p.Id, out var amount) ? amount : null)).ToList();
    }
}
