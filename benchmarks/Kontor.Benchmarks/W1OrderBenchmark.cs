using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kontor.Catalog;
using Kontor.Commerce;
using Kontor.Common;
using Kontor.Company;
using Kontor.Crm;
using Kontor.Inventory;
using Kontor.Ledger;
using Kontor.Persistence;
using Kontor.Sales;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kontor.Benchmarks;

public sealed record W1Options(DatabaseProvider Provider, int Orders, int Warmup, int Concurrency, int Products, int Customers,
    string? PostgresServer, string? SqliteFile, bool Profile, bool Keep)
{
    public static W1Options Parse(string[] args)
    {
        var provider = DatabaseProvider.Sqlite;
        int orders = 5000, warmup = 1000, concurrency = 8, products = 50, customers = 500;
        string? postgres = null, sqliteFile = null;
        bool profile = false, keep = false;
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number(string name)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} must be a whole number ≥ 0, got '{text}'.");
            }
            switch (args[i])
            {
                case "--orders": orders = Number("--orders"); break;
                case "--warmup": warmup = Number("--warmup"); break;
                case "--concurrency": concurrency = Number("--concurrency"); break;
                case "--products": products = Number("--products"); break;
                case "--customers": customers = Number("--customers"); break;
                case "--postgres": provider = DatabaseProvider.Postgres; postgres = Value(); break;
                case "--sqlite-file": sqliteFile = Value(); break;
                case "--profile": profile = true; break;
                case "--keep": keep = true; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (orders < 1) throw new ArgumentException("--orders must be at least 1.");
        if (concurrency < 1) throw new ArgumentException("--concurrency must be at least 1.");
        if (products < 3) throw new ArgumentException("--products must be at least 3.");
        if (customers < 1) throw new ArgumentException("--customers must be at least 1.");
        return new W1Options(provider, orders, warmup, concurrency, products, customers, postgres, sqliteFile, profile, keep);
    }
}

/// <summary>
/// Benchmark W1 (issue 6): paid shop orders posted over HTTP to the REAL Kontor.Web host, end to end.
/// <para>
/// The host is Kontor.Web's own Program (every service, middleware and endpoint as in production, Production environment,
/// Warning-level logging) started IN PROCESS through WebApplicationFactory with a real Kestrel socket on 127.0.0.1
/// (<c>UseKestrel</c> + <c>StartServer</c>, as the UI tests do); the load generator is an HttpClient in the same process
/// talking HTTP/1.1 keep-alive over loopback. In-process so one process's CPU time covers server and client, and the
/// database checks at the end read the same database through the host's own services. The outbox worker is off (no shop
/// to send to): outbox rows are written by the flow, not dispatched.
/// </para>
/// Each order is a signed WooCommerce "paid" webhook: customer match by e-mail (≈30 % repeat customers) or create (≈70 %
/// new persons), order with 1–3 lines + shipping on some, stock reservation, invoice issued (numbered, posted Dr 201 /
/// Cr 700 / Cr 221, open item), gateway payment allocated (posted), audit, integration log — one transaction per delivery.
/// </summary>
public static class W1OrderBenchmark
{
    private const string Secret = "w1-benchmark-webhook-secret";

    public static async Task<int> RunAsync(W1Options options)
    {
        var legacy = new BenchmarkOptions(options.Provider, 1, 0, 1,
            options.PostgresServer ?? Environment.GetEnvironmentVariable("KONTOR_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("PG_THROWAWAY_CONNSTR"),
            options.SqliteFile, ScopeMode.PerCall, false, options.Keep, RunMode.Single, 1);
        if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(legacy.PostgresServer))
            throw new ArgumentException("--postgres needs a connection string to a server where the benchmark may CREATE DATABASE.");
        await using var database = await BenchmarkDatabase.CreateAsync(legacy);
        var keys = Path.Combine(Path.GetTempPath(), "kontor-w1-keys-" + Guid.NewGuid().ToString("N"));
        var counter = new SqlCounter();
        // WebApplicationFactory looks for its manifest in the CURRENT directory; the benchmark runs from the repository root, so
        // name Kontor.Web's content root from the manifest next to this assembly (the setting the factory checks first).
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json")))!.AsObject();
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_KONTOR_WEB",
            manifest.Single(kv => kv.Key.StartsWith("Kontor.Web,", StringComparison.Ordinal)).Value!.GetValue<string>());
        await using var host = new W1Host(options.Provider, database.ConnectionString, keys, options.Profile ? counter : null);
        host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        host.StartServer();
        var baseUrl = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));

        var seed = await SeedAsync(host.Services, options);
        Console.WriteLine($"# W1 {Name(options.Provider)}: {database.Description}; host {baseUrl} (Kontor.Web in process, Kestrel); " +
                          $"{options.Products} products, {options.Customers} existing customers, concurrency {options.Concurrency}");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
        var path = $"/api/webhooks/{seed.ChannelId}/woocommerce";

        using var ef = new EfMetrics();
        using var ingestion = new IngestionFigures();
        var warmup = options.Warmup > 0 ? await LoadAsync(client, path, seed, options, first: 0, options.Warmup) : null;
        counter.Reset();
        var efBefore = ef.Snapshot();
        ingestion.Reset();
        var measured = await LoadAsync(client, path, seed, options, first: options.Warmup, options.Orders);
        var efDuring = ef.Snapshot().Select(kv => (kv.Key, Value: kv.Value - efBefore.GetValueOrDefault(kv.Key))).Where(kv => kv.Value != 0).ToList();
        Console.WriteLine("  EF Core per order (measured phase): " + string.Join(", ", efDuring.Select(kv =>
            $"{kv.Key.Replace("microsoft.entityframeworkcore.", "")} {kv.Value / options.Orders:F2}")));
        Console.WriteLine(ingestion.Describe(options.Orders));
        var sql = options.Profile ? SqlProfile.From(counter, options.Orders) : null;
        var load = LoadAverage();

        var total = options.Warmup + options.Orders;
        var checks = await VerifyAsync(host.Services, seed, options, total, (warmup?.Ok ?? 0) + measured.Ok);
        Print(options, warmup, measured, sql, checks, load);
        try { Directory.Delete(keys, recursive: true); } catch (IOException) { }
        return checks.All(c => c.Ok) && measured.Errors == 0 && (warmup?.Errors ?? 0) == 0 ? 0 : 1;
    }

    private static string Name(DatabaseProvider p) => p == DatabaseProvider.Sqlite ? "sqlite" : "postgres";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class W1Host(DatabaseProvider provider, string connectionString, string keys, SqlCounter? counter)
        : WebApplicationFactory<Kontor.Web.Hosting.HttpCurrentActor>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Kontor", connectionString);
            builder.UseSetting("Database:Provider", provider.ToString());
            builder.UseSetting("Database:SeedDemoData", "false");
            builder.UseSetting("Kontor:KeysDirectory", keys);
            builder.UseSetting("Outbox:Enabled", "false");
            // Request logging at Information would be measured too; production runs at Warning for this kind of load.
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None));
            if (counter is not null)
                builder.ConfigureTestServices(services =>
                {
                    if (provider == DatabaseProvider.Sqlite)
                        services.ConfigureDbContext<SqliteKontorDbContext>(o => o.AddInterceptors(counter.Interceptors()));
                    else
                        services.ConfigureDbContext<PostgresKontorDbContext>(o => o.AddInterceptors(counter.Interceptors()));
                });
        }
    }

    private sealed record Seed(Guid ChannelId, IReadOnlyList<(string Sku, decimal Price)> Products, IReadOnlyList<string> CustomerEmails, int PartiesBefore);

    /// <summary>The channel, products with stock received on one posted PZ, and existing customers — all through the services.</summary>
    private static async Task<Seed> SeedAsync(IServiceProvider services, W1Options options)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var channel = await sp.GetRequiredService<SalesChannelService>().CreateAsync(new SaveSalesChannel("W1 shop", ChannelType.WooCommerce, Secret,
            "http://127.0.0.1:9", "ck_w1", "cs_w1", InvoiceMoment.OnPayment, null, [CustomerMatchKey.Email, CustomerMatchKey.Nip, CustomerMatchKey.Phone],
            CreateCompanyForVatId: true, PricingMode.Net, null));
        var productService = sp.GetRequiredService<ProductService>();
        var products = new List<(string, decimal)>();
        var stock = new List<StockDocumentLineInput>();
        for (var i = 0; i < options.Products; i++)
        {
            var price = 10m + i % 37 * 3.45m;
            var sku = $"W1-{i:D4}";
            var product = await productService.CreateAsync(new CreateProduct(sku, $"W1 product {i}", ProductKind.Goods, "szt.", price, "PLN", i % 5 == 4 ? "8" : "23"));
            products.Add((sku, price));
            stock.Add(new StockDocumentLineInput(product.Id, 1_000_000m, UnitCost: Math.Round(price * 0.6m, 2)));
        }
        await sp.GetRequiredService<StockDocumentService>().CreateAndPostAsync(new SaveStockDocument(StockDocumentKind.PZ, null, null, stock));
        var parties = sp.GetRequiredService<PartyService>();
        var emails = new List<string>();
        for (var i = 0; i < options.Customers; i++)
        {
            var email = $"known{i}@w1.example";
            await parties.CreateAsync(new CreateParty(PartyKind.Person, $"Stały Klient {i}", TaxIdKind.None, null,
                new AddressInput($"ul. Stała {i}", "00-001", "Warszawa", "PL"), email, $"+48 5{i:D8}", null, null, null, null, null));
            emails.Add(email);
        }
        var partiesBefore = await sp.GetRequiredService<KontorDbContext>().Parties.CountAsync();
        return new Seed(channel.Id, products, emails, partiesBefore);
    }

    /// <summary>Order i: orders with i % 10 ≥ 7 come from an existing customer (same e-mail), the rest from a new person.</summary>
    private static bool IsRepeat(int i) => i % 10 >= 7;

    // New customers have the names and towns of a real shop's buyers (common Polish first names and surnames, 20 towns), so
    // the duplicate check of a new customer reads the look-alikes a real one would: a few parties sharing a name word and a
    // town. (Until 2026-11-24 every new customer was "Jan Nowak n" in Kraków: all of them look-alikes of each other, the
    // check read a growing share of the customer base and took 11 % of the CPU.)
    private static readonly string[] FirstNames =
    [
        "Anna", "Piotr", "Maria", "Krzysztof", "Katarzyna", "Andrzej", "Małgorzata", "Tomasz", "Agnieszka", "Paweł", "Barbara", "Michał",
        "Ewa", "Marcin", "Magdalena", "Jakub", "Joanna", "Adam", "Aleksandra", "Łukasz", "Monika", "Grzegorz", "Natalia", "Mateusz",
        "Zofia", "Kamil", "Julia", "Dariusz", "Karolina", "Wojciech",
    ];

    private static readonly string[] LastNames =
    [
        "Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowski", "Zielińska", "Szymański", "Woźniak",
        "Dąbrowska", "Kozłowski", "Jankowska", "Mazur", "Kwiatkowski", "Krawczyk", "Kaczmarek", "Piotrowska", "Grabowski", "Zając",
        "Pawłowska", "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Nowakowska", "Majewski", "Olszewska", "Stępień",
        "Malinowski", "Jaworska", "Adamczyk", "Dudek", "Nowicki", "Pawlak", "Górski", "Witkowska", "Walczak", "Sikora",
        "Baran", "Rutkowski", "Michalak", "Szewczyk", "Ostrowska", "Tomaszewski", "Pietrzak", "Marciniak", "Wróblewska", "Zalewski",
    ];

    private static readonly (string City, string PostalCode)[] Cities =
    [
        ("Warszawa", "00-001"), ("Kraków", "30-001"), ("Łódź", "90-001"), ("Wrocław", "50-001"), ("Poznań", "60-001"),
        ("Gdańsk", "80-001"), ("Szczecin", "70-001"), ("Bydgoszcz", "85-001"), ("Lublin", "20-001"), ("Białystok", "15-001"),
        ("Katowice", "40-001"), ("Gdynia", "81-001"), ("Częstochowa", "42-200"), ("Radom", "26-600"), ("Toruń", "87-100"),
        ("Rzeszów", "35-001"), ("Kielce", "25-001"), ("Gliwice", "44-100"), ("Olsztyn", "10-001"), ("Opole", "45-001"),
    ];

    private static (string Body, decimal Quantity) Payload(Seed seed, int i)
    {
        var repeat = IsRepeat(i);
        var email = repeat ? seed.CustomerEmails[(i * 7919) % seed.CustomerEmails.Count] : $"new{i}@w1.example";
        var lineCount = 1 + i % 3;
        var lines = new JsonArray();
        decimal quantity = 0;
        for (var l = 0; l < lineCount; l++)
        {
            var (sku, price) = seed.Products[(i * 31 + l * 17) % seed.Products.Count];
            var qty = 1 + (i + l) % 3;
            quantity += qty;
            lines.Add(new JsonObject
            {
                ["id"] = i * 10 + l, ["name"] = "W1 " + sku, ["quantity"] = qty, ["sku"] = sku,
                ["subtotal"] = (qty * price).ToString("F2", CultureInfo.InvariantCulture), ["total"] = (qty * price).ToString("F2", CultureInfo.InvariantCulture),
                ["total_tax"] = "0.00",
            });
        }
        var modified = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var order = new JsonObject
        {
            ["id"] = 1_000_000 + i, ["number"] = $"W1-{i}", ["status"] = "processing", ["currency"] = "PLN",
            ["date_modified_gmt"] = modified, ["date_paid_gmt"] = modified, ["prices_include_tax"] = false,
            ["billing"] = new JsonObject
            {
                ["first_name"] = repeat ? "Stały" : FirstNames[i % FirstNames.Length], ["last_name"] = repeat ? "Klient" : LastNames[i / FirstNames.Length % LastNames.Length],
                ["company"] = "", ["address_1"] = $"ul. Sklepowa {i % 200 + 1}", ["address_2"] = "",
                ["city"] = repeat ? "Kraków" : Cities[i / 7 % Cities.Length].City, ["postcode"] = repeat ? "30-001" : Cities[i / 7 % Cities.Length].PostalCode, ["country"] = "PL",
                ["email"] = email, ["phone"] = repeat ? null : $"+48 6{i:D8}",
            },
            ["line_items"] = lines,
            ["shipping_lines"] = i % 4 == 0 ? new JsonArray(new JsonObject { ["total"] = "15.00", ["total_tax"] = "0.00" }) : new JsonArray(),
        };
        return (order.ToJsonString(), quantity);
    }

    private sealed class Phase(int count)
    {
        public double[] LatenciesMs { get; } = new double[count];
        public int Count => LatenciesMs.Length;
        public int Ok;
        public int Errors;
        public decimal Quantity;
        public readonly Dictionary<string, int> ErrorSamples = new();
        public TimeSpan Elapsed;
        public TimeSpan Cpu;
        public int Gen0;
        public double PerSecond => Count / Elapsed.TotalSeconds;
        public double Percentile(double p)
        {
            var sorted = LatenciesMs.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }

    private static async Task<Phase> LoadAsync(HttpClient client, string path, Seed seed, W1Options options, int first, int count)
    {
        var phase = new Phase(count);
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            int slot;
            while ((slot = Interlocked.Increment(ref next)) < count)
            {
                var (body, quantity) = Payload(seed, first + slot);
                var bytes = Encoding.UTF8.GetBytes(body);
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add(WebhookSignatures.WooCommerceHeader, Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), bytes)));
                var started = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    using var response = await client.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    failure = response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(text)?["outcome"]?.GetValue<string>() == "Created"
                        ? null : $"{(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    failure = e.GetType().Name + ": " + e.Message;
                }
                phase.LatenciesMs[slot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (phase)
                {
                    if (failure is null) { phase.Ok++; phase.Quantity += quantity; }
                    else
                    {
                        phase.Errors++;
                        var key = failure[..Math.Min(failure.Length, 120)];
                        phase.ErrorSamples[key] = phase.ErrorSamples.GetValueOrDefault(key) + 1;
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        phase.Elapsed = clock.Elapsed;
        phase.Cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        phase.Gen0 = GC.CollectionCount(0) - gcBefore;
        return phase;
    }

    /// <summary>EF Core's own counters (queries, SaveChanges, compiled-query cache hits and misses), read as totals.</summary>
    private sealed class EfMetrics : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener listener = new();
        private readonly Dictionary<string, double> totals = new();

        public EfMetrics()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Microsoft.EntityFrameworkCore") l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((i, v, _, _) => Record(i, v));
            listener.SetMeasurementEventCallback<int>((i, v, _, _) => Record(i, v));
            listener.SetMeasurementEventCallback<double>((i, v, _, _) => Record(i, v));
            listener.Start();
        }

        // Observable counters report their running total at each RecordObservableInstruments.
        private void Record(System.Diagnostics.Metrics.Instrument instrument, double value)
        {
            lock (totals) totals[instrument.Name] = instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal)
                ? value : totals.GetValueOrDefault(instrument.Name) + value;
        }

        public Dictionary<string, double> Snapshot()
        {
            listener.RecordObservableInstruments();
            lock (totals) return new Dictionary<string, double>(totals);
        }

        public void Dispose() => listener.Dispose();
    }

    /// <summary>
    /// The ingestion queue's own metrics (<see cref="ShopIngestionMetrics"/>): batch sizes, the consumer's time per batch and the
    /// queue wait. Σ batch time / orders is the serialised time per order, so 1000 / that is the throughput ceiling of one consumer.
    /// </summary>
    private sealed class IngestionFigures : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener listener = new();
        private readonly List<int> sizes = [];
        private readonly List<double> durations = [];
        private readonly List<double> waits = [];
        private long together;

        public IngestionFigures()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ShopIngestionMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<int>((i, v, _, _) => { if (i.Name == ShopIngestionMetrics.BatchSize) lock (sizes) sizes.Add(v); });
            listener.SetMeasurementEventCallback<long>((i, v, _, _) => { if (i.Name == ShopIngestionMetrics.CreatedTogether) Interlocked.Add(ref together, v); });
            listener.SetMeasurementEventCallback<double>((i, v, _, _) =>
            {
                var list = i.Name == ShopIngestionMetrics.BatchDuration ? durations : i.Name == ShopIngestionMetrics.QueueWait ? waits : null;
                if (list is not null) lock (list) list.Add(v * 1000);
            });
            listener.Start();
        }

        public void Reset()
        {
            lock (sizes) sizes.Clear();
            lock (durations) durations.Clear();
            lock (waits) waits.Clear();
            Interlocked.Exchange(ref together, 0);
        }

        public string Describe(int orders)
        {
            lock (sizes) lock (durations) lock (waits)
            {
                if (sizes.Count == 0) return "  ingestion: no batches (Commerce:Ingestion:Batching is off)";
                var busy = durations.Sum() / orders;
                var ordered = sizes.Order().ToList();
                var w = waits.Order().ToList();
                return string.Create(CultureInfo.InvariantCulture,
                    $"  ingestion: {sizes.Count} batches, {sizes.Average():F1} deliveries per batch (p50 {ordered[ordered.Count / 2]}, max {ordered[^1]}), " +
                    $"{100.0 * Interlocked.Read(ref together) / orders:F0} % created together; consumer busy {busy:F2} ms per order " +
                    $"(ceiling {1000 / busy:F0} orders/s); queue wait p50 {w[w.Count / 2]:F1} ms, p99 {w[(int)(w.Count * 0.99)]:F1} ms");
            }
        }

        public void Dispose() => listener.Dispose();
    }

    private sealed record Check(string Name, bool Ok, string Detail);

    /// <summary>What the database holds afterwards must be exactly what the 2xx answers said was done.</summary>
    private static async Task<List<Check>> VerifyAsync(IServiceProvider services, Seed seed, W1Options options, int posted, int created)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        var checks = new List<Check>();
        void Add(string name, bool ok, string detail) => checks.Add(new(name, ok, detail));

        var orders = await db.Orders.AsNoTracking().Where(o => o.ChannelId == seed.ChannelId)
            .Select(o => new { o.Number, o.ExternalOrderId, o.InvoiceId, o.PartyId }).ToListAsync();
        Add("orders = 2xx Created answers = posted", orders.Count == created && created == posted, $"{orders.Count} orders, {created} Created answers, {posted} posted");
        Add("no duplicate orders", orders.Select(o => o.ExternalOrderId).Distinct().Count() == orders.Count, $"{orders.Select(o => o.ExternalOrderId).Distinct().Count()} distinct external ids");
        Add("order numbers gapless", Gapless(orders.Select(o => o.Number)), "ZAM series 1..n per period");

        var invoiceIds = orders.Where(o => o.InvoiceId is not null).Select(o => o.InvoiceId!.Value).ToHashSet();
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.Status == InvoiceStatus.Issued).Select(i => new { i.Id, i.Number, i.TotalGross }).ToListAsync();
        Add("invoices = orders", invoiceIds.Count == orders.Count && invoices.Count == orders.Count && invoices.All(i => invoiceIds.Contains(i.Id)),
            $"{invoices.Count} issued invoices, {invoiceIds.Count} orders invoiced");
        Add("invoice numbers gapless", invoices.Select(i => i.Number).Distinct().Count() == invoices.Count && Gapless(invoices.Select(i => i.Number)), "FV series distinct, 1..n per period");

        var entries = await db.JournalEntries.CountAsync(e => e.SourceType == "invoice");
        var openItems = await db.OpenItems.AsNoTracking().Where(o => o.SourceType == "invoice").ToListAsync();
        Add("one journal entry and open item per invoice", entries == invoices.Count && openItems.Count == invoices.Count, $"{entries} entries, {openItems.Count} open items");
        var payments = await db.Payments.CountAsync();
        var allocated = await db.PaymentAllocations.SumAsync(a => a.Amount);
        var gross = invoices.Sum(i => i.TotalGross);
        Add("one payment per invoice, fully allocated", payments == invoices.Count && allocated == gross, $"{payments} payments, allocated {allocated:F2} of gross {gross:F2}");
        var asOf = scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today().AddDays(1);
        var balance = await scope.ServiceProvider.GetRequiredService<LedgerQueries>().TrialBalanceAsync(asOf);
        Add("ledger balanced", balance.IsBalanced, string.Join(", ", balance.Totals.Select(t => $"{t.Currency} Dr {t.Debit:F2} Cr {t.Credit:F2}")));

        var newCustomers = Enumerable.Range(0, posted).Count(i => !IsRepeat(i));
        var parties = await db.Parties.CountAsync();
        Add("customers: one new party per new e-mail, repeats matched", parties == seed.PartiesBefore + newCustomers,
            $"{parties} parties = {seed.PartiesBefore} before + {newCustomers} new expected");

        var reserved = await db.StockLevels.SumAsync(s => s.Reserved);
        var expectedQuantity = Enumerable.Range(0, posted).Sum(i => Payload(seed, i).Quantity);
        Add("stock reserved = ordered quantity", reserved == expectedQuantity, $"reserved {reserved:F0}, ordered {expectedQuantity:F0}");

        var held = await db.HeldShopOrders.CountAsync();
        var accepted = await db.IntegrationLog.CountAsync(l => l.Status == IntegrationStatus.Accepted);
        Add("nothing held; one accepted log entry per order", held == 0 && accepted == orders.Count, $"{held} held, {accepted} accepted log entries");
        var outbox = await db.OutboxMessages.GroupBy(m => m.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Add("outbox (informational)", true, outbox.Count == 0 ? "no outbox messages written by this flow" : string.Join(", ", outbox.Select(o => $"{o.Key}: {o.Count}")));
        return checks;
    }

    private static bool Gapless(IEnumerable<string?> numbers)
    {
        var list = numbers.ToList();
        if (list.Any(n => n is null)) return false;
        return list.OfType<string>().Select(n => (Period: n[..n.LastIndexOf('/')], Sequence: long.Parse(n[(n.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture)))
            .GroupBy(n => n.Period)
            .All(g => g.Select(n => n.Sequence).Order().SequenceEqual(Enumerable.Range(1, g.Count()).Select(x => (long)x)));
    }

    private static void Print(W1Options o, Phase? warmup, Phase m, SqlProfile? sql, List<Check> checks, string load)
    {
        var ci = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        if (warmup is { } w)
            s.AppendLine(ci, $"  warm-up  n={w.Count}  {w.PerSecond,6:F0} orders/s  p50 {w.Percentile(50):F1} ms  p99 {w.Percentile(99):F1} ms  errors {w.Errors} (not counted)");
        s.AppendLine(ci, $"{Name(o.Provider),-8}  W1  concurrency={o.Concurrency}  n={m.Count}  {m.PerSecond,6:F0} orders/s  " +
                         $"p50 {m.Percentile(50):F1} ms  p95 {m.Percentile(95):F1} ms  p99 {m.Percentile(99):F1} ms  max {m.LatenciesMs.Max():F1} ms  errors {m.Errors}");
        s.AppendLine(ci, $"  cpu {m.Cpu.TotalMilliseconds / m.Count:F2} ms per order (this process: Kestrel + Kontor + load generator), {m.Gen0} gen0 GCs; " +
                         $"machine load average {load}");
        foreach (var (text, n) in (warmup?.ErrorSamples ?? []).Concat(m.ErrorSamples).Take(10))
            s.AppendLine(ci, $"  ERROR x{n}: {text}");
        if (sql is { } q)
        {
            s.AppendLine(ci, $"  sql per order: {q.CommandsPerInvoice:F2} commands ({q.CommandMsPerInvoice:F3} ms), {q.OpensPerInvoice:F2} connection opens ({q.OpenMsPerInvoice:F3} ms), " +
                             $"{q.TransactionsPerInvoice:F2} transactions (commit {q.CommitMsPerInvoice:F3} ms)");
            foreach (var (text, per, ms) in q.Top.Take(40))
                s.AppendLine(ci, $"    {per,5:F2}x {ms,7:F3} ms  {text}");
        }
        foreach (var c in checks)
            s.AppendLine(ci, $"  check {(c.Ok ? "ok    " : "FAILED")} {c.Name}: {c.Detail}");
        s.AppendLine(checks.All(c => c.Ok) && m.Errors == 0 && (warmup?.Errors ?? 0) == 0 ? "  => OK" : "  => FAILED");
        Console.WriteLine(s.ToString().TrimEnd());
    }
}
