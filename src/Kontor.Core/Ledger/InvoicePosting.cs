using Kontor.Common;
using Kontor.Events;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.Extensions.Options;

namespace Kontor.Ledger;

/// <summary>
/// Posting rule for an issued sales invoice: receivable (per party) against revenue and output VAT,
/// plus the open item that payments will settle. Runs inside the issuing transaction.
/// </summary>
public sealed class PostIssuedInvoice(Journal journal, KontorDbContext db, IOptions<PostingAccounts> accounts) : IDomainEventHandler<InvoiceIssued>
{
    public async Task HandleAsync(InvoiceIssued e, CancellationToken ct)
    {
        var a = accounts.Value;
        var currency = Currency.Parse(e.Currency);
        await journal.PostAsync(e.IssueDate, $"Sales invoice {e.Number}", "invoice", e.InvoiceId, e.Number, currency,
        [
            new JournalLineDraft(a.Receivables, Debit: Math.Max(e.Gross, 0), Credit: Math.Max(-e.Gross, 0), e.PartyId),
            new JournalLineDraft(a.SalesRevenue, Debit: Math.Max(-e.Net, 0), Credit: Math.Max(e.Net, 0)),
            new JournalLineDraft(a.VatOutput, Debit: Math.Max(-e.Vat, 0), Credit: Math.Max(e.Vat, 0)),
        ], ct);
        db.OpenItems.Add(new OpenItem
        {
            PartyId = e.PartyId,
            Side = OpenItemSide.Receivable,
            SourceType = "invoice",
            SourceId = e.InvoiceId,
            DocumentNumber = e.Number,
            DocumentDate = e.IssueDate,
            DueDate = e.DueDate,
            Currency = e.Currency,
            Amount = e.Gross,
            OpenAmount = e.Gross,
        });
    }
}
