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
    /// <summary>The company's book currency (PLN, RUB) in which <see cref="JournalLine.BaseDebit"/>/<see cref="JournalLine.BaseCredit"/> are kept.</summary>
    public string BaseCurrency { get; init; } = "PLN";
    /// <summary>Book-currency units per one unit of the entry's currency; null when the entry is in the book currency.</summary>
    public decimal? ExchangeRate { get; init; }
    /// <summary>Where the rate comes from, e.g. the NBP table "219/A/NBP/2026", and the table's date.</summary>
    public string? ExchangeRateTable { get; init; }
    public DateOnly? ExchangeRateDate { get; init; }
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
    /// <summary>The currency of <see cref="Debit"/>/<see cref="Credit"/>: the document's.</summary>
    public string Currency { get; init; } = "PLN";
    /// <summary>The same amounts in the company's book currency (the entry's <see cref="JournalEntry.BaseCurrency"/>): what the statutory books sum.</summary>
    public decimal BaseDebit { get; init; }
    public decimal BaseCredit { get; init; }
}

/// <param name="BaseAmount">
/// The line's amount in the book currency when the posting rule fixes it — VAT stated in PLN on a foreign-currency
/// invoice (art. 106e ust. 11) — instead of converting it at the entry's rate.
/// </param>
public sealed record JournalLineDraft(string AccountCode, decimal Debit, decimal Credit, Guid? PartyId = null, decimal? BaseAmount = null);

/// <summary>The rate an entry in a foreign currency is booked at, and its source.</summary>
public sealed record BookRate(decimal Rate, string? Table, DateOnly? Date);

/// <summary>
/// The only way into the journal: checks balance and accounts, states every line in both the document's currency
/// and the company's book currency (docs/decisions.md §17), then appends inside the caller's unit of work.
/// </summary>
public sealed class Journal(KontorDbContext db, TimeProvider clock, Security.ICurrentActor actor, Security.AuditTrail audit, ReferenceData referenceData, BookRates bookRates,
    AccountingPeriods periods)
{
    /// <param name="rate">
    /// The rate of a foreign-currency entry when the document fixed one (an invoice's NBP rate); otherwise the book
    /// rate for <paramref name="date"/> is looked up (<see cref="BookRates"/>). Ignored for entries in the book currency.
    /// </param>
    public async Task<JournalEntry> PostAsync(DateOnly date, string description, string sourceType, Guid sourceId, string? sourceNumber,
        Currency currency, IReadOnlyList<JournalLineDraft> lines, CancellationToken ct, BookRate? rate = null)
    {
        var reference = await referenceData.GetAsync(ct);
        var accounts = reference.Accounts;
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

        await periods.EnsureOpenAsync(date, ct);

        var baseCurrency = Currency.Parse((reference.Company?.BaseCurrency) ?? "PLN");
        var foreign = currency.Code != baseCurrency.Code;
        // A rule that fixes every line's book amount (a closing entry) needs no rate.
        if (foreign && posted.Any(l => l.BaseAmount is null)) rate ??= await bookRates.ForPostingAsync(currency.Code!, date, ct);
        var baseAmounts = foreign ? ToBase(posted, rate?.Rate ?? 0m, baseCurrency, description) : posted.Select(l => (l.Debit, l.Credit)).ToList();

        var entry = new JournalEntry
        {
            Date = date,
            Description = description,
            SourceType = sourceType,
            SourceId = sourceId,
            SourceNumber = sourceNumber,
            PostedAt = clock.GetUtcNow(),
            PostedBy = actor.Name,
            BaseCurrency = baseCurrency.Code!,
            ExchangeRate = foreign ? rate?.Rate : null,
            ExchangeRateTable = foreign ? rate?.Table : null,
            ExchangeRateDate = foreign ? rate?.Date : null,
        };
        entry.Lines.AddRange(posted.Select((l, i) => new JournalLine
        {
            EntryId = entry.Id,
            Date = date,
            AccountCode = l.AccountCode,
            PartyId = l.PartyId,
            Debit = l.Debit,
            Credit = l.Credit,
            Currency = currency.Code,
            BaseDebit = baseAmounts[i].Debit,
            BaseCredit = baseAmounts[i].Credit,
        }));
        db.JournalEntries.Add(entry);
        audit.Record("journal.posted", nameof(JournalEntry), entry.Id, new
        {
            entry.Date, entry.SourceType, entry.SourceId, entry.SourceNumber, total = debit, currency = currency.Code,
            baseTotal = baseAmounts.Sum(a => a.Debit), baseCurrency = entry.BaseCurrency, entry.ExchangeRate,
        });
        return entry;
    }

    /// <summary>
    /// Each line converted and rounded to the book currency's minor units, half away from zero, unless the rule fixed
    /// its amount. Rounding the lines separately can leave the sides a few minor units apart; that difference goes to
    /// the largest converted line, as a ledger kept by hand would do it, so fixed amounts (the stated PLN VAT) stay as stated.
    /// </summary>
    private static List<(decimal Debit, decimal Credit)> ToBase(IReadOnlyList<JournalLineDraft> lines, decimal rate, Currency baseCurrency, string description)
    {
        if (rate <= 0 && lines.Any(l => l.BaseAmount is null)) throw new LedgerPostingException($"The exchange rate must be positive ({description}).");
        var amounts = lines.Select(l =>
        {
            var converted = l.BaseAmount ?? Money.RoundToMinorUnits((l.Debit != 0 ? l.Debit : l.Credit) * rate, baseCurrency);
            return l.Debit != 0 ? (Debit: converted, Credit: 0m) : (Debit: 0m, Credit: converted);
        }).ToList();
        var difference = amounts.Sum(a => a.Debit) - amounts.Sum(a => a.Credit);
        if (difference == 0) return amounts;
        var converted = Enumerable.Range(0, lines.Count).Where(i => lines[i].BaseAmount is null).ToList();
        var minorUnit = new decimal(1, 0, 0, false, (byte)baseCurrency.MinorUnits);
        var tolerance = converted.Count * minorUnit / 2; // each rounded line is off by at most half a minor unit
        if (converted.Count == 0 || Math.Abs(difference) > tolerance)
            throw new LedgerPostingException($"Journal entry is not balanced in {baseCurrency.Code}: the sides differ by {difference} ({description}).");
        var largest = converted.MaxBy(i => amounts[i].Debit + amounts[i].Credit);
        var (d, c) = amounts[largest];
        amounts[largest] = d != 0 ? (d - difference, 0m) : (0m, c + difference);
        return amounts;
    }
}
/// <summary>The books refused a posting; the whole unit of work is rolled back. The message is said in the reader's language.</summary>
public sealed class LedgerPostingException : Exception
{
    public LedgerPostingException(string message) : base(Messages.Translate(message))
    {
    }

    public LedgerPostingException(MessageTemplate message) : base(message.ToString())
    {
    }
}
