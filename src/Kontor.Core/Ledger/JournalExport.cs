using System.Globalization;
using System.Text;
using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Ledger;

/// <summary>
/// The books as a plain-text journal in the hledger / ledger-cli format, so an independent tool can recompute
/// Kontor's trial balance (docs/decisions.md §18). One transaction per journal entry, in posting order; debits are
/// positive and credits negative; an account is its code (its name is declared once at the top); a line in a foreign
/// currency carries its book-currency amount as a total cost (<c>1590.00 EUR @@ 6749.71 PLN</c>), so
/// <c>hledger bal</c> gives the balances per currency and <c>hledger bal -B</c> those in the book currency.
/// </summary>
public sealed class JournalExport(KontorDbContext db)
{
    private const int PageSize = 500;

    public async Task WriteHledgerAsync(TextWriter writer, DateOnly? from, DateOnly? to, CancellationToken ct = default)
    {
        await writer.WriteLineAsync("; Kontor journal export (hledger / ledger-cli format)");
        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"; period: {from?.ToString("yyyy-MM-dd") ?? "beginning"} .. {to?.ToString("yyyy-MM-dd") ?? "end"}"));
        await writer.WriteLineAsync();
        foreach (var account in await db.Accounts.AsNoTracking().OrderBy(a => a.Code).ToListAsync(ct))
            await writer.WriteLineAsync($"account {account.Code}  ; {OneLine(account.Name)}");
        await writer.WriteLineAsync();

        var query = db.JournalEntries.AsNoTracking().Include(e => e.Lines).AsQueryable();
        if (from is not null) query = query.Where(e => e.Date >= from);
        if (to is not null) query = query.Where(e => e.Date <= to);
        // Keyset pages: the export of a year's books never holds more than a page of entries in memory.
        (DateOnly Date, Guid Id)? after = null;
        while (true)
        {
            var page = query;
            if (after is { } last) page = page.Where(e => e.Date > last.Date || (e.Date == last.Date && e.Id.CompareTo(last.Id) > 0));
            var entries = await page.OrderBy(e => e.Date).ThenBy(e => e.Id).Take(PageSize).AsSplitQuery().ToListAsync(ct);
            foreach (var entry in entries) await WriteEntryAsync(writer, entry);
            if (entries.Count < PageSize) break;
            after = (entries[^1].Date, entries[^1].Id);
        }
    }

    private static async Task WriteEntryAsync(TextWriter writer, JournalEntry entry)
    {
        var head = new StringBuilder();
        head.Append(entry.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(" * ");
        if (entry.SourceNumber is { Length: > 0 } number) head.Append('(').Append(OneLine(number).Replace(')', ']')).Append(") ");
        head.Append(OneLine(entry.Description));
        head.Append("  ; source:").Append(entry.SourceType).Append(' ').Append(entry.SourceId.ToString("D"))
            .Append(", posted-by:").Append(OneLine(entry.PostedBy));
        await writer.WriteLineAsync(head.ToString());
        foreach (var line in entry.Lines.OrderByDescending(l => l.Debit).ThenBy(l => l.AccountCode, StringComparer.Ordinal))
        {
            var amount = line.Debit - line.Credit;
            var text = new StringBuilder("    ").Append(line.AccountCode).Append("  ").Append(Format(amount, line.Currency));
            if (line.Currency != entry.BaseCurrency)
                text.Append(" @@ ").Append(Format(Math.Abs(line.BaseDebit - line.BaseCredit), entry.BaseCurrency));
            if (line.PartyId is { } party) text.Append("  ; party:").Append(party.ToString("D"));
            await writer.WriteLineAsync(text.ToString());
        }
        await writer.WriteLineAsync();
    }

    private static string Format(decimal amount, string currency) =>
        Money.RoundToMinorUnits(amount, Currency.Parse(currency)).ToString("0.00########", CultureInfo.InvariantCulture) + " " + currency;

    /// <summary>hledger reads a line at a time and starts a comment at ';'.</summary>
    private static string OneLine(string text) =>
        text.Replace('\r', ' ').Replace('\n', ' ').Replace(';', ',').Trim();
}
