using Kontor.Common;
using Kontor.Events;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Ledger;

/// <summary>
/// Posting rule for an issued sales invoice or correction invoice: receivable (per party) against
/// revenue and output VAT — a negative amount (a correction that gives money back) posts the opposite
/// sides — plus the open items that payments settle. Runs inside the issuing transaction.
/// </summary>
public sealed class PostIssuedInvoice(Journal journal, KontorDbContext db, IOptions<PostingAccounts> accounts, ExchangeDifferences exchangeDifferences)
    : IDomainEventHandler<InvoiceIssued>
{
    public async Task HandleAsync(InvoiceIssued e, CancellationToken ct)
    {
        // A correction whose lines change but whose totals do not (two lines swapping quantities) has nothing to post.
        if (e.IsCorrection && e.Net == 0 && e.Vat == 0 && e.Gross == 0) return;
        var a = accounts.Value;
        var currency = Currency.Parse(e.Currency);
        var entry = await journal.PostAsync(e.IssueDate, $"{(e.IsCorrection ? "Correction invoice" : "Sales invoice")} {e.Number}", "invoice", e.InvoiceId, e.Number, currency,
        [
            new JournalLineDraft(a.Receivables, Debit: Math.Max(e.Gross, 0), Credit: Math.Max(-e.Gross, 0), e.PartyId),
            new JournalLineDraft(a.SalesRevenue, Debit: Math.Max(-e.Net, 0), Credit: Math.Max(e.Net, 0)),
            new JournalLineDraft(a.VatOutput, Debit: Math.Max(-e.Vat, 0), Credit: Math.Max(e.Vat, 0),
                BaseAmount: e.VatInBaseCurrency is { } vat ? Math.Abs(vat) : null),
        ], ct, e.ExchangeRate);
        // What the document put on receivables in the book currency: the open item carries it, so a settlement at another rate realises the difference.
        var booked = entry.Lines.Where(l => l.AccountCode == a.Receivables).Sum(l => l.BaseDebit + l.BaseCredit);
        if (e.Gross > 0) AddOpenItem(e, OpenItemSide.Receivable, e.Gross, booked, e.DueDate);
        else if (e.Gross < 0) await SettleDecreaseAsync(e, -e.Gross, booked, Currency.Parse(entry.BaseCurrency), ct);
    }

    private void AddOpenItem(InvoiceIssued e, OpenItemSide side, decimal amount, decimal baseAmount, DateOnly? dueDate) =>
        db.OpenItems.Add(new OpenItem
        {
            PartyId = e.PartyId,
            Side = side,
            SourceType = e.IsCorrection ? NumberingSeries.CorrectionDocumentType : NumberingSeries.InvoiceDocumentType,
            SourceId = e.InvoiceId,
            DocumentNumber = e.Number,
            DocumentDate = e.IssueDate,
            DueDate = dueDate,
            Currency = e.Currency,
            Amount = amount,
            OpenAmount = amount,
            BaseAmount = baseAmount,
            OpenBaseAmount = baseAmount,
        });

    /// <summary>
    /// A correction that lowers the amount lowers what the party owes: it settles the open amount of the
    /// corrected chain (the corrected document first, then the original invoice and its other increasing
    /// corrections, oldest first), and what is left over — the party had already paid more — stays as a credit.
    /// </summary>
    /// <remarks>
    /// The correction keeps the invoice's rate, so the book amounts it takes off differ from the items' own only by
    /// rounding; that grosz is posted like a realised exchange difference, so a settled chain leaves 201 at zero in PLN.
    /// </remarks>
    private async Task SettleDecreaseAsync(InvoiceIssued e, decimal decrease, decimal booked, Currency bookCurrency, CancellationToken ct)
    {
        var originalId = e.OriginalInvoiceId ?? e.CorrectedInvoiceId!.Value;
        var chain = await db.Invoices.Where(i => i.Id == originalId || i.OriginalInvoiceId == originalId).Select(i => i.Id).ToListAsync(ct);
        var open = await db.OpenItems
            .Where(o => chain.Contains(o.SourceId) && o.PartyId == e.PartyId && o.Side == OpenItemSide.Receivable && o.Currency == e.Currency && o.OpenAmount > 0)
            .ToListAsync(ct);
        var plan = new List<(OpenItem Item, decimal Amount)>();
        var left = decrease;
        foreach (var item in open.OrderBy(o => o.SourceId == e.CorrectedInvoiceId ? 0 : 1).ThenBy(o => o.DocumentDate).ThenBy(o => o.Id))
        {
            if (left == 0) break;
            var amount = Math.Min(left, item.OpenAmount);
            plan.Add((item, amount));
            left -= amount;
        }
        var shares = ExchangeDifferences.Split(booked, [.. plan.Select(p => p.Amount), left], bookCurrency);
        var differences = new List<RealisedDifference>();
        for (var i = 0; i < plan.Count; i++)
        {
            var (item, amount) = plan[i];
            var settledBase = ExchangeDifferences.TakeBase(item, amount, bookCurrency);
            item.OpenAmount -= amount;
            item.Version = Guid.NewGuid();
            if (item.OpenAmount == 0) item.SettledOn = e.IssueDate;
            var settlement = new CorrectionSettlement { CorrectionId = e.InvoiceId, OpenItemId = item.Id, SourceId = item.SourceId, Amount = amount, Date = e.IssueDate };
            if (settledBase is { } settled)
            {
                settlement.ExchangeDifference = shares[i] - settled;
                differences.Add(new RealisedDifference(e.PartyId, item, shares[i] - settled));
            }
            db.CorrectionSettlements.Add(settlement);
        }
        await exchangeDifferences.PostAsync(e.IssueDate, e.InvoiceId, e.Number, bookCurrency, differences, ct);
        if (left > 0) AddOpenItem(e, OpenItemSide.Credit, left, shares[^1], dueDate: null);
    }
}
