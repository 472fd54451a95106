using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Ledger;

/// <summary>One posted, balanced set of journal lines. Append-only: a mistake is undone by a reversal entry.</summary>
public sealed class JournalEntry
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public DateOnly Date { get; init; }
    public string Description { get; init; } = "";
    /// <summary>What caused the entry ("invoice", "payment"), and its id: the document trail.</summary>
    public string SourceType { get; init; } = "";
    public Guid SourceId { get; init; }
    public string? SourceNumber { get; init; }
    public DateTimeOffset PostedAt { get; init; }
    public string PostedBy { get; init; } = "";
    public List<JournalLine> Lines { get; init; } = [];
}

public sealed class JournalLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid EntryId { get; init; }
    public DateOnly Date { get; init; }
    public string AccountCode { get; init; } = "";
    public Guid? PartyId { get; init; }
    public decimal Debit { get; init; }
    public decimal Credit { get; init; }
    public string Currency { get; init; } = "PLN";
}

public sealed record JournalLineDraft(string AccountCode, decimal Debit, decimal Credit, Guid? PartyId = null);

/// <summary>The only way into the journal: checks balance and accounts, then appends inside the caller's unit of work.</summary>
public sealed class Journal(KontorDbContext db, TimeProvider clock, Security.ICurrentActor actor, Security.AuditTrail audit, ReferenceData referenceData)
{

    public async Task<JournalEntry> PostAsync(DateOnly date, string description, string sourceType, Guid sourceId, string? sourceNumber,
        Currency currency, IReadOnlyList<JournalLineDraft> lines, CancellationToken ct)
    {
        var accounts = (await referenceData.GetAsync(ct)).Accounts;
        var posted = lines.Where(l => l.Debit != 0 || l.Credit != 0).ToList();
        if (posted.Count < 2) throw new InvalidOperationException($"A journal entry needs at least two lines ({description}).");
        foreach (var line in posted)
        {
            if (!accounts.TryGetValue(line.AccountCode, out var account))
                throw new LedgerPostingException($"Account {line.AccountCode} is not in the chart of accounts.");
            if (account.TracksParties && line.PartyId is null)
                throw new LedgerPostingException($"Account {line.AccountCode} keeps balances per party; the line has no party.");
            if (line.Debit < 0 || line.Credit < 0 || (line.Debit != 0 && line.Credit != 0))
                throw new LedgerPostingException("A journal line is either a positive debit or a positive credit.");
            if (Money.RoundToMinorUnits(line.Debit, currency) != line.Debit || Money.RoundToMinorUnits(line.Credit, currency) != line.Credit)
                throw new LedgerPostingException($"Journal amounts must be whole {currency.Code} minor units.");
        }
        var debit = posted.Sum(l => l.Debit);
        var credit = posted.Sum(l => l.Credit);
        if (debit != credit)
            throw new LedgerPostingException($"Journal entry is not balanced: debit {debit} ≠ credit {credit} ({description}).");

        var entry = new JournalEntry
        {
            Date = date,
            Description = description,
            SourceType = sourceType,
            SourceId = sourceId,
            SourceNumber = sourceNumber,
            PostedAt = clock.GetUtcNow(),
            PostedBy = actor.Name,
        };
        entry.Lines.AddRange(posted.Select(l => new JournalLine
        {
            EntryId = entry.Id,
            Date = date,
            AccountCode = l.AccountCode,
            PartyId = l.PartyId,
            Debit = l.Debit,
            Credit = l.Credit,
            Currency = currency.Code,
        }));
        db.JournalEntries.Add(entry);
        audit.Record("journal.posted", nameof(JournalEntry), entry.Id, new { entry.Date, entry.SourceType, entry.SourceId, entry.SourceNumber, total = debit, currency = currency.Code });
        return entry;
    }
}

/// <summary>The books refused a posting; the whole unit of work is rolled back.</summary>
public sealed class LedgerPostingException(string message) : Exception(message);
