using System.Diagnostics;
using Kontor.Catalog;
using Kontor.Company;
using Kontor.Ledger;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Persistence;

/// <summary>The reference rows every sale reads, as they stood when loaded. Shared between threads: treat as read-only.</summary>
public sealed class ReferenceSnapshot(
    CompanyProfile? company,
    IReadOnlyList<VatRate> vatRates,
    IReadOnlyList<NumberingSeries> numberingSeries,
    IReadOnlyDictionary<string, Account> accounts,
    IReadOnlyList<CompanyBankAccount>? bankAccounts = null,
    IReadOnlyDictionary<Guid, Commerce.SalesChannel>? channels = null)
{
    public CompanyProfile? Company { get; } = company;
    /// <summary>Ordered by country, then by the date the rate starts.</summary>
    public IReadOnlyList<VatRate> VatRates { get; } = vatRates;
    public IReadOnlyList<NumberingSeries> NumberingSeries { get; } = numberingSeries;
    public IReadOnlyDictionary<string, Account> Accounts { get; } = accounts;
    public IReadOnlyList<CompanyBankAccount> BankAccounts { get; } = bankAccounts ?? [];
    /// <summary>The web shops by id: every webhook delivery names one (read here, not once per delivery).</summary>
    public IReadOnlyDictionary<Guid, Commerce.SalesChannel> Channels { get; } = channels ?? new Dictionary<Guid, Commerce.SalesChannel>();

    /// <summary>
    /// The account a document in <paramref name="currency"/> prints: the default account of that currency,
    /// else the default account of the base currency (a PLN invoice's account for a EUR invoice), else none.
    /// </summary>
    public CompanyBankAccount? BankAccountFor(string currency) =>
        BankAccounts.FirstOrDefault(a => a.IsDefault && a.Currency == currency)
        ?? BankAccounts.FirstOrDefault(a => a.IsDefault && a.Currency == (Company?.BaseCurrency ?? "PLN"));

    public NumberingSeries? DefaultInvoiceSeries { get; } =
        numberingSeries.FirstOrDefault(s => s.DocumentType == Sales.NumberingSeries.InvoiceDocumentType && s.IsDefault);

    /// <summary>A database that is not initialised yet gives an incomplete snapshot; it is not kept.</summary>
    public bool IsComplete => Company is not null && DefaultInvoiceSeries is not null && Accounts.Count > 0;
}

/// <summary>
/// Company profile, VAT rates, numbering series, chart of accounts and sales channels, read once and shared by every
/// scope of one host (a singleton per service provider, never static: each test host has its own
/// database). Before this cache each invoice re-read them in every scope: five queries per invoice.
///
/// Why this is safe (decision, 2026-11): every writer of these rows — <see cref="DatabaseInitializer"/>,
/// <c>CompanySettingsService</c>, <c>NumberingSeriesService</c>, <c>SalesChannelService</c>, and any future VAT-rate or
/// chart-of-accounts editor — MUST call <see cref="Invalidate"/> after its transaction commits, so this
/// node sees the change at once. Other nodes (several web nodes on one PostgreSQL database) cannot be told without a
/// notification channel (e.g. LISTEN/NOTIFY), so every snapshot also expires after <see cref="TimeToLive"/>
/// (60 s): a change made on one node reaches the others within a minute. That delay is acceptable for
/// data that changes a few times a year and is dated (a new VAT rate is entered before the day it
/// starts); anything that must be exact at the instant of change needs the notification instead.
/// The snapshot is read in its own scope (own connection, committed data only), never inside the
/// caller's transaction, so a rolled-back edit can never be cached.
/// </summary>
public sealed class ReferenceData(IServiceScopeFactory scopes)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);

    private sealed class Load(Task<ReferenceSnapshot> task, long startedAt)
    {
        public Task<ReferenceSnapshot> Task { get; } = task;
        public long StartedAt { get; } = startedAt;
    }

    private Load? current;

    public async Task<ReferenceSnapshot> GetAsync(CancellationToken ct = default)
    {
        var load = Volatile.Read(ref current);
        if (load is null || IsStale(load)) load = StartLoad(load);
        try
        {
            return await load.Task.WaitAsync(ct);
        }
        catch when (load.Task.IsFaulted)
        {
            // A failed load is not remembered: the next caller tries again.
            Interlocked.CompareExchange(ref current, null, load);
            throw;
        }
    }

    /// <summary>Forget the snapshot; the next reader loads the rows again. Call after committing a change to any of them.</summary>
    public void Invalidate() => Volatile.Write(ref current, null);

    private static bool IsStale(Load load) =>
        Stopwatch.GetElapsedTime(load.StartedAt) > TimeToLive
        || (load.Task.IsCompletedSuccessfully && !load.Task.Result.IsComplete);

    private Load StartLoad(Load? seen)
    {
        // One load at a time: whoever swaps in the new load starts it; the others await the same task.
        var start = new Task<Task<ReferenceSnapshot>>(ReadAsync);
        var fresh = new Load(start.Unwrap(), Stopwatch.GetTimestamp());
        var winner = Interlocked.CompareExchange(ref current, fresh, seen);
        if (winner != seen) return winner ?? StartLoad(null);
        start.Start(TaskScheduler.Default);
        return fresh;
    }

    private async Task<ReferenceSnapshot> ReadAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        var company = await db.CompanyProfiles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == CompanyProfile.SingletonId);
        var rates = await db.VatRates.AsNoTracking().OrderBy(r => r.CountryCode).ThenBy(r => r.ValidFrom).ToListAsync();
        var series = await db.NumberingSeries.AsNoTracking().ToListAsync();
        var accounts = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Code);
        var bankAccounts = await db.CompanyBankAccounts.AsNoTracking().OrderBy(a => a.Currency).ThenBy(a => a.Name).ToListAsync();
        var channels = await db.SalesChannels.AsNoTracking().ToDictionaryAsync(c => c.Id);
        var snapshot = new ReferenceSnapshot(company, rates, series, accounts, bankAccounts, channels);
        if (company is not null) company.BankAccount = snapshot.BankAccountFor(company.BaseCurrency)?.Iban;
        return snapshot;
    }
}
