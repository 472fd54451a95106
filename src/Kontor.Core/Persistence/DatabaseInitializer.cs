using Kontor.Catalog;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kontor.Persistence;

/// <summary>Brings a database to the current schema and puts in the reference data Kontor cannot work without.</summary>
public sealed class DatabaseInitializer(KontorDbContext db, DemoData demo, ReferenceData referenceData, IOptions<DatabaseOptions> options,
    IOptions<PostingAccounts> accounts, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString());
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
        }
        await SeedReferenceDataAsync(ct);
        // Anything read before (or during) seeding is out of date now.
        referenceData.Invalidate();
        if (options.Value.SeedDemoData) await demo.SeedOnceAsync(ct);
        await FillPartyMatchKeysAsync(ct);
        await FillPaymentViaAsync(ct);
        // Channel secrets stored in plain text are NOT encrypted here: this also runs in `kontor migrate`, whose key ring
        // (Kontor:KeysDirectory relative to the operator's working directory) need not be the web host's. The web host
        // encrypts them at its startup (Program.cs, ChannelSecrets.ProtectStoredAsync; docs/commerce.md, "Secrets at rest").
    }

    /// <summary>
    /// Parties saved before duplicate detection existed have no match keys, and parties saved before the name block
    /// words (migration DuplicateNameKeys) have none of those; saving them computes the keys (KontorDbContext
    /// refreshes them on every save). A no-op once done: new parties get their keys when added.
    /// </summary>
    private async Task FillPartyMatchKeysAsync(CancellationToken ct)
    {
        // A name of punctuation only has no key even after a save: such rows are skipped, not read again forever.
        var done = new HashSet<Guid>();
        while (true)
        {
            var parties = await db.Parties.Where(p => (p.NameKey == "" || p.NameWord1 == null) && p.Name != "" && p.Status == Crm.PartyStatus.Active && !done.Contains(p.Id))
                .OrderBy(p => p.Id).Take(1000).ToListAsync(ct);
            if (parties.Count == 0) return;
            done.UnionWith(parties.Select(p => p.Id));
            foreach (var party in parties) db.Entry(party).State = EntityState.Modified;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Payments registered before <see cref="Payment.Via"/> was stored got Bank (the column's default); those whose journal entry
    /// moved the gateway clearing account (<c>Ledger:GatewayClearing</c>, 145 — configuration, which is why this is not migration
    /// SQL; decision 51) went through the gateway. One set-based UPDATE; it changes nothing once done (a payment posts to the
    /// account its Via names, so no Bank payment has a gateway line), but it still reads every Bank payment's entry at each
    /// start — ≈ 0.5 s on SQLite and 0.2 s on PostgreSQL with 500,000 payments (review, session 9). Returns the rows changed.
    /// </summary>
    public async Task<int> FillPaymentViaAsync(CancellationToken ct = default)
    {
        var gateway = accounts.Value.GatewayClearing;
        if (gateway == accounts.Value.Bank) return 0;   // one account for both: nothing tells them apart
        var filled = await db.Payments
            .Where(p => p.Via == PaymentVia.Bank && db.JournalEntries.Any(e => e.SourceType == PaymentService.SourceType && e.SourceId == p.Id
                && db.JournalLines.Any(l => l.EntryId == e.Id && l.AccountCode == gateway)))
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Via, PaymentVia.GatewayClearing), ct);
        if (filled > 0) logger.LogInformation("Marked {Count} payment(s) made through the gateway clearing account {Account}", filled, gateway);
        return filled;
    }

    private async Task SeedReferenceDataAsync(CancellationToken ct)
    {
        if (!await db.CompanyProfiles.AnyAsync(ct))
        {
            db.CompanyProfiles.Add(new CompanyProfile
            {
                Name = "Kontor Demo Sp. z o.o.",
                TaxId = "5260250274",
                Street = "ul. Prosta 51",
                PostalCode = "00-838",
                City = "Warszawa",
                CountryCode = "PL",
                BaseCurrency = "PLN",
            });
            db.CompanyBankAccounts.Add(new CompanyBankAccount { Name = "Rachunek główny", Iban = "PL61109010140000071219812874", Currency = "PLN", IsDefault = true });
        }
        var existingRates = await db.VatRates.Select(r => new { r.CountryCode, r.Code, r.ValidFrom }).ToListAsync(ct);
        foreach (var rate in VatRate.Defaults.Where(r => !existingRates.Any(e => e.CountryCode == r.CountryCode && e.Code == r.Code && e.ValidFrom == r.ValidFrom)))
            db.VatRates.Add(new VatRate { CountryCode = rate.CountryCode, Code = rate.Code, Kind = rate.Kind, Percent = rate.Percent, Label = rate.Label, ValidFrom = rate.ValidFrom, ValidTo = rate.ValidTo });
        var existingAccounts = await db.Accounts.Select(a => a.Code).ToListAsync(ct);
        foreach (var account in Account.PolishTemplate.Where(a => !existingAccounts.Contains(a.Code)))
            db.Accounts.Add(new Account { Code = account.Code, Name = account.Name, Type = account.Type, TracksParties = account.TracksParties });
        if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == NumberingSeries.InvoiceDocumentType, ct))
            db.NumberingSeries.Add(new NumberingSeries { Name = "FV", Pattern = NumberingSeries.DefaultInvoicePattern, Reset = NumberingReset.Monthly, IsDefault = true });
        if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == Offers.Offer.DocumentType, ct))
            db.NumberingSeries.Add(new NumberingSeries { DocumentType = Offers.Offer.DocumentType, Name = "OF", Pattern = Offers.Offer.DefaultNumberPattern, Reset = NumberingReset.Monthly, IsDefault = true });
        if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == Orders.Order.DocumentType, ct))
            db.NumberingSeries.Add(new NumberingSeries { DocumentType = Orders.Order.DocumentType, Name = "ZAM", Pattern = Orders.Order.DefaultNumberPattern, Reset = NumberingReset.Monthly, IsDefault = true });
        if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == NumberingSeries.CorrectionDocumentType, ct))
            db.NumberingSeries.Add(new NumberingSeries { DocumentType = NumberingSeries.CorrectionDocumentType, Name = "KOR", Pattern = NumberingSeries.DefaultCorrectionPattern, Reset = NumberingReset.Monthly, IsDefault = true });
        if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == NumberingSeries.ProFormaDocumentType, ct))
            db.NumberingSeries.Add(new NumberingSeries { DocumentType = NumberingSeries.ProFormaDocumentType, Name = "PF", Pattern = NumberingSeries.DefaultProFormaPattern, Reset = NumberingReset.Monthly, IsDefault = true });
        if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == NumberingSeries.ComplaintDocumentType, ct))
            db.NumberingSeries.Add(new NumberingSeries { DocumentType = NumberingSeries.ComplaintDocumentType, Name = "REK", Pattern = NumberingSeries.DefaultComplaintPattern, Reset = NumberingReset.Yearly, IsDefault = true });
        foreach (var kind in Enum.GetValues<Inventory.StockDocumentKind>())
        {
            var type = Inventory.StockDocument.DocumentTypeOf(kind);
            if (!await db.NumberingSeries.AnyAsync(s => s.DocumentType == type, ct))
                db.NumberingSeries.Add(new NumberingSeries { DocumentType = type, Name = kind.ToString(), Pattern = Inventory.StockDocument.DefaultPatternOf(kind), Reset = NumberingReset.Monthly, IsDefault = true });
        }
        // Orders reserve in the default warehouse, so there is always one.
        if (!await db.Warehouses.AnyAsync(ct))
            db.Warehouses.Add(new Inventory.Warehouse { Code = Inventory.Warehouse.DefaultCode, Name = Inventory.Warehouse.DefaultName, IsDefault = true, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(ct);
    }
}
