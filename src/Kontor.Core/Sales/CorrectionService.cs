using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Sales;

/// <summary>
/// A changed line of the corrected document, named by its position there; what is omitted stays as it was.
/// </summary>
public sealed record CorrectionLineInput(int? Position, decimal? Quantity, decimal? UnitPrice, decimal? DiscountPercent, string? VatRateCode);

/// <param name="Reason">Przyczyna korekty: required.</param>
/// <param name="FullReversal">Every line to zero (the whole sale is undone); then <paramref name="Lines"/> must be empty.</param>
public sealed record CreateCorrection(string? Reason, DateOnly? IssueDate, bool FullReversal, IReadOnlyList<CorrectionLineInput>? Lines);

/// <summary>
/// Correction invoices (faktura korygująca, art. 106j): makes a correction draft of an issued invoice,
/// which <see cref="InvoiceService.IssueAsync"/> then numbers in the correction series and posts
/// (docs/decisions.md §15). The "before" of a correction is always the latest issued state of the
/// invoice: the invoice itself, or the last correction of it.
/// </summary>
public sealed class CorrectionService(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    VatRates vatRates,
    CompanyProfileProvider company,
    ReferenceData referenceData,
    TimeProvider clock)
{
    public const int MaxReasonLength = 1000;

    public async Task<Invoice> CreateDraftAsync(Guid invoiceId, CreateCorrection command, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var reason = errors.Text(command.Reason, "reason", MaxReasonLength);
        var changes = command.Lines ?? [];
        if (command.FullReversal && changes.Count > 0) errors.Add("lines", "A full reversal sets every line to zero; give either fullReversal or lines, not both.");
        if (!command.FullReversal && changes.Count == 0) errors.Add("lines", "Give the changed lines (by position) or fullReversal: true.");
        if (changes.Count > InvoiceService.MaxLines) { errors.Add("lines", $"A correction changes at most {InvoiceService.MaxLines} lines."); errors.ThrowIfAny(); }

        return await unitOfWork.ExecuteAsync(async token =>
        {
            var named = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId, token)
                        ?? throw new NotFoundException("Invoice", invoiceId);
            if (named.Kind == InvoiceKind.ProForma)
                throw new ConflictException($"{named.Number ?? named.Id.ToString()} is a pro forma, not a tax document: it is not corrected; cancel it and issue a new one.");
            // Advance and final invoices post to the advances-received account and deduct each other; a correction of
            // them needs its own posting rule, which does not exist yet (docs/decisions.md §24).
            if (named.Kind is InvoiceKind.Advance or InvoiceKind.Final)
                throw new ConflictException($"{InvoiceService.KindName(named.Kind)} {named.Number ?? named.Id.ToString()} cannot be corrected in Kontor yet.");
            if (named.Status != InvoiceStatus.Issued)
                throw new ConflictException($"{InvoiceService.KindName(named.Kind)} {invoiceId} is a draft: change the draft itself; only issued invoices are corrected.");
            var originalId = named.Kind == InvoiceKind.Correction ? named.OriginalInvoiceId!.Value : named.Id;
            var corrected = await LatestIssuedStateAsync(originalId, token);
            var original = originalId == corrected.Id ? corrected
                : await db.Invoices.AsNoTracking().FirstAsync(i => i.Id == originalId, token);

            errors.Require(command.IssueDate is null || command.IssueDate >= corrected.IssueDate, "issueDate",
                $"issueDate cannot be before the corrected document's issue date ({corrected.IssueDate:yyyy-MM-dd}).");
            var lines = await BuildLinesAsync(corrected, command.FullReversal, changes, errors, token);
            errors.ThrowIfAny();

            var correction = new Invoice
            {
                CreatedAt = clock.GetUtcNow(),
                Kind = InvoiceKind.Correction,
                Status = InvoiceStatus.Draft,
                SeriesId = await CorrectionSeriesIdAsync(token),
                PartyId = corrected.PartyId,
                Currency = corrected.Currency,
                PricingMode = corrected.PricingMode,
                IssueDate = command.IssueDate,
                SaleDate = original.SaleDate,
                // An increase is payable on the original invoice's term, counted from the correction's issue date.
                PaymentTermDays = original.DueDate!.Value.DayNumber - original.IssueDate!.Value.DayNumber,
                CorrectedInvoiceId = corrected.Id,
                OriginalInvoiceId = originalId,
                // A correction changes the same sale, so it stays with the corrected invoice's campaign.
                CampaignId = corrected.CampaignId,
                CorrectedInvoiceNumber = corrected.Number,
                CorrectedInvoiceIssueDate = corrected.IssueDate,
                CorrectionReason = reason,
                // A correction of price or quantity converts at the corrected invoice's rate (docs/currencies.md), not a new one.
                ExchangeRate = corrected.ExchangeRate,
                ExchangeRateTable = corrected.ExchangeRateTable,
                ExchangeRateDate = corrected.ExchangeRateDate,
            };
            foreach (var line in lines) correction.Lines.Add(Assign(line, correction.Id));
            ApplyTotals(correction, corrected);
            db.Invoices.Add(correction);
            db.DocumentLinks.Add(new DocumentLink
            {
                FromType = corrected.Kind == InvoiceKind.Correction ? NumberingSeries.CorrectionDocumentType : NumberingSeries.InvoiceDocumentType,
                FromId = corrected.Id,
                ToType = NumberingSeries.CorrectionDocumentType,
                ToId = correction.Id,
                CreatedAt = correction.CreatedAt,
            });
            audit.Record("correction.draft-created", nameof(Invoice), correction.Id, new
            {
                correctedInvoiceId = corrected.Id, corrected.Number, reason, command.FullReversal,
                changedPositions = correction.Lines.Where(Changed).Select(l => l.Position),
                difference = new { correction.TotalNet, correction.TotalVat, correction.TotalGross },
            });
            return correction;
        }, ct);
    }

    /// <summary>
    /// What a new correction of <paramref name="invoiceId"/> would start from — the latest issued document
    /// of its chain, with lines and VAT totals — for a form to show before anything is written.
    /// </summary>
    public async Task<Invoice> CorrectableStateAsync(Guid invoiceId, CancellationToken ct = default)
    {
        var named = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId, ct)
                    ?? throw new NotFoundException("Invoice", invoiceId);
        if (named.Status != InvoiceStatus.Issued)
            throw new ConflictException($"Invoice {invoiceId} is a draft: change the draft itself; only issued invoices are corrected.");
        return await LatestIssuedStateAsync(named.Kind == InvoiceKind.Correction ? named.OriginalInvoiceId!.Value : named.Id, ct);
    }

    /// <summary>The last issued document of the chain: the state every new correction starts from.</summary>
    private async Task<Invoice> LatestIssuedStateAsync(Guid originalId, CancellationToken ct)
    {
        // Issuing keeps the chain linear (each correction corrects the latest state), so its end is the one
        // issued document no issued correction refers to — no reliance on timestamps, which may be equal.
        var chain = await db.Invoices.AsNoTracking()
            .Where(i => (i.Id == originalId || i.OriginalInvoiceId == originalId) && i.Status == InvoiceStatus.Issued)
            .Select(i => new { i.Id, i.CorrectedInvoiceId }).ToListAsync(ct);
        var corrected = chain.Where(i => i.CorrectedInvoiceId is not null).Select(i => i.CorrectedInvoiceId!.Value).ToHashSet();
        var latestId = chain.Single(i => !corrected.Contains(i.Id)).Id;
        return await db.Invoices.AsNoTracking().Include(i => i.Lines).Include(i => i.VatTotals).AsSplitQuery().FirstAsync(i => i.Id == latestId, ct);
    }

    private async Task<List<InvoiceLine>> BuildLinesAsync(Invoice corrected, bool fullReversal, IReadOnlyList<CorrectionLineInput> changes,
        ValidationErrors errors, CancellationToken ct)
    {
        var byPosition = corrected.Lines.ToDictionary(l => l.Position);
        var after = corrected.Lines.OrderBy(l => l.Position).Select(CopyAsBefore).ToDictionary(l => l.Position);
        if (fullReversal)
            foreach (var line in after.Values) line.Quantity = 0;

        var profile = await company.GetAsync(ct);
        var taxPointDate = corrected.SaleDate ?? corrected.IssueDate!.Value;
        var seen = new HashSet<int>();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            var field = $"lines[{i}].";
            if (change is null) { errors.Add($"lines[{i}]", "line is required."); continue; }
            if (change.Position is not { } position || !byPosition.ContainsKey(position))
            {
                errors.Add(field + "position", $"The corrected document {corrected.Number} has no line at position {change.Position?.ToString() ?? Messages.Translate("(none)")}; positions are 1–{corrected.Lines.Count}.");
                continue;
            }
            if (!seen.Add(position)) { errors.Add(field + "position", $"Position {position} appears twice."); continue; }
            if (change.Quantity is null && change.UnitPrice is null && change.DiscountPercent is null && change.VatRateCode is null)
                errors.Add($"lines[{i}]", "Give at least one of quantity, unitPrice, discountPercent, vatRateCode.");
            var line = after[position];
            if (change.Quantity is { } quantity)
            {
                errors.Require(quantity >= 0 && quantity < 1_000_000_000m && decimal.Round(quantity, 4) == quantity, field + "quantity",
                    "quantity after the correction is zero or more, with at most 4 decimal places and fewer than 10 integer digits.");
                line.Quantity = quantity;
            }
            if (change.UnitPrice is { } unitPrice)
            {
                errors.Require(unitPrice >= 0 && unitPrice < 1_000_000_000_000m && decimal.Round(unitPrice, 4) == unitPrice, field + "unitPrice",
                    "unitPrice after the correction is zero or more, with at most 4 decimal places.");
                line.UnitPrice = unitPrice;
            }
            if (change.DiscountPercent is { } discount)
            {
                errors.Require(discount is >= 0 and <= 100, field + "discountPercent", "discountPercent must be between 0 and 100.");
                line.DiscountPercent = discount;
            }
            if (change.VatRateCode is not null &&
                await errors.TryAsync(() => vatRates.ResolveAsync(profile.CountryCode, change.VatRateCode, taxPointDate, field + "vatRateCode", ct)) is { } rate)
            {
                line.VatRateCode = rate.Code;
                line.VatKind = rate.Kind;
                line.VatPercent = rate.Percent;
            }
            errors.Require(Math.Abs(line.Quantity * line.UnitPrice) < InvoiceService.MaxAmount, $"lines[{i}]", $"quantity × unitPrice must stay below {InvoiceService.MaxAmount:#,0}.");
        }
        if (!errors.Any && !after.Values.Any(Changed))
            errors.Add("lines", "The correction changes nothing: every line is as the corrected document has it.");
        return after.Values.ToList();
    }

    /// <summary>A copy of the corrected document's line, with that line's figures as the "before" state.</summary>
    private static InvoiceLine CopyAsBefore(InvoiceLine l) => new()
    {
        Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
        Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
        VatRateCode = l.VatRateCode, VatKind = l.VatKind, VatPercent = l.VatPercent,
        BeforeQuantity = l.Quantity, BeforeUnitPrice = l.UnitPrice, BeforeDiscountPercent = l.DiscountPercent,
        BeforeVatRateCode = l.VatRateCode, BeforeVatPercent = l.VatPercent,
        BeforeNet = l.Net, BeforeVat = l.Vat, BeforeGross = l.Gross,
    };

    private static InvoiceLine Assign(InvoiceLine l, Guid invoiceId) => new()
    {
        InvoiceId = invoiceId,
        Position = l.Position, ProductId = l.ProductId, Description = l.Description, Unit = l.Unit,
        Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
        VatRateCode = l.VatRateCode, VatKind = l.VatKind, VatPercent = l.VatPercent,
        BeforeQuantity = l.BeforeQuantity, BeforeUnitPrice = l.BeforeUnitPrice, BeforeDiscountPercent = l.BeforeDiscountPercent,
        BeforeVatRateCode = l.BeforeVatRateCode, BeforeVatPercent = l.BeforeVatPercent,
        BeforeNet = l.BeforeNet, BeforeVat = l.BeforeVat, BeforeGross = l.BeforeGross,
    };

    private static bool Changed(InvoiceLine l) =>
        l.Quantity != l.BeforeQuantity || l.UnitPrice != l.BeforeUnitPrice || l.DiscountPercent != l.BeforeDiscountPercent
        || !string.Equals(l.VatRateCode, l.BeforeVatRateCode, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The after state with the invoice arithmetic (VAT per rate from the sum of the rate's lines), the
    /// before state per rate as the corrected document states it, and the signed difference as the totals.
    /// </summary>
    private static void ApplyTotals(Invoice correction, Invoice corrected)
    {
        var currency = Currency.Parse(correction.Currency);
        var totals = InvoiceCalculator.Calculate(
            correction.Lines.Select(l => new CalculationLine(l.Quantity, l.UnitPrice, l.DiscountPercent, l.VatRateCode, l.VatKind, l.VatPercent)).ToList(),
            correction.PricingMode, currency);
        if (Math.Abs(totals.Gross) >= InvoiceService.MaxAmount || Math.Abs(totals.Net) >= InvoiceService.MaxAmount)
            throw new ValidationException("lines", $"The invoice total must stay below {InvoiceService.MaxAmount:#,0}.");
        for (var i = 0; i < correction.Lines.Count; i++)
        {
            correction.Lines[i].Net = totals.Lines[i].Net;
            correction.Lines[i].Vat = totals.Lines[i].Vat;
            correction.Lines[i].Gross = totals.Lines[i].Gross;
        }

        var before = corrected.VatTotals.ToDictionary(v => v.VatRateCode, StringComparer.OrdinalIgnoreCase);
        var after = totals.ByRate.ToDictionary(r => r.VatRateCode, StringComparer.OrdinalIgnoreCase);
        foreach (var code in before.Keys.Union(after.Keys, StringComparer.OrdinalIgnoreCase))
        {
            var b = before.GetValueOrDefault(code);
            var a = after.GetValueOrDefault(code);
            correction.VatTotals.Add(new InvoiceVatTotal
            {
                InvoiceId = correction.Id,
                VatRateCode = a?.VatRateCode ?? b!.VatRateCode,
                VatKind = a?.VatKind ?? b!.VatKind,
                VatPercent = a?.VatPercent ?? b!.VatPercent,
                Net = a?.Net ?? 0, Vat = a?.Vat ?? 0, Gross = a?.Gross ?? 0,
                BeforeNet = b?.Net ?? 0, BeforeVat = b?.Vat ?? 0, BeforeGross = b?.Gross ?? 0,
            });
        }
        correction.TotalNet = correction.VatTotals.Sum(v => v.Net - v.BeforeNet!.Value);
        correction.TotalVat = correction.VatTotals.Sum(v => v.Vat - v.BeforeVat!.Value);
        correction.TotalGross = correction.VatTotals.Sum(v => v.Gross - v.BeforeGross!.Value);
        if (correction.ExchangeRate is { } rate)
        {
            // The VAT difference of each rate in PLN at the corrected invoice's rate, rounded to the grosz like the invoice's own.
            foreach (var v in correction.VatTotals)
                v.VatInBaseCurrency = decimal.Round((v.Vat - v.BeforeVat!.Value) * rate, 2, MidpointRounding.AwayFromZero);
            correction.VatInBaseCurrency = correction.VatTotals.Sum(v => v.VatInBaseCurrency!.Value);
        }
    }

    private async Task<Guid> CorrectionSeriesIdAsync(CancellationToken ct)
    {
        var reference = await referenceData.GetAsync(ct);
        var series = reference.NumberingSeries.FirstOrDefault(s => s.DocumentType == NumberingSeries.CorrectionDocumentType && s.IsDefault)
                     ?? await db.NumberingSeries.AsNoTracking().FirstOrDefaultAsync(s => s.DocumentType == NumberingSeries.CorrectionDocumentType && s.IsDefault, ct)
                     ?? throw new InvalidOperationException("No default correction numbering series; the database was not initialised.");
        return series.Id;
    }
}
