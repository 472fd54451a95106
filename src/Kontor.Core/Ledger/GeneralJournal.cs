using Kontor.Common;
using Kontor.Crm;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kontor.Ledger;

/// <param name="Debit">Exactly one of <paramref name="Debit"/> and <paramref name="Credit"/>, positive.</param>
/// <param name="BaseAmount">The line's amount in the book currency, for a line in a foreign currency (opening balances: the value at which it is carried).</param>
public sealed record ManualLineInput(string? AccountCode, Guid? PartyId, decimal? Debit, decimal? Credit, decimal? BaseAmount = null);

/// <summary>An accountant's entry (polecenie księgowania).</summary>
public sealed record PostManualEntry(DateOnly? Date, string? Description, string? Currency, IReadOnlyList<ManualLineInput>? Lines);

/// <param name="DocumentNumber">For a receivable or payable: the document it comes from; it becomes an open item payments settle.</param>
public sealed record OpeningBalanceLine(string? AccountCode, Guid? PartyId, string? Currency, decimal? Debit, decimal? Credit, decimal? BaseAmount,
    string? DocumentNumber = null, DateOnly? DocumentDate = null, DateOnly? DueDate = null);

public sealed record ImportOpeningBalances(DateOnly? Date, IReadOnlyList<OpeningBalanceLine>? Lines);

public sealed record YearClosing(int Year, IReadOnlyList<JournalEntry> Entries);

/// <summary>
/// Entries an accountant makes by hand, as opposed to the posting rules of documents: manual entries, their
/// reversal (storno), opening balances and the year-end close of the profit-and-loss accounts (docs/decisions.md §19).
/// Everything goes through <see cref="Journal"/>, so closed periods, balance and the book currency apply.
/// </summary>
public sealed class GeneralJournal(
    KontorDbContext db,
    UnitOfWork unitOfWork,
    Journal journal,
    AccountingPeriods periods,
    ReferenceData referenceData,
    AuditTrail audit,
    Company.BusinessCalendar calendar,
    IOptions<PostingAccounts> postingAccounts)
{
    public const string ManualSource = "manual";
    public const string ReversalSource = "reversal";
    public const string OpeningBalanceSource = "opening-balance";
    public const string YearCloseSource = "year-close";
    public const int MaxLines = 500;

    public Task<JournalEntry> PostManualAsync(PostManualEntry command, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            var errors = new ValidationErrors();
            var description = errors.Text(command.Description, "description", 500);
            var currency = errors.Try(() => Currency.Parse(command.Currency ?? "PLN"));
            var lines = await ValidLinesAsync(command.Lines, currency, errors, token);
            var receivables = postingAccounts.Value.Receivables;
            var input = command.Lines ?? [];
            for (var i = 0; i < input.Count; i++)
                errors.Require(input[i].AccountCode != receivables, $"lines[{i}].accountCode",
                    $"Account {receivables} follows documents and payments (its open items are what customers owe); post to it through an invoice, a correction or a payment.");
            errors.ThrowIfAny();
            return await journal.PostAsync(command.Date ?? calendar.Today(), description!, ManualSource, Guid.CreateVersion7(), null, currency!, lines, token);
        }, ct);

    /// <summary>
    /// Storno: a new entry with every line on the other side, dated in an open period, pointing at the entry it undoes.
    /// Only manual entries: a document's posting is undone by a document (a correction invoice, a refund).
    /// </summary>
    public Task<JournalEntry> ReverseAsync(Guid entryId, DateOnly? date, string? reason, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var why = errors.Text(reason, "reason", 500);
        errors.ThrowIfAny();
        return unitOfWork.ExecuteAsync(async token =>
        {
            if (db.Database.IsNpgsql())
                // Entries are append-only, so this lock changes nothing; it queues two reversals of one entry.
                await db.Database.SqlQuery<Guid>($"""SELECT "Id" AS "Value" FROM "JournalEntries" WHERE "Id" = {entryId} FOR UPDATE""").ToListAsync(token);
            var entry = await db.JournalEntries.AsNoTracking().Include(e => e.Lines).FirstOrDefaultAsync(e => e.Id == entryId, token)
                        ?? throw new NotFoundException("Journal entry", entryId);
            if (entry.SourceType != ManualSource)
                throw new ConflictException($"Only manual entries are reversed here; this entry comes from a {entry.SourceType} ({entry.SourceNumber}), which a document of its own corrects.");
            var reversal = await db.JournalEntries.AsNoTracking().FirstOrDefaultAsync(e => e.SourceType == ReversalSource && e.SourceId == entryId, token);
            if (reversal is not null) throw new ConflictException($"The entry was already reversed on {reversal.Date:yyyy-MM-dd}.");
            var lines = entry.Lines.Select(l => new JournalLineDraft(l.AccountCode, l.Credit, l.Debit, l.PartyId,
                l.Currency == entry.BaseCurrency ? null : l.BaseCredit + l.BaseDebit)).ToList();
            var rate = entry.ExchangeRate is { } r ? new BookRate(r, entry.ExchangeRateTable, entry.ExchangeRateDate) : null;
            return await journal.PostAsync(date ?? calendar.Today(), $"Storno: {entry.Description} — {why}", ReversalSource, entry.Id, null,
                Currency.Parse(entry.Lines[0].Currency), lines, token, rate);
        }, ct);
    }

    /// <summary>
    /// Bilans otwarcia: the balances carried in from the previous books, once per year. One entry per currency,
    /// each balanced on the technical account (<see cref="PostingAccounts.OpeningBalance"/>), which ends at zero in
    /// the book currency because the lines must balance there. Receivables and payables with a document number
    /// become open items, so payments can settle them and the customer card shows them.
    /// </summary>
    public Task<IReadOnlyList<JournalEntry>> ImportOpeningBalancesAsync(ImportOpeningBalances command, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync<IReadOnlyList<JournalEntry>>(async token =>
        {
            var errors = new ValidationErrors();
            errors.Require(command.Date is not null, "date", "date is required (usually the first day of the financial year).");
            var input = command.Lines ?? [];
            errors.Require(input.Count is > 0 and <= MaxLines * 10, "lines", $"Give between 1 and {MaxLines * 10} lines.");
            errors.ThrowIfAny();
            var date = command.Date!.Value;
            var reference = await referenceData.GetAsync(token);
            var bookCurrency = reference.Company?.BaseCurrency ?? "PLN";
            var technical = postingAccounts.Value.OpeningBalance;
            var partyIds = input.Where(l => l.PartyId is not null).Select(l => l.PartyId!.Value).Distinct().ToList();
            var parties = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(token);

            var lines = new List<(OpeningBalanceLine Line, Currency Currency, decimal Amount, decimal BaseAmount)>();
            for (var i = 0; i < input.Count; i++)
            {
                var line = input[i];
                var field = $"lines[{i}]";
                var currency = errors.Try(() => Currency.Parse(line.Currency ?? bookCurrency));
                if (currency.Code is null || !CheckLine(line.AccountCode, line.PartyId, line.Debit, line.Credit, field, reference.Accounts, parties, errors, currency)) continue;
                errors.Require(line.AccountCode != technical, $"{field}.accountCode", $"Account {technical} is the technical counter-account of the opening balance; it is filled in by itself.");
                var amount = (line.Debit ?? 0) - (line.Credit ?? 0);
                decimal baseAmount;
                if (currency.Code == bookCurrency) baseAmount = amount;
                else if (line.BaseAmount is not { } given || given <= 0)
                {
                    errors.Add($"{field}.baseAmount", $"A line in {currency.Code} needs its value in {bookCurrency} (positive), as the previous books carried it.");
                    continue;
                }
                else baseAmount = Math.Sign(amount) * given;
                var tracked = reference.Accounts[line.AccountCode!].TracksParties;
                if (line.DocumentNumber is not null && !tracked)
                    errors.Add($"{field}.documentNumber", $"Account {line.AccountCode} keeps no open items; leave documentNumber out.");
                if (tracked && line.DocumentNumber is null)
                    errors.Add($"{field}.documentNumber", "A receivable or payable needs the number of its document (it becomes an open item).");
                lines.Add((line, currency, amount, baseAmount));
            }
            errors.ThrowIfAny();
            var difference = lines.Sum(l => l.BaseAmount);
            if (difference != 0)
                errors.Add("lines", $"The opening balance does not balance in {bookCurrency}: debits exceed credits by {difference}.");
            if (await db.JournalEntries.AnyAsync(e => e.SourceType == OpeningBalanceSource && e.Date.Year == date.Year, token))
                throw new ConflictException($"The opening balances of {date.Year} were already imported; correct them with a manual entry.");
            errors.ThrowIfAny();

            var source = Guid.CreateVersion7();
            var entries = new List<JournalEntry>();
            foreach (var group in lines.GroupBy(l => l.Currency.Code))
            {
                var currency = group.First().Currency;
                var foreign = currency.Code != bookCurrency;
                var drafts = group.Select(l => new JournalLineDraft(l.Line.AccountCode!, Math.Max(l.Amount, 0), Math.Max(-l.Amount, 0), l.Line.PartyId,
                    foreign ? Math.Abs(l.BaseAmount) : null)).ToList();
                var net = group.Sum(l => l.Amount);
                var netBase = group.Sum(l => l.BaseAmount);
                if (net != 0 || netBase != 0)
                {
                    if (Math.Sign(net) != Math.Sign(netBase) && net != 0 && netBase != 0)
                        throw new ValidationException("lines", $"The {currency.Code} lines carry {net} {currency.Code} but {netBase} {bookCurrency}; the two must have the same sign.");
                    drafts.Add(new JournalLineDraft(technical, Math.Max(-net, 0), Math.Max(net, 0), null, foreign ? Math.Abs(netBase) : null));
                }
                entries.Add(await journal.PostAsync(date, $"Bilans otwarcia {date.Year} ({currency.Code})", OpeningBalanceSource, source, $"BO {date.Year}", currency, drafts, token));
                foreach (var (line, _, amount, lineBase) in group.Where(l => l.Line.DocumentNumber is not null))
                {
                    // The side follows the account: on payables a credit balance is what we owe the supplier (Payable), a debit
                    // what the supplier holds of ours (Prepaid); elsewhere a debit is owed to us (Receivable), a credit is the party's.
                    var side = line.AccountCode == postingAccounts.Value.Payables
                        ? (amount < 0 ? OpenItemSide.Payable : OpenItemSide.Prepaid)
                        : (amount > 0 ? OpenItemSide.Receivable : OpenItemSide.Credit);
                    db.OpenItems.Add(new OpenItem
                    {
                        PartyId = line.PartyId!.Value,
                        Side = side,
                        SourceType = OpeningBalanceSource,
                        SourceId = source,
                        DocumentNumber = line.DocumentNumber,
                        DocumentDate = line.DocumentDate ?? date,
                        DueDate = side is OpenItemSide.Receivable or OpenItemSide.Payable ? line.DueDate ?? date : null,
                        Currency = currency.Code!,
                        Amount = Math.Abs(amount),
                        OpenAmount = Math.Abs(amount),
                        BaseAmount = Math.Abs(lineBase),
                        OpenBaseAmount = Math.Abs(lineBase),
                    });
                }
            }
            audit.Record("ledger.opening-balances", nameof(JournalEntry), source, new { date, lines = lines.Count, entries = entries.Count });
            return entries;
        }, ct);

    /// <summary>
    /// Zamknięcie roku: every revenue and expense account's balance in the book currency is moved to the
    /// financial result account (<see cref="PostingAccounts.FinancialResult"/>) by one entry dated 31 December,
    /// so the profit-and-loss accounts start the next year at zero. Once per year; December must be open.
    /// </summary>
    public Task<YearClosing> CloseYearAsync(int year, CancellationToken ct = default) =>
        unitOfWork.ExecuteAsync(async token =>
        {
            if (year is < 2000 or > 2100) throw new ValidationException("year", "year must be between 2000 and 2100.");
            var date = new DateOnly(year, 12, 31);
            await periods.EnsureOpenAsync(date, token);
            if (await db.JournalEntries.AnyAsync(e => e.SourceType == YearCloseSource && e.SourceNumber == year.ToString(), token))
                throw new ConflictException($"The year {year} is already closed.");
            var reference = await referenceData.GetAsync(token);
            var bookCurrency = Currency.Parse(reference.Company?.BaseCurrency ?? "PLN");
            var resultAccounts = reference.Accounts.Values.Where(a => a.Type is AccountType.Revenue or AccountType.Expense).Select(a => a.Code).ToList();
            var start = new DateOnly(year, 1, 1);
            var balances = await db.JournalLines.AsNoTracking()
                .Where(l => l.Date >= start && l.Date <= date && resultAccounts.Contains(l.AccountCode))
                .GroupBy(l => l.AccountCode)
                .Select(g => new { Account = g.Key, Balance = g.Sum(l => l.BaseDebit) - g.Sum(l => l.BaseCredit) })
                .ToListAsync(token);
            var lines = balances.Where(b => b.Balance != 0).OrderBy(b => b.Account, StringComparer.Ordinal)
                .Select(b => new JournalLineDraft(b.Account, Math.Max(-b.Balance, 0), Math.Max(b.Balance, 0))).ToList();
            if (lines.Count == 0) throw new ConflictException($"Nothing to close: the revenue and expense accounts of {year} are at zero.");
            var result = lines.Sum(l => l.Debit - l.Credit);   // > 0: revenue exceeded costs, a profit credited to the result account
            lines.Add(new JournalLineDraft(postingAccounts.Value.FinancialResult, Math.Max(-result, 0), Math.Max(result, 0)));
            var entry = await journal.PostAsync(date, $"Zamknięcie roku {year}: przeniesienie wyniku", YearCloseSource, Guid.CreateVersion7(), year.ToString(), bookCurrency, lines, token);
            return new YearClosing(year, [entry]);
        }, ct);

    private async Task<List<JournalLineDraft>> ValidLinesAsync(IReadOnlyList<ManualLineInput>? input, Currency currency, ValidationErrors errors, CancellationToken ct)
    {
        var lines = input ?? [];
        if (lines.Count is < 2 or > MaxLines) { errors.Add("lines", $"An entry has between 2 and {MaxLines} lines."); return []; }
        var reference = await referenceData.GetAsync(ct);
        var partyIds = lines.Where(l => l.PartyId is not null).Select(l => l.PartyId!.Value).Distinct().ToList();
        var parties = await db.Parties.AsNoTracking().Where(p => partyIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        var drafts = new List<JournalLineDraft>();
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            if (CheckLine(l.AccountCode, l.PartyId, l.Debit, l.Credit, $"lines[{i}]", reference.Accounts, parties, errors, currency))
                drafts.Add(new JournalLineDraft(l.AccountCode!, l.Debit ?? 0, l.Credit ?? 0, l.PartyId, l.BaseAmount));
        }
        if (!errors.Any && drafts.Sum(d => d.Debit) != drafts.Sum(d => d.Credit))
            errors.Add("lines", $"Debits ({drafts.Sum(d => d.Debit)}) and credits ({drafts.Sum(d => d.Credit)}) must be equal.");
        return drafts;
    }

    private static bool CheckLine(string? accountCode, Guid? partyId, decimal? debit, decimal? credit, string field,
        IReadOnlyDictionary<string, Account> accounts, IReadOnlyCollection<Guid> parties, ValidationErrors errors, Currency currency)
    {
        var ok = true;
        if (string.IsNullOrWhiteSpace(accountCode)) { errors.Add($"{field}.accountCode", "accountCode is required."); ok = false; }
        else if (!accounts.TryGetValue(accountCode, out var account)) { errors.Add($"{field}.accountCode", $"Account {accountCode} is not in the chart of accounts."); ok = false; }
        else if (account.TracksParties && partyId is null) { errors.Add($"{field}.partyId", $"Account {accountCode} keeps balances per party; partyId is required."); ok = false; }
        if (partyId is { } p && !parties.Contains(p)) { errors.Add($"{field}.partyId", $"Party {p} does not exist."); ok = false; }
        if ((debit ?? 0) < 0 || (credit ?? 0) < 0) { errors.Add($"{field}.debit", "Amounts are positive; put a credit in credit."); ok = false; }
        else if (((debit ?? 0) == 0) == ((credit ?? 0) == 0)) { errors.Add($"{field}.debit", "Give either a debit or a credit."); ok = false; }
        else if (currency.Code is not null && Money.RoundToMinorUnits((debit ?? 0) + (credit ?? 0), currency) != (debit ?? 0) + (credit ?? 0))
        {
            errors.Add($"{field}.{(debit is > 0 ? "debit" : "credit")}", $"Amounts in {currency.Code} have at most {currency.MinorUnits} decimal places.");
            ok = false;
        }
        return ok;
    }
}
