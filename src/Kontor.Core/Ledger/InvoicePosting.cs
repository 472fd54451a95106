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
        if (e.Kind is InvoiceKind.Advance or InvoiceKind.Final)
        {
            await PostAdvanceOrFinalAsync(e, a, currency, ct);
            return;
        }
        var entry = await journal.PostAsync(e.IssueDate, $"{(e.IsCorrection ? "Correction invoice" : "Sales invoice")} {e.Number}", "invoice", e.InvoiceId, e.Number, currency,
        [
            new JournalLineDraft(a.Receivables, Debit: Math.Max(e.Gross, 0), Credit: Math.Max(-e.Gross, 0), e.PartyId),
            new JournalLineDraft(a.SalesRevenue, Debit: Math.Max(-e.Net, 0), Credit: Math.Max(e.Net, 0)),
            new JournalLineDraft(a.VatOutput, Debit: Math.Max(-e.Vat, 0), Credit: Math.Max(e.Vat, 0),
                BaseAmount: e.VatInBaseCurrency is { } vat ? Math.Abs(vat) : null),
        ], ct, e.ExchangeRate);
        var booked = BookedOnReceivables(entry, a);
        if (e.Gross > 0) AddOpenItem(e, OpenItemSide.Receivable, e.Gross, booked, e.DueDate);
        else if (e.Gross < 0) await SettleDecreaseAsync(e, -e.Gross, booked, Currency.Parse(entry.BaseCurrency), ct);
    }

    /// <summary>
    /// Advance invoice: Dr receivables (party) gross / Cr advances received net / Cr output VAT.
    /// Final invoice: Dr receivables remaining gross + Dr advances received (the advances' net) / Cr revenue the
    /// order's full net / Cr output VAT the remaining VAT — the advances' net moves to revenue, their VAT was
    /// already due on the advance invoices. Zero lines are left out (a final invoice after a 100 % advance
    /// has no receivable). The receivable is an open item like a VAT invoice's (docs/decisions.md §24).
    /// </summary>
    private async Task PostAdvanceOrFinalAsync(InvoiceIssued e, PostingAccounts a, Currency currency, CancellationToken ct)
    {
        var lines = e.Kind == InvoiceKind.Advance
            ? new List<JournalLineDraft>
            {
                new(a.Receivables, Debit: e.Gross, Credit: 0, e.PartyId),
                new(a.AdvancesReceived, Debit: 0, Credit: e.Net),
                Credit(a.VatOutput, e.Vat, e.VatInBaseCurrency),
            }
            : new List<JournalLineDraft>
            {
                new(a.Receivables, Debit: e.Gross, Credit: 0, e.PartyId),
                new(a.AdvancesReceived, Debit: e.AdvancesNet, Credit: 0),
                Credit(a.SalesRevenue, e.Net + e.AdvancesNet),
                // After advances covering the whole order, a rate's remaining VAT may be −0.01 (the advances' VAT was
                // extracted from gross, the order's computed from net): then it is a debit, and the entry still balances.
                Credit(a.VatOutput, e.Vat, e.VatInBaseCurrency),
            };
        var description = e.Kind == InvoiceKind.Advance ? "Advance invoice" : "Final invoice";
        var entry = await journal.PostAsync(e.IssueDate, $"{description} {e.Number}", "invoice", e.InvoiceId, e.Number, currency,
            lines.Where(l => l.Debit != 0 || l.Credit != 0).ToList(), ct, e.ExchangeRate);
        if (e.Gross > 0) AddOpenItem(e, OpenItemSide.Receivable, e.Gross, BookedOnReceivables(entry, a), e.DueDate);
    }

    /// <summary>A credit of <paramref name="amount"/>, or a debit when it is negative; the VAT line carries its PLN amount as stated on the document.</summary>
    private static JournalLineDraft Credit(string account, decimal amount, decimal? baseAmount = null) =>
        new(account, Debit: Math.Max(-amount, 0), Credit: Math.Max(amount, 0), BaseAmount: baseAmount is { } b ? Math.Abs(b) : null);

    /// <summary>What the document put on receivables in the book currency: the open item carries it, so a settlement at another rate realises the difference.</summary>
    private static decimal BookedOnReceivables(JournalEntry entry, PostingAccounts a) =>
        entry.Lines.Where(l => l.AccountCode == a.Receivables).Sum(l => l.BaseDebit + l.BaseCredit);

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
