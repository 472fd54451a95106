using Kontor.Common;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kontor.Crm.Merge;

/// <summary>A column that points to a party, found in the EF model.</summary>
public sealed record PartyReference(string Entity, string Property, string Table, string? Schema, string Column, RelationalTypeMapping Mapping);

public sealed record MovedReferences(string Entity, string Property, int Count);

/// <summary>The merged party's balance on one account in one currency, moved to the survivor by one transfer entry line pair.</summary>
public sealed record BalanceTransfer(string AccountCode, string Currency, decimal Amount, decimal BaseAmount);

public sealed record MergePreview(Guid SurvivorId, string SurvivorName, Guid MergedPartyId, string MergedPartyName,
    IReadOnlyList<MovedReferences> Moves, IReadOnlyList<BalanceTransfer> Transfers, IReadOnlyList<string> Refusals)
{
    public bool CanMerge => Refusals.Count == 0;
}

public sealed record MergeResult(Guid SurvivorId, Guid MergedPartyId, IReadOnlyList<MovedReferences> Moved, IReadOnlyList<BalanceTransfer> Transfers, IReadOnlyList<Guid> TransferEntryIds);

/// <summary>
/// Merges a duplicate party into the one that stays (docs/crm.md, "Duplicates, merge and import"). Posted journal
/// lines are never rewritten: the merged party's balance on each account and currency moves to the survivor with a
/// transfer entry (same account, two parties), so every account total stays and the survivor's balance is the sum.
/// Every other column pointing to a party — found by walking the EF model, so a future table is not forgotten — is
/// re-pointed to the survivor. The merged party stays, read-only, with status Merged. One transaction; refusals write nothing.
/// </summary>
public sealed class PartyMerge(KontorDbContext db, UnitOfWork unitOfWork, Journal journal, AuditTrail audit, BusinessCalendar calendar, TimeProvider clock)
{
    public const string AuditAction = "party.merge";
    public const string SourceType = "party-merge";
    public const int MaxReasonLength = 500;

    /// <summary>Columns that point to a party under an older name than "…PartyId".</summary>
    public static readonly IReadOnlySet<string> LegacyPartyColumns = new HashSet<string>(StringComparer.Ordinal) { "SupplierId" };

    /// <summary>
    /// Every Guid/Guid? property named "…PartyId" (or a legacy name) in the model, except the journal's: posted lines are
    /// immutable, their balances move by a transfer entry instead.
    /// </summary>
    public static IReadOnlyList<PartyReference> References(IModel model)
    {
        var result = new List<PartyReference>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null || entity.ClrType == typeof(JournalLine)) continue;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetDeclaredProperties())
            {
                if (!IsPartyReference(property.Name, property.ClrType)) continue;
                // An owned type's key is its owner's key (Address."PartyId" is Parties.Id), not a reference.
                if (entity.IsOwned() && property.IsPrimaryKey()) continue;
                var column = property.GetColumnName(store);
                if (column is null) continue;
                result.Add(new PartyReference(entity.ClrType.Name, property.Name, table, entity.GetSchema(), column, (RelationalTypeMapping)property.GetTypeMapping()));
            }
        }
        return result;
    }

    public static bool IsPartyReference(string propertyName, Type type) =>
        (type == typeof(Guid) || type == typeof(Guid?))
        && (propertyName.EndsWith("PartyId", StringComparison.Ordinal) || LegacyPartyColumns.Contains(propertyName));

    // The SQL below is built from the EF model's own table and column names (delimited by the provider) and Guid literals
    // rendered by the column's type mapping: nothing from a request reaches it as text.
#pragma warning disable EF1002
    public async Task<MergePreview> PreviewAsync(Guid survivorId, Guid mergedPartyId, CancellationToken ct = default)
    {
        var (survivor, merged) = await LoadAsync(survivorId, mergedPartyId, tracked: false, ct);
        var refusals = await RefusalsAsync(survivor, merged, ct);
        var moves = new List<MovedReferences>();
        foreach (var reference in References(db.Model))
        {
            var count = await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM {Table(reference)} WHERE {Column(reference)} = {Literal(reference, mergedPartyId)}")
                .SingleAsync(ct);
            if (count > 0) moves.Add(new MovedReferences(reference.Entity, reference.Property, count));
        }
        return new MergePreview(survivor.Id, survivor.Name, merged.Id, merged.Name, moves, await BalancesAsync(mergedPartyId, ct), refusals);
    }

    public async Task<MergeResult> MergeAsync(Guid survivorId, Guid mergedPartyId, string? reason, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var why = errors.Text(reason, "reason", MaxReasonLength);
        errors.ThrowIfAny();
        return await unitOfWork.ExecuteAsync(async token =>
        {
            var (survivor, merged) = await LoadAsync(survivorId, mergedPartyId, tracked: true, token);
            var refusals = await RefusalsAsync(survivor, merged, token);
            if (refusals.Count > 0) throw new ConflictException(Messages.Format("The parties cannot be merged: {0}", string.Join(" ", refusals)));

            // 1. Balances: one transfer entry per currency, a line pair per account; journal lines themselves never change.
            var transfers = await BalancesAsync(merged.Id, token);
            var entryIds = new List<Guid>();
            var date = calendar.Today();
            var description = $"Merge of {merged.Name} into {survivor.Name}";
            var bookCurrency = await db.CompanyProfiles.Select(c => c.BaseCurrency).FirstOrDefaultAsync(token) ?? "PLN";
            foreach (var currency in Postable(transfers, bookCurrency).GroupBy(t => t.Currency))
            {
                var lines = new List<JournalLineDraft>();
                foreach (var t in currency)
                {
                    // A debit balance of the merged party: debit the survivor, credit the merged party; a credit balance the other way round.
                    var amount = Math.Abs(t.Amount);
                    var baseAmount = Math.Abs(t.BaseAmount);
                    if (t.Amount > 0) { lines.Add(new(t.AccountCode, amount, 0, survivor.Id, baseAmount)); lines.Add(new(t.AccountCode, 0, amount, merged.Id, baseAmount)); }
                    else { lines.Add(new(t.AccountCode, 0, amount, survivor.Id, baseAmount)); lines.Add(new(t.AccountCode, amount, 0, merged.Id, baseAmount)); }
                }
                var entry = await journal.PostAsync(date, description, SourceType, merged.Id, null, Currency.Parse(currency.Key), lines, token);
                entryIds.Add(entry.Id);
            }

            // 2. Bank accounts the survivor already knows would break the unique (PartyId, Iban) index: the survivor's copy stays.
            await db.PartyBankAccounts.Where(a => a.PartyId == merged.Id && db.PartyBankAccounts.Any(s => s.PartyId == survivor.Id && s.Iban == a.Iban))
                .ExecuteDeleteAsync(token);
            // Likewise a tag both carry (unique PartyId + Tag): the survivor has it already.
            await db.Set<Segmentation.PartyTag>().Where(t => t.PartyId == merged.Id && db.Set<Segmentation.PartyTag>().Any(s => s.PartyId == survivor.Id && s.Tag == t.Tag))
                .ExecuteDeleteAsync(token);

            // 3. Every other reference, generically (contacts move with their party, so "…ContactId" columns stay valid).
            var moved = new List<MovedReferences>();
            foreach (var reference in References(db.Model))
            {
                var count = await db.Database.ExecuteSqlRawAsync(
                    $"UPDATE {Table(reference)} SET {Column(reference)} = {Literal(reference, survivor.Id)} WHERE {Column(reference)} = {Literal(reference, merged.Id)}", token);
                if (count > 0) moved.Add(new MovedReferences(reference.Entity, reference.Property, count));
            }

            // 4. Blanks on the survivor are filled from the merged party; everything the survivor has (credit limit, terms) stays.
            if (survivor.TaxId is null && merged.TaxId is not null) { survivor.TaxIdKind = merged.TaxIdKind; survivor.TaxId = merged.TaxId; survivor.Kpp = merged.Kpp; }
            survivor.Email ??= merged.Email;
            survivor.Phone ??= merged.Phone;
            survivor.SegmentId ??= merged.SegmentId;
            survivor.PreferredPaymentMethod ??= merged.PreferredPaymentMethod;
            survivor.Version = Guid.NewGuid();
            merged.Status = PartyStatus.Merged;
            merged.MergedIntoPartyId = survivor.Id;
            merged.MergedAt = clock.GetUtcNow();
            merged.Version = Guid.NewGuid();
            audit.Record(AuditAction, nameof(Party), survivor.Id, new
            {
                survivorId = survivor.Id, mergedPartyId = merged.Id, mergedName = merged.Name, reason = why,
                moved = moved.ToDictionary(m => $"{m.Entity}.{m.Property}", m => m.Count),
                transfers = transfers.Select(t => new { t.AccountCode, t.Currency, t.Amount, t.BaseAmount }), transferEntries = entryIds,
            });
            audit.Record(AuditAction, nameof(Party), merged.Id, new { survivorId = survivor.Id, reason = why });
            return new MergeResult(survivor.Id, merged.Id, moved, transfers, entryIds);
        }, ct);
    }

    /// <summary>
    /// The line pairs to post. A foreign-currency balance carries its book-currency amount on the same side; what cannot
    /// ride on it — a book amount left when the document amount is zero or of the other sign (realised exchange
    /// differences are posted in the book currency only) — moves in the book currency, so the survivor's book balance is
    /// still the sum and the merged party's is zero.
    /// </summary>
    private static IEnumerable<BalanceTransfer> Postable(IReadOnlyList<BalanceTransfer> transfers, string bookCurrency)
    {
        foreach (var t in transfers)
        {
            if (t.Currency == bookCurrency || (t.Amount != 0 && Math.Sign(t.BaseAmount) == Math.Sign(t.Amount))) { yield return t; continue; }
            if (t.Amount != 0) yield return t with { BaseAmount = 0 };
            if (t.BaseAmount != 0) yield return new BalanceTransfer(t.AccountCode, bookCurrency, t.BaseAmount, t.BaseAmount);
        }
    }

#pragma warning restore EF1002

    private async Task<(Party Survivor, Party Merged)> LoadAsync(Guid survivorId, Guid mergedPartyId, bool tracked, CancellationToken ct)
    {
        var parties = tracked ? db.Parties : db.Parties.AsNoTracking();
        var survivor = await parties.FirstOrDefaultAsync(p => p.Id == survivorId, ct) ?? throw new NotFoundException("Party", survivorId);
        var merged = await parties.FirstOrDefaultAsync(p => p.Id == mergedPartyId, ct) ?? throw new NotFoundException("Party", mergedPartyId);
        return (survivor, merged);
    }

    /// <summary>Why a merge would break the books or the records, in the reader's language; empty when it may go ahead.</summary>
    private async Task<List<string>> RefusalsAsync(Party survivor, Party merged, CancellationToken ct)
    {
        var refusals = new List<string>();
        if (survivor.Id == merged.Id) { refusals.Add(Messages.Translate("A party cannot be merged into itself.")); return refusals; }
        if (survivor.Status == PartyStatus.Merged) refusals.Add(Messages.Format("{0} was itself merged into another party.", survivor.Name));
        if (merged.Status == PartyStatus.Merged) refusals.Add(Messages.Format("{0} was already merged into another party.", merged.Name));
        // Two different tax identities are two taxpayers: their invoices, VAT registers and JPK records must stay apart.
        if (survivor.TaxKey is not null && merged.TaxKey is not null && survivor.TaxKey != merged.TaxKey)
            refusals.Add(Messages.Format("The tax ids differ ({0} and {1}): these are two taxpayers, not a duplicate.", survivor.TaxId, merged.TaxId));
        // A company and a natural person are different legal persons (a person's data also falls under GDPR erasure).
        if (survivor.Kind == PartyKind.Company && merged.Kind == PartyKind.Person)
            refusals.Add(Messages.Format("{0} is a company and {1} a person.", survivor.Name, merged.Name));
        else if (survivor.Kind == PartyKind.Person && merged.Kind == PartyKind.Company)
            refusals.Add(Messages.Format("{0} is a person and {1} a company.", survivor.Name, merged.Name));
        var clashing = await db.PurchaseInvoices.Where(i => i.SupplierId == merged.Id)
            .Where(i => db.PurchaseInvoices.Any(s => s.SupplierId == survivor.Id && s.SupplierInvoiceNumber == i.SupplierInvoiceNumber))
            .Select(i => i.SupplierInvoiceNumber).Take(5).ToListAsync(ct);
        if (clashing.Count > 0)
            refusals.Add(Messages.Format("Both parties have a purchase invoice numbered {0}: one of them is entered twice; correct it first.", string.Join(", ", clashing)));
        return refusals;
    }

    /// <summary>The merged party's non-zero balances per account and currency (document and book currency).</summary>
    private async Task<IReadOnlyList<BalanceTransfer>> BalancesAsync(Guid partyId, CancellationToken ct) =>
        (await BalancesRawAsync(partyId, ct)).Where(b => b.Amount != 0 || b.BaseAmount != 0).ToList();

    private async Task<List<BalanceTransfer>> BalancesRawAsync(Guid partyId, CancellationToken ct)
    {
        var lines = await db.JournalLines.AsNoTracking().Where(l => l.PartyId == partyId)
            .Select(l => new { l.AccountCode, l.Currency, l.Debit, l.Credit, l.BaseDebit, l.BaseCredit }).ToListAsync(ct);
        return lines.GroupBy(l => (l.AccountCode, l.Currency))
            .Select(g => new BalanceTransfer(g.Key.AccountCode, g.Key.Currency, g.Sum(l => l.Debit - l.Credit), g.Sum(l => l.BaseDebit - l.BaseCredit)))
            .OrderBy(b => b.AccountCode, StringComparer.Ordinal).ThenBy(b => b.Currency, StringComparer.Ordinal).ToList();
    }

    private string Table(PartyReference r) =>
        (r.Schema is null ? "" : Sql.DelimitIdentifier(r.Schema) + ".") + Sql.DelimitIdentifier(r.Table);

    private string Column(PartyReference r) => Sql.DelimitIdentifier(r.Column);

    // A literal rendered by the column's own type mapping: a Guid is TEXT on SQLite and uuid on PostgreSQL.
    private static string Literal(PartyReference r, Guid id) => r.Mapping.GenerateSqlLiteral(id);

    private ISqlGenerationHelper Sql => db.GetService<ISqlGenerationHelper>();
}
