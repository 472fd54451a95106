using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kontor.Catalog;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Benchmarks;

public static class InvoiceBenchmark
{
    public static async Task<BenchmarkResult> RunAsync(BenchmarkOptions options)
    {
        await using var database = await BenchmarkDatabase.CreateAsync(options);
        var counter = new SqlCounter();
        await using var services = BuildServices(options, database.ConnectionString, counter);

        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var catalog = await CreateCatalogAsync(services);

        var warmup = options.Warmup > 0 ? await IssueAsync(services, catalog, options, firstIndex: 0, options.Warmup) : null;
        counter.Reset();
        var measured = await IssueAsync(services, catalog, options, firstIndex: options.Warmup, options.Count);
        var sql = options.Profile ? SqlProfile.From(counter, options.Count) : null;

        var trialBalance = await TrialBalanceAsync(services);
        var numbering = await CheckNumberingAsync(services, options.Warmup + options.Count);
        return new BenchmarkResult(options, database.Description, warmup, measured, trialBalance, numbering, sql);
    }

    private static ServiceProvider BuildServices(BenchmarkOptions options, string connectionString, SqlCounter counter)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = options.Provider.ToString(),
            ["Database:SeedDemoData"] = "false",
            ["ConnectionStrings:Kontor"] = connectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning)
            // EF logs the expected miss of the migrations history table on a fresh database as an error; real failures still throw.
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None));
        services.AddKontor(configuration);
        if (options.Profile)
        {
            if (options.Provider == DatabaseProvider.Sqlite)
                services.ConfigureDbContext<SqliteKontorDbContext>(o => o.AddInterceptors(counter.Interceptors()));
            else
                services.ConfigureDbContext<PostgresKontorDbContext>(o => o.AddInterceptors(counter.Interceptors()));
        }
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>A handful of buyers and products at three VAT rates, entered through the services.</summary>
    private static async Task<Catalog> CreateCatalogAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var parties = scope.ServiceProvider.GetRequiredService<PartyService>();
        var products = scope.ServiceProvider.GetRequiredService<ProductService>();
        var partyIds = new List<Guid>();
        for (var i = 1; i <= 8; i++)
        {
            var party = await parties.CreateAsync(new CreateParty(PartyKind.Company, $"Benchmark Buyer {i} Sp. z o.o.", TaxIdKind.None, null,
                new AddressInput($"ul. Testowa {i}", "00-001", "Warszawa", "PL"), $"buyer{i}@bench.example", null, 7 + i, null, "PLN", null, null));
            partyIds.Add(party.Id);
        }
        var productIds = new List<Guid>();
        foreach (var (sku, price, rate) in new[] { ("BENCH-23", 250m, "23"), ("BENCH-8", 41.37m, "8"), ("BENCH-5", 89.90m, "5"), ("BENCH-ZW", 1200m, "zw") })
        {
            var product = await products.CreateAsync(new CreateProduct(sku, $"Benchmark product {rate}", ProductKind.Goods, "szt.", price, "PLN", rate));
            productIds.Add(product.Id);
        }
        return new Catalog(partyIds, productIds);
    }

    private sealed record Catalog(IReadOnlyList<Guid> Parties, IReadOnlyList<Guid> Products);

    /// <summary>Invoice i: 2 or 3 lines, each at a different VAT rate, prices taken from the products.</summary>
    private static SaveInvoiceDraft Draft(Catalog catalog, int i)
    {
        var p = catalog.Products;
        var lines = new List<InvoiceLineInput>
        {
            new(p[0], null, 1 + i % 7, null, i % 10 == 0 ? 5m : null, null, null),
            new(p[1 + i % 3], null, 0.5m + i % 4, null, null, null, null),
        };
        if (i % 2 == 1) lines.Add(new(p[1 + (i + 1) % 3], null, 3, null, null, null, null));
        return new SaveInvoiceDraft(catalog.Parties[i % catalog.Parties.Count], "PLN", PricingMode.Net, null, null, null, $"benchmark {i}", lines);
    }

    private static async Task<Phase> IssueAsync(ServiceProvider services, Catalog catalog, BenchmarkOptions options, int firstIndex, int count) =>
        options.Mode switch
        {
            RunMode.Batch => await CreateAndIssueInBatchesAsync(services, catalog, options, firstIndex, count),
            RunMode.IssueMany => await IssueInBatchesAsync(services, catalog, options, firstIndex, count),
            _ => await IssueOneByOneAsync(services, catalog, options, firstIndex, count),
        };

    /// <summary>Each batch: K invoices created, issued and posted in one scope and one transaction (CreateManyAsync).</summary>
    private static async Task<Phase> CreateAndIssueInBatchesAsync(ServiceProvider services, Catalog catalog, BenchmarkOptions options, int firstIndex, int count)
    {
        var batches = (count + options.Batch - 1) / options.Batch;
        var latencies = new double[batches];
        var next = -1;
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var drafts = Enumerable.Range(b * options.Batch, Math.Min(count, (b + 1) * options.Batch) - b * options.Batch)
                    .Select(slot => Draft(catalog, firstIndex + slot)).ToList();
                var started = Stopwatch.GetTimestamp();
                await using (var scope = services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateManyAsync(drafts, issue: true);
                latencies[b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new Phase(count, clock.Elapsed, latencies, cpu, GC.CollectionCount(0) - gcBefore);
    }

    /// <summary>Each batch: K drafts created one per call (own scope and transaction), then issued together.</summary>
    private static async Task<Phase> IssueInBatchesAsync(ServiceProvider services, Catalog catalog, BenchmarkOptions options, int firstIndex, int count)
    {
        var batches = (count + options.Batch - 1) / options.Batch;
        var latencies = new double[batches];
        var next = -1;
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var started = Stopwatch.GetTimestamp();
                var ids = new List<Guid>(options.Batch);
                for (var slot = b * options.Batch; slot < Math.Min(count, (b + 1) * options.Batch); slot++)
                {
                    await using var scope = services.CreateAsyncScope();
                    ids.Add((await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateDraftAsync(Draft(catalog, firstIndex + slot))).Id);
                }
                await using (var scope = services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<InvoiceService>().IssueManyAsync(ids);
                latencies[b] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new Phase(count, clock.Elapsed, latencies, cpu, GC.CollectionCount(0) - gcBefore);
    }

    private static async Task<Phase> IssueOneByOneAsync(ServiceProvider services, Catalog catalog, BenchmarkOptions options, int firstIndex, int count)
    {
        var latencies = new double[count];
        var next = -1;
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(async () =>
        {
            int slot;
            while ((slot = Interlocked.Increment(ref next)) < count)
            {
                var draft = Draft(catalog, firstIndex + slot);
                var started = Stopwatch.GetTimestamp();
                if (options.Scope == ScopeMode.PerInvoice)
                {
                    await using var scope = services.CreateAsyncScope();
                    var invoices = scope.ServiceProvider.GetRequiredService<InvoiceService>();
                    var created = await invoices.CreateDraftAsync(draft);
                    await invoices.IssueAsync(created.Id);
                }
                else
                {
                    Guid id;
                    await using (var scope = services.CreateAsyncScope())
                        id = (await scope.ServiceProvider.GetRequiredService<InvoiceService>().CreateDraftAsync(draft)).Id;
                    await using (var scope = services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<InvoiceService>().IssueAsync(id);
                }
                latencies[slot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new Phase(count, clock.Elapsed, latencies, cpu, GC.CollectionCount(0) - gcBefore);
    }

    private static async Task<TrialBalanceCheck> TrialBalanceAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerQueries>();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        var asOf = scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today().AddDays(1);
        await ledger.TrialBalanceAsync(asOf); // first call compiles the query; time the second, as a user would see it
        var clock = Stopwatch.StartNew();
        var balance = await ledger.TrialBalanceAsync(asOf);
        clock.Stop();
        var lines = await db.JournalLines.CountAsync();
        var balanced = balance.Totals.Count > 0 && balance.IsBalanced;
        return new TrialBalanceCheck(clock.Elapsed, lines, balanced, balance.Totals);
    }

    /// <summary>Every issued number is distinct and each period's sequence is exactly 1..n.</summary>
    private static async Task<NumberingCheck> CheckNumberingAsync(ServiceProvider services, int expected)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        var numbers = await db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Issued).Select(i => i.Number!).ToListAsync();
        var distinct = numbers.Distinct().Count();
        var gapless = numbers
            .Select(n => (Period: n[..n.LastIndexOf('/')], Sequence: long.Parse(n[(n.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture)))
            .GroupBy(n => n.Period)
            .All(g => g.Select(n => n.Sequence).Order().SequenceEqual(Enumerable.Range(1, g.Count()).Select(x => (long)x)));
        var journalEntries = await db.JournalEntries.CountAsync(e => e.SourceType == "invoice");
        var openItems = await db.OpenItems.CountAsync(o => o.SourceType == "invoice");
        return new NumberingCheck(expected, numbers.Count, distinct, gapless, journalEntries, openItems);
    }
}

/// <param name="Cpu">Processor time of this process during the phase: less disturbed by other load on the machine than wall time.</param>
public sealed record Phase(int Count, TimeSpan Elapsed, double[] LatenciesMs, TimeSpan Cpu, int Gen0Collections)
{
    public double CpuMsPerInvoice => Cpu.TotalMilliseconds / Count;
    public double PerSecond => Count / Elapsed.TotalSeconds;
    public double Percentile(double p)
    {
        var sorted = LatenciesMs.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
    public double Max => LatenciesMs.Max();
}

public sealed record TrialBalanceCheck(TimeSpan Elapsed, int JournalLines, bool Balanced, IReadOnlyList<(string Currency, decimal Debit, decimal Credit)> Totals);

public sealed record NumberingCheck(int Expected, int Issued, int Distinct, bool Gapless, int JournalEntries, int OpenItems)
{
    public bool Ok => Issued == Expected && Distinct == Expected && Gapless && JournalEntries == Expected && OpenItems == Expected;
}

public sealed record SqlProfile(double CommandsPerInvoice, double OpensPerInvoice, double TransactionsPerInvoice,
    double CommandMsPerInvoice, double OpenMsPerInvoice, double CommitMsPerInvoice, IReadOnlyList<(string Sql, double PerInvoice, double MsPerInvoice)> Top)
{
    public static SqlProfile From(SqlCounter counter, int invoices) => new(
        (double)counter.Commands / invoices, (double)counter.Opens / invoices, (double)counter.Transactions / invoices,
        counter.CommandTime.TotalMilliseconds / invoices, counter.OpenTime.TotalMilliseconds / invoices, counter.CommitTime.TotalMilliseconds / invoices,
        counter.ByText.OrderByDescending(kv => kv.Value.Ticks)
            .Select(kv => (kv.Key, (double)kv.Value.Count / invoices, TimeSpan.FromTicks(kv.Value.Ticks).TotalMilliseconds / invoices)).ToList());
}

public sealed record BenchmarkResult(BenchmarkOptions Options, string Database, Phase? Warmup, Phase Measured, TrialBalanceCheck TrialBalance, NumberingCheck Numbering, SqlProfile? Sql)
{
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public bool Healthy => TrialBalance.Balanced && Numbering.Ok;

    public string Summary()
    {
        var ci = CultureInfo.InvariantCulture;
        var o = Options;
        var name = o.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
        var s = new StringBuilder();
        s.AppendLine(ci, $"# {name}: {Database}; scope {(o.Scope == ScopeMode.PerCall ? "per call (create, issue = 2 scopes)" : "per invoice")}");
        if (Warmup is { } w)
            s.AppendLine(ci, $"  warm-up  n={w.Count}  {w.PerSecond,6:F0} inv/s  p50 {w.Percentile(50):F1} ms  p99 {w.Percentile(99):F1} ms (not counted)");
        var m = Measured;
        var mode = o.Mode switch
        {
            RunMode.Batch => $"batch={o.Batch}",
            RunMode.IssueMany => $"issue-many={o.Batch}",
            _ => "single",
        };
        if (o.Mode == RunMode.Single)
        {
            s.AppendLine("  single mode: each invoice created (1 transaction) and issued + posted (1 transaction), 2 scopes; latency = create + issue of one invoice");
            s.AppendLine(ci, $"{name,-8}  {mode,-14} workers={o.Workers}  n={m.Count}  {m.PerSecond,6:F0} inv/s  per invoice p50 {m.Percentile(50):F1} ms  p99 {m.Percentile(99):F1} ms  max {m.Max:F1} ms  " +
                             $"trial balance {TrialBalance.Elapsed.TotalMilliseconds:F0} ms ({TrialBalance.JournalLines} lines)");
        }
        else
        {
            if (o.Mode == RunMode.Batch)
                s.AppendLine(ci, $"  batch mode: {o.Batch} invoices created + issued + posted in ONE transaction per batch (CreateManyAsync); each invoice is done when its batch commits");
            else
                s.AppendLine(ci, $"  issue-many mode: drafts created one per transaction, issued {o.Batch} per transaction (IssueManyAsync)");
            s.AppendLine(ci, $"{name,-8}  {mode,-14} workers={o.Workers}  n={m.Count}  {m.PerSecond,6:F0} inv/s  per batch p50 {m.Percentile(50):F1} ms  p99 {m.Percentile(99):F1} ms  max {m.Max:F1} ms; " +
                             $"per invoice (batch ÷ {o.Batch}) p50 {m.Percentile(50) / o.Batch:F2} ms  p99 {m.Percentile(99) / o.Batch:F2} ms  " +
                             $"trial balance {TrialBalance.Elapsed.TotalMilliseconds:F0} ms ({TrialBalance.JournalLines} lines)");
        }
        s.AppendLine(ci, $"  cpu {m.CpuMsPerInvoice:F2} ms per invoice (process, all threads), {m.Gen0Collections} gen0 GCs; machine load average {LoadAverage()}");
        s.AppendLine(ci, $"  checks: trial balance {(TrialBalance.Balanced ? "balanced" : "NOT BALANCED")} " +
                         $"({string.Join(", ", TrialBalance.Totals.Select(t => $"{t.Currency} Dr {t.Debit:F2} Cr {t.Credit:F2}"))}); " +
                         $"numbers {Numbering.Distinct} distinct of {Numbering.Issued} issued, expected {Numbering.Expected}, {(Numbering.Gapless ? "gapless" : "GAPS")}; " +
                         $"journal entries {Numbering.JournalEntries}, open items {Numbering.OpenItems} => {(Healthy ? "OK" : "FAILED")}");
        if (Sql is { } q)
        {
            s.AppendLine(ci, $"  sql per invoice: {q.CommandsPerInvoice:F2} commands ({q.CommandMsPerInvoice:F3} ms), {q.OpensPerInvoice:F2} connection opens ({q.OpenMsPerInvoice:F3} ms), " +
                             $"{q.TransactionsPerInvoice:F2} transactions (commit {q.CommitMsPerInvoice:F3} ms)");
            foreach (var (sql, per, ms) in q.Top.Take(25))
                s.AppendLine(ci, $"    {per,5:F2}x {ms,7:F3} ms  {sql}");
        }
        return s.ToString().TrimEnd();
    }
}
