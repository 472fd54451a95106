using Kontor.Common;
using Microsoft.Extensions.Options;

namespace Kontor.Ledger;

/// <summary>One open item's share of a settlement, and the realised exchange difference it gave (book currency).</summary>
public sealed record RealisedDifference(Guid PartyId, OpenItem Item, decimal Difference);

/// <summary>
/// Realised exchange differences (art. 15a ustawy o CIT, art. 30 ust. 4 ustawy o rachunkowości): a receivable in a
/// foreign currency sits on account 201 at the invoice's rate; the payment (or a decreasing correction) that settles it
/// takes it off at its own rate. When the settled part leaves the open item, the PLN the item carried for that part and
/// the PLN the settling document credited differ by the realised difference, which goes to financial revenue (750) or
/// financial costs (751) in the same transaction, so a fully settled receivable leaves 201 at zero in PLN as well.
/// Both amounts are the ones actually posted (not recomputed from the rates), so no grosz is left behind by rounding.
/// </summary>
public sealed class ExchangeDifferences(Journal journal, IOptions<PostingAccounts> accounts)
{
    public const string SourceType = "fx-difference";

    /// <summary>
    /// <paramref name="bookTotal"/> (what the settling document posted on the receivables account, in the book currency)
    /// shared over <paramref name="parts"/> (document-currency amounts adding up to the document's total) in proportion,
    /// each rounded to the minor unit; the rounding residue goes to the largest part, so the shares add up exactly.
    /// </summary>
    public static decimal[] Split(decimal bookTotal, IReadOnlyList<decimal> parts, Currency bookCurrency)
    {
        var total = parts.Sum();
        if (parts.Count == 0 || total == 0) return new decimal[parts.Count];
        var shares = parts.Select(p => Money.RoundToMinorUnits(bookTotal * p / total, bookCurrency)).ToArray();
        var residue = bookTotal - shares.Sum();
        if (residue != 0)
        {
            var largest = Enumerable.Range(0, parts.Count).MaxBy(i => parts[i]);
            shares[largest] += residue;
        }
        return shares;
    }

    /// <summary>
    /// Takes the book-currency share of settling <paramref name="amount"/> of <paramref name="item"/> off its open book
    /// amount — all of what is left when the settlement closes the item, otherwise in proportion — and returns it.
    /// Call before lowering <see cref="OpenItem.OpenAmount"/>. Null for items without book amounts.
    /// </summary>
    public static decimal? TakeBase(OpenItem item, decimal amount, Currency bookCurrency)
    {
        if (item.OpenBaseAmount is not { } open || item.OpenAmount <= 0) return null;
        var share = amount >= item.OpenAmount ? open : Money.RoundToMinorUnits(open * amount / item.OpenAmount, bookCurrency);
        item.OpenBaseAmount = open - share;
        return share;
    }

    /// <summary>
    /// One entry in the book currency with a line on the receivables account per settled item (the party's subledger
    /// shows where the difference came from) against 750 (gains) and 751 (losses); nothing when every difference is zero.
    /// </summary>
    public async Task<JournalEntry?> PostAsync(DateOnly date, Guid sourceId, string? sourceNumber, Currency bookCurrency,
        IReadOnlyList<RealisedDifference> differences, CancellationToken ct)
    {
        var posted = differences.Where(d => d.Difference != 0).ToList();
        if (posted.Count == 0) return null;
        var a = accounts.Value;
        var lines = new List<JournalLineDraft>();
        foreach (var d in posted)
            lines.Add(d.Difference > 0
                ? new JournalLineDraft(a.Receivables, Debit: d.Difference, Credit: 0, d.PartyId)
                : new JournalLineDraft(a.Receivables, Debit: 0, Credit: -d.Difference, d.PartyId));
        var gains = posted.Where(d => d.Difference > 0).Sum(d => d.Difference);
        var losses = posted.Where(d => d.Difference < 0).Sum(d => -d.Difference);
        if (gains > 0) lines.Add(new JournalLineDraft(a.ExchangeGains, Debit: 0, Credit: gains));
        if (losses > 0) lines.Add(new JournalLineDraft(a.ExchangeLosses, Debit: losses, Credit: 0));
        var documents = string.Join(", ", posted.Select(d => d.Item.DocumentNumber).Where(n => n is not null).Distinct());
        return await journal.PostAsync(date, $"Różnice kursowe zrealizowane: {documents}".TrimEnd(' ', ':'), SourceType, sourceId, sourceNumber,
            bookCurrency, lines, ct);
    }
}
