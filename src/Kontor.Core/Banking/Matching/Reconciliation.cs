using System.Text.Json;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kontor.Banking.Matching;

/// <summary>
/// Counts of one matching run. AutoMatched/Suggested/Unmatched count lines of both directions; <see cref="Outgoing"/> says how
/// many of the lines were money out (matched against supplier invoices). <see cref="Error"/> is set when matching failed after an
/// import (the import stays).
/// </summary>
public sealed record MatchRunSummary(int Lines, int AutoMatched, int Suggested, int Unmatched, int Outgoing, string? Error = null)
{
    public static MatchRunSummary Failed(string error) => new(0, 0, 0, 0, 0, error);
}

/// <summary>Which lines the queue lists. Status: Open (Unmatched + Suggested, the default), Matched, Ignored, All; Direction: Credit (default), Debit, All.</summary>
public enum QueueStatus { Open, Matched, Ignored, All }
public enum QueueDirection { Credit, Debit, All }

public sealed record ReconciliationItem(BankStatementLine Line, string StatementId, string BankAccountIban, IReadOnlyList<MatchSuggestion> Suggestions, string? PartyName);

public sealed record SplitAllocation(Guid InvoiceId, decimal Amount);

/// <summary>An open receivable (sales invoice) or, for money out, an open payable (purchase invoice with the supplier's number).</summary>
public sealed record OpenInvoice(Guid InvoiceId, string? Number, DateOnly? DueDate, decimal OpenAmount, string Currency);

/// <summary>The matcher's suggestions as stored on a line (JSON), so the queue shows what the run saw.</summary>
public static class StoredSuggestions
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    public static string Write(IReadOnlyList<MatchSuggestion> suggestions) => JsonSerializer.Serialize(suggestions, Options);
    public static IReadOnlyList<MatchSuggestion> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<MatchSuggestion>>(json, Options) ?? [];
}

/// <summary>
/// Matching of statement lines to open receivables (money in) and open payables (money out: supplier payments) and the
/// reconciliation queue. A money-out line that is no supplier payment (bank fee, other cost) is booked to an account
/// by <see cref="BookAsync"/>. A line is settled at most once:
/// every action first claims it with a conditional UPDATE (status still Unmatched/Suggested), which on PostgreSQL
/// takes the row lock, so a second person accepting the same line waits, then finds it taken and gets 409; SQLite
/// has one writer. Payments are registered only through <see cref="PaymentService"/> (incoming for money in, outgoing
/// for money out), in the same transaction as the claim, with the line's booking date. Authorization is the caller's (PostToBooks for actions, ReadBooks to read).
/// </summary>
public sealed class Reconciliation(KontorDbContext db, UnitOfWork unitOfWork, PaymentService payments, Journal journal, ReferenceData referenceData,
    IOptions<PostingAccounts> postingAccounts, AuditTrail audit, ICurrentActor actor, TimeProvider clock, ILogger<Reconciliation> logger)
{
    public const int MaxTake = 500;

    /// <summary>Matches the waiting lines (of the given statements, or all): exact matches are posted, one transaction per line; the rest get suggestions.</summary>
    public async Task<MatchRunSummary> MatchAsync(IReadOnlyCollection<Guid>? statementIds = null, CancellationToken ct = default)
    {
        var query = db.BankStatementLines.AsNoTracking().Where(l => l.Status == BankLineStatus.Unmatched || l.Status == BankLineStatus.Suggested);
        if (statementIds is not null) query = query.Where(l => statementIds.Contains(l.StatementId));
        var lines = await query.OrderBy(l => l.ValueDate).ThenBy(l => l.StatementId).ThenBy(l => l.Position).ToListAsync(ct);
        if (lines.Count == 0) return new MatchRunSummary(0, 0, 0, 0, 0);
        // One index per direction, loaded when the first line of that direction comes: receivables for money in, payables for money out.
        MatchingIndex? receivables = null, payables = null;
        int auto = 0, suggested = 0, unmatched = 0, outgoing = 0;
        var pending = new List<(Guid LineId, BankLineStatus Status, string Json)>();
        foreach (var line in lines)
        {
            if (line.Direction == BankLineDirection.Debit) outgoing++;
            var index = line.Direction == BankLineDirection.Credit
                ? receivables ??= await LoadIndexAsync(BankLineDirection.Credit, ct)
                : payables ??= await LoadIndexAsync(BankLineDirection.Debit, ct);
            var outcome = BankLineMatcher.Match(MatchableLine.From(line), index);
            if (outcome.IsExact && await TryPostAutomaticAsync(line, outcome.Best!, ct))
            {
                // Later lines of the run must not pay the same invoice again.
                var settled = outcome.Best!.Allocations.ToDictionary(a => a.OpenItemId, a => a.Amount);
                foreach (var item in index.OfParty(outcome.Best.PartyId).ToList())
                    if (settled.TryGetValue(item.OpenItemId, out var paid)) item.OpenAmount -= paid;
                auto++;
                continue;
            }
            var status = outcome.Suggestions.Count > 0 ? BankLineStatus.Suggested : BankLineStatus.Unmatched;
            if (status == BankLineStatus.Suggested) suggested++; else unmatched++;
            pending.Add((line.Id, status, StoredSuggestions.Write(outcome.Suggestions)));
        }
        if (pending.Count > 0)
        {
            var now = clock.GetUtcNow();
            await unitOfWork.ExecuteAsync(async token =>
            {
                foreach (var (lineId, status, json) in pending)
                    await db.BankStatementLines
                        .Where(l => l.Id == lineId && (l.Status == BankLineStatus.Unmatched || l.Status == BankLineStatus.Suggested))
                        .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, status).SetProperty(l => l.SuggestionsJson, json).SetProperty(l => l.MatchedAt, now), token);
                return 0;
            }, ct);
        }
        return new MatchRunSummary(lines.Count, auto, suggested, unmatched, outgoing);
    }

    /// <summary>Matching right after an import: the import has committed, so a failure here is reported, never undoes it.</summary>
    public async Task<MatchRunSummary> MatchAfterImportAsync(IReadOnlyCollection<Guid> statementIds, CancellationToken ct = default)
    {
        try { return await MatchAsync(statementIds, ct); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Matching after the import of statements {Statements} failed", string.Join(", ", statementIds));
            return MatchRunSummary.Failed(Messages.Translate("The statement was imported, but matching failed; run it again from the reconciliation queue."));
        }
    }

    /// <summary>The open items a line of <paramref name="direction"/> may pay: receivables for money in, payables (supplier invoices) for money out.</summary>
    public async Task<MatchingIndex> LoadIndexAsync(BankLineDirection direction = BankLineDirection.Credit, CancellationToken ct = default)
    {
        var side = SideOf(direction);
        var items = await db.OpenItems.AsNoTracking()
            .Where(o => o.Side == side && o.OpenAmount > 0)
            .Select(o => new { o.Id, o.SourceId, o.PartyId, o.DocumentNumber, o.Currency, o.OpenAmount, o.DueDate, o.DocumentDate })
            .ToListAsync(ct);
        var parties = await db.Parties.AsNoTracking().Select(p => new { p.Id, p.Name, p.TaxIdKind, p.TaxId }).ToListAsync(ct);
        var accounts = (await db.PartyBankAccounts.AsNoTracking().Select(a => new { a.PartyId, a.Iban }).ToListAsync(ct))
            .ToLookup(a => a.PartyId, a => a.Iban);
        var ownNip = NipOf(TaxIdKind.Nip, await db.CompanyProfiles.AsNoTracking().Select(c => c.TaxId).FirstOrDefaultAsync(ct));
        return new MatchingIndex(
            [.. items.Select(o => new MatchableOpenItem(o.Id, o.SourceId, o.PartyId, o.DocumentNumber, o.Currency, o.OpenAmount, o.DueDate, o.DocumentDate))],
            [.. parties.Select(p => new MatchableParty(p.Id, p.Name, NipOf(p.TaxIdKind, p.TaxId), [.. accounts[p.Id]]))],
            ownNip, direction);
    }

    private static OpenItemSide SideOf(BankLineDirection direction) =>
        direction == BankLineDirection.Credit ? OpenItemSide.Receivable : OpenItemSide.Payable;

    private static string? NipOf(TaxIdKind kind, string? taxId)
    {
        if (taxId is null || kind is not (TaxIdKind.Nip or TaxIdKind.EuVat)) return null;
        var compact = new string(taxId.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        if (compact.StartsWith("PL", StringComparison.Ordinal)) compact = compact[2..];
        return compact.Length == 10 && compact.All(char.IsAsciiDigit) ? compact : null;
    }

    private async Task<bool> TryPostAutomaticAsync(BankStatementLine line, MatchSuggestion best, CancellationToken ct)
    {
        try
        {
            await unitOfWork.ExecuteAsync(async token =>
            {
                var suggestions = StoredSuggestions.Write([best]);
                await ClaimAsync(line.Id, token);
                var result = await RegisterAsync(line, best.PartyId, Allocations(best), onAccount: best.Allocations.Count == 0, token);
                await SettleAsync(line.Id, BankLineResolution.Automatic, best.PartyId, result.Payment.Id, best.Confidence, null, suggestions, token);
                audit.Record("bank-line.auto-matched", nameof(BankStatementLine), line.Id, new
                {
                    line.StatementId, line.Position, line.Amount, line.Currency, best.PartyId, paymentId = result.Payment.Id, best.Confidence, best.Reasons,
                    allocations = best.Allocations.Select(a => new { a.InvoiceId, a.Number, a.Amount }), unallocated = result.Unallocated,
                });
                return 0;
            }, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The books refused (closed month, the invoice paid meanwhile…) or another person took the line: it waits in the queue.
            logger.LogWarning(ex, "Automatic match of bank line {Line} was not posted", line.Id);
            return false;
        }
    }

    public async Task<IReadOnlyList<ReconciliationItem>> QueueAsync(QueueStatus status = QueueStatus.Open, QueueDirection direction = QueueDirection.Credit,
        Guid? statementId = null, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var lines = db.BankStatementLines.AsNoTracking();
        lines = status switch
        {
            QueueStatus.Open => lines.Where(l => l.Status == BankLineStatus.Unmatched || l.Status == BankLineStatus.Suggested),
            QueueStatus.Matched => lines.Where(l => l.Status == BankLineStatus.Matched),
            QueueStatus.Ignored => lines.Where(l => l.Status == BankLineStatus.Ignored),
            _ => lines,
        };
        if (direction != QueueDirection.All)
        {
            var wanted = direction == QueueDirection.Credit ? BankLineDirection.Credit : BankLineDirection.Debit;
            lines = lines.Where(l => l.Direction == wanted);
        }
        if (statementId is { } sid) lines = lines.Where(l => l.StatementId == sid);
        var page = await (from l in lines
                          join s in db.BankStatements on l.StatementId equals s.Id
                          join a in db.CompanyBankAccounts on s.BankAccountId equals a.Id into acc
                          from a in acc.DefaultIfEmpty()
                          join p in db.Parties on l.PartyId equals p.Id into party
                          from p in party.DefaultIfEmpty()
                          orderby l.ValueDate descending, s.StatementId, l.Position
                          select new { Line = l, s.StatementId, Iban = a != null ? a.Iban : s.AccountIdentifier, PartyName = p != null ? p.Name : null })
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxTake)).ToListAsync(ct);
        return [.. page.Select(x => new ReconciliationItem(x.Line, x.StatementId, x.Iban, StoredSuggestions.Read(x.Line.SuggestionsJson), x.PartyName))];
    }

    /// <summary>
    /// A party's open invoices in a currency, oldest due first: what a person splits a line over — the customer's sales invoices
    /// for money in, the supplier's purchase invoices for money out.
    /// </summary>
    public async Task<IReadOnlyList<OpenInvoice>> OpenInvoicesAsync(Guid partyId, string currency, BankLineDirection direction = BankLineDirection.Credit,
        CancellationToken ct = default)
    {
        var side = SideOf(direction);
        return await db.OpenItems.AsNoTracking()
            .Where(o => o.PartyId == partyId && o.Side == side && o.Currency == currency && o.OpenAmount > 0)
            .OrderBy(o => o.DueDate).ThenBy(o => o.DocumentDate).ThenBy(o => o.DocumentNumber)
            .Select(o => new OpenInvoice(o.SourceId, o.DocumentNumber, o.DueDate, o.OpenAmount, o.Currency))
            .Take(200).ToListAsync(ct);
    }

    /// <summary>Accepts suggestion number <paramref name="suggestion"/> (0 = the best) of a waiting line.</summary>
    public Task<PaymentResult> AcceptAsync(Guid lineId, int suggestion, CancellationToken ct = default) =>
        ActAsync(lineId, async (line, token) =>
        {
            var stored = StoredSuggestions.Read(line.SuggestionsJson);
            if (suggestion < 0 || suggestion >= stored.Count)
                throw stored.Count == 0
                    ? new ValidationException("suggestion", "This line has no suggestions; split it, assign it to a party, book it to an account or ignore it.")
                    : new ValidationException("suggestion", $"suggestion must be between 0 and {stored.Count - 1}.");
            var chosen = stored[suggestion];
            var result = await RegisterAsync(line, chosen.PartyId, Allocations(chosen), onAccount: chosen.Allocations.Count == 0, token);
            await LearnAccountAsync(chosen.PartyId, line.CounterpartyAccount, token);
            await SettleAsync(line.Id, BankLineResolution.Accepted, chosen.PartyId, result.Payment.Id, chosen.Confidence, null, null, token);
            audit.Record("bank-line.accepted", nameof(BankStatementLine), line.Id, new
            {
                line.StatementId, line.Position, line.Amount, line.Currency, chosen.PartyId, paymentId = result.Payment.Id, suggestion, chosen.Confidence,
                chosen.Reasons, allocations = chosen.Allocations.Select(a => new { a.InvoiceId, a.Number, a.Amount }), unallocated = result.Unallocated,
            });
            return result;
        }, ct);

    /// <summary>Registers the line as a payment of <paramref name="partyId"/> settling the given invoices with the given amounts; the rest is credit.</summary>
    public Task<PaymentResult> SplitAsync(Guid lineId, Guid partyId, IReadOnlyList<SplitAllocation>? allocations, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        errors.Require(partyId != Guid.Empty, "partyId", "partyId is required.");
        errors.Require(allocations is { Count: > 0 }, "allocations", "name at least one invoice and amount (or assign the line to the customer without invoices).");
        errors.ThrowIfAny();
        return ActAsync(lineId, async (line, token) =>
        {
            var result = await RegisterAsync(line, partyId, [.. allocations!.Select(a => new AllocationInput(a.InvoiceId, a.Amount))], onAccount: false, token);
            await LearnAccountAsync(partyId, line.CounterpartyAccount, token);
            await SettleAsync(line.Id, BankLineResolution.Split, partyId, result.Payment.Id, null, null, null, token);
            audit.Record("bank-line.split", nameof(BankStatementLine), line.Id, new
            {
                line.StatementId, line.Position, line.Amount, line.Currency, partyId, paymentId = result.Payment.Id,
                allocations = allocations!.Select(a => new { a.InvoiceId, a.Amount }), unallocated = result.Unallocated,
            });
            return result;
        }, ct);
    }

    /// <summary>Registers the whole line as a payment on account of <paramref name="partyId"/>: no invoice settled, all of it credit.</summary>
    public Task<PaymentResult> AssignAsync(Guid lineId, Guid partyId, CancellationToken ct = default)
    {
        if (partyId == Guid.Empty) throw new ValidationException("partyId", "partyId is required.");
        return ActAsync(lineId, async (line, token) =>
        {
            var result = await RegisterAsync(line, partyId, [], onAccount: true, token);
            await LearnAccountAsync(partyId, line.CounterpartyAccount, token);
            await SettleAsync(line.Id, BankLineResolution.Assigned, partyId, result.Payment.Id, null, null, null, token);
            audit.Record("bank-line.assigned", nameof(BankStatementLine), line.Id, new
            {
                line.StatementId, line.Position, line.Amount, line.Currency, partyId, paymentId = result.Payment.Id, unallocated = result.Unallocated,
            });
            return result;
        }, ct);
    }

    /// <summary>Takes the line out of the queue without a payment (bank fee, own transfer, refund…); the reason is required.</summary>
    public async Task IgnoreAsync(Guid lineId, string? reason, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var text = errors.Text(reason, "reason", 200, required: true);
        errors.ThrowIfAny();
        await ActAsync(lineId, async (line, token) =>
        {
            await SettleAsync(line.Id, BankLineResolution.Ignored, null, null, null, text, null, token);
            audit.Record("bank-line.ignored", nameof(BankStatementLine), line.Id, new { line.StatementId, line.Position, line.Amount, line.Currency, line.Direction, reason = text });
            return 0;
        }, ct);
    }

    /// <summary>
    /// Books a line that is no customer or supplier payment straight to an account of the chart, and takes it out of the
    /// queue: money out as Dr <paramref name="accountCode"/> / Cr bank (a bank fee or another cost; without an account, the
    /// bank-fees account <see cref="PostingAccounts.BankFees"/>), money in as Dr bank / Cr the account (interest, a refund;
    /// the account is then required). Accounts kept per party (receivables, payables) are refused — those are payments, settled
    /// through accept/split/assign — and so are the bank account itself and off-balance accounts. Posted in the line's date.
    /// </summary>
    public async Task<JournalEntry> BookAsync(Guid lineId, string? accountCode, string? note, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var text = errors.Text(note, "note", 200, required: false);
        errors.ThrowIfAny();
        var a = postingAccounts.Value;
        return await ActAsync(lineId, async (line, token) =>
        {
            var moneyOut = line.Direction == BankLineDirection.Debit;
            var code = string.IsNullOrWhiteSpace(accountCode) ? (moneyOut ? a.BankFees : null) : accountCode.Trim();
            if (code is null) throw new ValidationException("accountCode", "accountCode is required for money in (e.g. 750 for interest received).");
            var chart = (await referenceData.GetAsync(token)).Accounts;
            if (!chart.TryGetValue(code, out var account))
                throw new ValidationException("accountCode", $"Account {code} is not in the chart of accounts.");
            if (!CanTakeBankLine(account, a))
                throw account.TracksParties
                    ? new ValidationException("accountCode", $"Account {code} is kept per party: settle the line as a payment (accept, split or assign) instead.")
                    : new ValidationException("accountCode", $"Account {code} cannot take a bank line.");
            var date = line.BookingDate ?? line.ValueDate;
            var description = $"Bank line {line.Position}: {text ?? account.Name}";
            if (description.Length > 200) description = description[..200];
            var entry = await journal.PostAsync(date, description, BankLineSourceType, line.Id, line.BankReference, Currency.Parse(line.Currency), moneyOut
                ?
                [
                    new JournalLineDraft(account.Code, Debit: line.Amount, Credit: 0),
                    new JournalLineDraft(a.Bank, Debit: 0, Credit: line.Amount),
                ]
                :
                [
                    new JournalLineDraft(a.Bank, Debit: line.Amount, Credit: 0),
                    new JournalLineDraft(account.Code, Debit: 0, Credit: line.Amount),
                ], token);
            await SettleAsync(line.Id, BankLineResolution.Booked, null, null, null, text ?? $"{account.Code} {account.Name}", null, token);
            audit.Record("bank-line.booked", nameof(BankStatementLine), line.Id, new
            {
                line.StatementId, line.Position, line.Amount, line.Currency, line.Direction, account = account.Code, entryId = entry.Id, note = text,
            });
            return entry;
        }, ct);
    }

    /// <summary>The accounts <see cref="BookAsync"/> accepts (the same rule), by code, for pickers; and the default for money out.</summary>
    public async Task<(IReadOnlyList<Account> Accounts, string BankFees)> BookableAccountsAsync(CancellationToken ct = default)
    {
        var a = postingAccounts.Value;
        var chart = (await referenceData.GetAsync(ct)).Accounts.Values;
        return ([.. chart.Where(x => CanTakeBankLine(x, a)).OrderBy(x => x.Code, StringComparer.Ordinal)], a.BankFees);
    }

    private static bool CanTakeBankLine(Account account, PostingAccounts a) =>
        !account.TracksParties && account.Code != a.Bank && account.Type != AccountType.OffBalance;

    /// <summary>Journal entries booked straight from a statement line (<see cref="BookAsync"/>) carry this source type and the line's id.</summary>
    public const string BankLineSourceType = "bank-line";

    private async Task<T> ActAsync<T>(Guid lineId, Func<BankStatementLine, CancellationToken, Task<T>> action, CancellationToken ct)
    {
        var line = await db.BankStatementLines.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lineId, ct) ?? throw new NotFoundException("Bank statement line", lineId);
        if (line.Status is BankLineStatus.Matched or BankLineStatus.Ignored) throw AlreadySettled(line);
        return await unitOfWork.ExecuteAsync(async token =>
        {
            await ClaimAsync(line.Id, token);
            return await action(line, token);
        }, ct);
    }

    /// <summary>
    /// Takes the line for this transaction: an UPDATE that succeeds only while the line still waits. On PostgreSQL the
    /// row lock makes a concurrent claim wait for this transaction and then see the line settled.
    /// </summary>
    private async Task ClaimAsync(Guid lineId, CancellationToken ct)
    {
        var claimed = await db.BankStatementLines
            .Where(l => l.Id == lineId && (l.Status == BankLineStatus.Unmatched || l.Status == BankLineStatus.Suggested))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, BankLineStatus.Matched), ct);
        if (claimed == 0) throw new ConflictException("This bank line has already been settled by someone else; nothing was registered.");
    }

    private static ConflictException AlreadySettled(BankStatementLine line) => line.Status == BankLineStatus.Ignored
        ? new ConflictException($"This bank line was already ignored on {line.ResolvedAt:yyyy-MM-dd HH:mm} UTC by {line.ResolvedBy}; nothing was registered.")
        : new ConflictException($"This bank line was already matched on {line.ResolvedAt:yyyy-MM-dd HH:mm} UTC by {line.ResolvedBy}; nothing was registered.");

    private Task<PaymentResult> RegisterAsync(BankStatementLine line, Guid partyId, IReadOnlyList<AllocationInput> allocations, bool onAccount, CancellationToken ct)
    {
        var title = string.IsNullOrWhiteSpace(line.Title) ? "" : $": {line.Title.Trim()}";
        var reference = $"Bank line {line.Position}{title}";
        if (reference.Length > 200) reference = reference[..200];
        // Money out is a payment to a supplier: Dr payables / Cr bank, settling its purchase invoices.
        var direction = line.Direction == BankLineDirection.Debit ? PaymentDirection.Outgoing : PaymentDirection.Incoming;
        return payments.RegisterAsync(new RegisterPayment(partyId, line.BookingDate ?? line.ValueDate, line.Amount, line.Currency, reference,
            allocations.Count > 0 ? allocations : null, direction, OnAccount: onAccount), ct);
    }

    private static List<AllocationInput> Allocations(MatchSuggestion s) => [.. s.Allocations.Select(a => new AllocationInput(a.InvoiceId, a.Amount))];

    private async Task SettleAsync(Guid lineId, BankLineResolution resolution, Guid? partyId, Guid? paymentId, decimal? confidence, string? note, string? suggestionsJson,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var status = resolution == BankLineResolution.Ignored ? BankLineStatus.Ignored : BankLineStatus.Matched;
        var by = actor.Name;
        await db.BankStatementLines.Where(l => l.Id == lineId).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Status, status).SetProperty(l => l.Resolution, resolution).SetProperty(l => l.PartyId, partyId)
            .SetProperty(l => l.PaymentId, paymentId).SetProperty(l => l.MatchConfidence, confidence).SetProperty(l => l.ResolutionNote, note)
            .SetProperty(l => l.ResolvedAt, now).SetProperty(l => l.ResolvedBy, by)
            .SetProperty(l => l.SuggestionsJson, l => suggestionsJson ?? l.SuggestionsJson), ct);
    }

    /// <summary>A person confirmed that this account pays for the party: remember it, so the matcher knows the payer next time.</summary>
    private async Task LearnAccountAsync(Guid partyId, string? counterpartyAccount, CancellationToken ct)
    {
        if (AccountNumbers.Normalise(counterpartyAccount) is not { } iban) return;
        if (db.Database.IsNpgsql())
            // Two confirmations for the same party queue here instead of colliding on the unique (party, IBAN) index.
            await db.Database.SqlQuery<Guid>($"""SELECT "Id" AS "Value" FROM "Parties" WHERE "Id" = {partyId} FOR UPDATE""").ToListAsync(ct);
        if (await db.PartyBankAccounts.AnyAsync(a => a.PartyId == partyId && a.Iban == iban, ct)) return;
        db.PartyBankAccounts.Add(new PartyBankAccount
        {
            PartyId = partyId, Iban = iban, Source = PartyBankAccountSource.ConfirmedMatch, AddedAt = clock.GetUtcNow(), AddedBy = actor.Name,
        });
        audit.Record("party.bank-account-learned", nameof(Party), partyId, new { iban });
    }
}
