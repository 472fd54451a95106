using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// Crash safety of shop order ingestion (docs/commerce.md, "Crash safety"): Kontor.Web runs as a real process; a generator with
/// several concurrent workers posts signed WooCommerce orders (paid at once, paid later, cancelled; some delivered twice at once,
/// some delivered again after their answer) while the server is killed with SIGKILL at random moments and started again on the
/// same database. Deliveries that got no answer are retried, as a shop does, until they get one. Then: every order exists once
/// with exactly its invoice and payment, order / invoice / stock document numbers have no gaps, the books balance and 201/700/221
/// add up to the invoices, and the reservations are exactly the open orders' quantities.
/// <para>Knobs: <c>KONTOR_CRASH_ROUNDS</c> (kills, default 5), <c>KONTOR_CRASH_WORKERS</c> (default 4); scripts/crash-test.sh runs a long round.</para>
/// </summary>
public abstract class CrashSafetyTests(ITestOutputHelper output)
{
    private const string Secret = "crash-test-webhook-secret-2026";
    private const string AdminEmail = "admin@kontor.test";
    private const string Password = "crash-test-password-2026";
    private const decimal MugPrice = 45.00m, KettlePrice = 100.00m, Shipping = 15.00m;
    private const decimal Received = 100_000m;

    protected abstract DatabaseProvider Provider { get; }

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    protected abstract KontorDbContext OpenContext(string connectionString);

    private enum Scenario { Paid, PaidLater, Cancelled }

    /// <summary>One shop order and what Kontor must end up with for it; amounts computed here by hand, not by Kontor.</summary>
    private sealed record PlannedOrder(long ExternalId, int Mugs, int Kettles, Scenario Scenario)
    {
        public decimal Net => Mugs * MugPrice + Kettles * KettlePrice + Shipping;
        public decimal Vat => Math.Round(Net * 0.23m, 2, MidpointRounding.AwayFromZero);
        public decimal Gross => Net + Vat;
        public bool EndsPaid => Scenario != Scenario.Cancelled;
        public int Stages => Scenario == Scenario.Paid ? 1 : 2;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    [Fact]
    public async Task Every_order_answered_2xx_survives_repeated_kill_9_exactly_once_with_its_invoice_and_payment_gapless_numbers_and_balanced_books()
    {
        var rounds = Setting("KONTOR_CRASH_ROUNDS", 5);
        var workers = Setting("KONTOR_CRASH_WORKERS", 4);
        KontorServerProcess.LocateWebDll();   // fails with a clear message, before anything is created, when the build output is missing
        var keys = Directory.CreateTempSubdirectory("kontor-crash-keys-").FullName;
        var connectionString = await CreateDatabaseAsync();
        var server = new KontorServerProcess(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = Provider.ToString(),
            ["ConnectionStrings__Kontor"] = connectionString,
            ["Database__SeedDemoData"] = "false",
            ["KONTOR_ADMIN_EMAIL"] = AdminEmail,
            ["KONTOR_ADMIN_PASSWORD"] = Password,
            ["Kontor__KeysDirectory"] = keys,
            ["Outbox__Enabled"] = "true",
            ["Recurring__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        });
        try
        {
            await RunAsync(server, connectionString, rounds, workers);
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw new XunitException($"{e}\n--- server output ---\n{server.Output()}");
        }
        finally
        {
            await server.DisposeAsync();
            if (Provider == DatabaseProvider.Sqlite) Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await DropDatabaseAsync();
            try { Directory.Delete(keys, recursive: true); } catch (IOException) { }
        }
    }

    private async Task RunAsync(KontorServerProcess server, string connectionString, int rounds, int workers)
    {
        var clock = Stopwatch.StartNew();
        await server.StartAsync();
        using var admin = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = (await admin.PostOkAsync("/api/auth/token", new { email = AdminEmail, password = Password })).Str("accessToken");
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var (mugSku, kettleSku) = (Sku(), Sku());
        var mugId = (await CreateProductAsync(admin, mugSku, "45.00")).Id();
        var kettleId = (await CreateProductAsync(admin, kettleSku, "100.00")).Id();
        var receipt = await admin.PostCreatedAsync("/api/stock-documents", new
        {
            kind = "PZ",
            lines = new[] { new { productId = mugId, quantity = Received.ToString(), unitCost = "4.00" }, new { productId = kettleId, quantity = Received.ToString(), unitCost = "30.00" } },
        });
        await admin.PostOkAsync($"/api/stock-documents/{receipt.Id()}/post");
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, "Net", "OnPayment");

        // The shop: workers post orders until told to stop, each delivery retried until it gets an answer.
        var run = new ShopRun(server.BaseAddress, channelId, mugSku, kettleSku);
        var shop = Enumerable.Range(0, workers).Select(w => Task.Run(() => run.WorkerAsync(w))).ToList();

        var (kills, killsDuringStartup) = (0, 0);
        try
        {
            // The crashes: SIGKILL at a random moment 1–3 s after the restarted server answered its first delivery (so each kill
            // lands in warm traffic, not in the first requests' JIT time), a short pause, the same server again on the same
            // database. Every fourth round the server is killed a second time while it is still starting up.
            for (var round = 0; round < rounds; round++)
            {
                await run.WaitForAnswersAsync(TimeSpan.FromSeconds(60));
                await Task.Delay(Random.Shared.Next(1000, 3000));
                if (shop.FirstOrDefault(t => t.IsFaulted) is { } failed) await failed;
                server.KillHard();
                kills++;
                await Task.Delay(Random.Shared.Next(0, 500));
                if (round % 4 == 3)
                {
                    server.Launch();
                    await Task.Delay(Random.Shared.Next(200, 2500));
                    server.KillHard();
                    killsDuringStartup++;
                }
                await server.StartAsync();
            }
            await run.WaitForAnswersAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(1500);
            run.StopNewOrders();
            await Task.WhenAll(shop).WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch
        {
            run.Abort();   // a failed test leaves no workers posting in the background
            throw;
        }

        var planned = run.Orders.Values.OrderBy(o => o.ExternalId).ToList();
        var summary = $"{Provider}: {kills} kills (SIGKILL) in traffic + {killsDuringStartup} during start-up, {server.Starts} starts, {planned.Count} orders " +
                      $"({planned.Count(o => o.Scenario == Scenario.Paid)} paid, {planned.Count(o => o.Scenario == Scenario.PaidLater)} paid later, " +
                      $"{planned.Count(o => o.Scenario == Scenario.Cancelled)} cancelled), {run.Deliveries} deliveries answered, " +
                      $"{run.Unanswered} attempts without an answer (retried; {run.CutOff} cut off by a kill after they were sent), {clock.Elapsed.TotalSeconds:0} s; starts took {string.Join(", ", server.StartTimes.Select(t => t.TotalSeconds.ToString("0.0")))} s";
        output.WriteLine(summary);
        Console.WriteLine("crash-safety: " + summary);

        Assert.True(run.Unexpected.IsEmpty, "Answers a shop must not get (only 200 Created/Duplicate/Updated are right here):\n" + string.Join("\n", run.Unexpected.Take(20)));
        Assert.True(kills == rounds && server.Starts == rounds + killsDuringStartup + 1, $"{kills} kills, {server.Starts} starts for {rounds} rounds");
        // Only a delivery the server had received and lost its answer to counts (a refused connection while it was down does not).
        Assert.True(run.CutOff > 0, "No delivery was ever cut off by a kill: the crashes did not hit the traffic, so the test proved nothing.");
        Assert.True(planned.Count >= workers, $"Only {planned.Count} orders were generated.");

        await VerifyDatabaseAsync(connectionString, channelId, planned, mugId, kettleId);
        await VerifyThroughApiAsync(admin, planned, mugId, kettleId);
    }

    private async Task VerifyDatabaseAsync(string connectionString, Guid channelId, IReadOnlyList<PlannedOrder> planned, Guid mugId, Guid kettleId)
    {
        await using var db = OpenContext(connectionString);
        var orders = await db.Orders.AsNoTracking().Where(o => o.ChannelId == channelId)
            .Select(o => new { o.Id, o.ExternalOrderId, o.Number, o.Status, o.InvoiceId }).ToListAsync();
        var doubled = orders.GroupBy(o => o.ExternalOrderId).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(doubled.Count == 0, "Orders doubled: " + string.Join(", ", doubled));
        var byExternalId = orders.ToDictionary(o => o.ExternalOrderId!);
        var missing = planned.Where(p => !byExternalId.ContainsKey(p.ExternalId.ToString())).Select(p => p.ExternalId).ToList();
        Assert.True(missing.Count == 0, $"Orders answered 2xx but not in the database: {string.Join(", ", missing.Take(20))} ({missing.Count})");
        Assert.Equal(planned.Count, orders.Count);

        var held = await db.HeldShopOrders.AsNoTracking().Select(h => h.ExternalOrderId + ": " + h.Reason).ToListAsync();
        Assert.True(held.Count == 0, "Held orders (none expected: every SKU exists, customers are new persons, no credit limits):\n" + string.Join("\n", held));

        var invoices = await db.Invoices.AsNoTracking().Select(i => new { i.Id, i.Number, i.Status, i.TotalNet, i.TotalVat, i.TotalGross }).ToListAsync();
        var invoiceById = invoices.ToDictionary(i => i.Id);
        var payments = await db.Payments.AsNoTracking().Select(p => new { p.Id, p.Amount }).ToListAsync();
        var allocations = await db.PaymentAllocations.AsNoTracking().Select(a => new { a.PaymentId, a.SourceId, a.Amount }).ToListAsync();
        var postings = await db.JournalEntries.AsNoTracking().GroupBy(e => e.SourceId).Select(g => new { SourceId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.SourceId, g => g.Count);
        var reservations = await db.StockReservations.AsNoTracking().Select(r => new { r.OrderId, r.ProductId, r.Ordered, r.Reserved, r.Released }).ToListAsync();
        var problems = new List<string>();
        foreach (var p in planned)
        {
            var order = byExternalId[p.ExternalId.ToString()];
            var mine = reservations.Where(r => r.OrderId == order.Id).OrderBy(r => r.ProductId == kettleId).ToList();
            var expectedReservations = new[] { (mugId, (decimal)p.Mugs), (kettleId, (decimal)p.Kettles) };
            if (!mine.Select(r => (r.ProductId, r.Ordered)).SequenceEqual(expectedReservations))
                problems.Add($"{p.ExternalId}: reservations {string.Join(", ", mine.Select(r => $"{r.ProductId}×{r.Ordered}"))}");
            if (p.EndsPaid)
            {
                if (mine.Any(r => r.Released || r.Reserved != r.Ordered)) problems.Add($"{p.ExternalId}: an open order's reservation is released or short");
                if (order.Status == OrderStatus.Cancelled || order.InvoiceId is not { } invoiceId || !invoiceById.TryGetValue(invoiceId, out var invoice))
                {
                    problems.Add($"{p.ExternalId} ({p.Scenario}): order {order.Number} {order.Status}, invoice {order.InvoiceId?.ToString() ?? "none"}");
                    continue;
                }
                if (invoice.Status != Kontor.Sales.InvoiceStatus.Issued || (invoice.TotalNet, invoice.TotalVat, invoice.TotalGross) != (p.Net, p.Vat, p.Gross))
                    problems.Add($"{p.ExternalId}: invoice {invoice.Number} {invoice.Status} {invoice.TotalNet}/{invoice.TotalVat}/{invoice.TotalGross}, expected {p.Net}/{p.Vat}/{p.Gross}");
                var paid = allocations.Where(a => a.SourceId == invoice.Id).ToList();
                if (paid.Count != 1 || paid[0].Amount != p.Gross || payments.Single(x => x.Id == paid[0].PaymentId).Amount != p.Gross)
                    problems.Add($"{p.ExternalId}: invoice {invoice.Number} paid by {string.Join(", ", paid.Select(a => a.Amount))}, expected one payment of {p.Gross}");
                if (postings.GetValueOrDefault(invoice.Id) != 1) problems.Add($"{p.ExternalId}: invoice {invoice.Number} posted {postings.GetValueOrDefault(invoice.Id)} times");
            }
            else
            {
                if (order.Status != OrderStatus.Cancelled || order.InvoiceId is not null) problems.Add($"{p.ExternalId}: cancelled in the shop, but {order.Status} with invoice {order.InvoiceId}");
                if (mine.Any(r => !r.Released)) problems.Add($"{p.ExternalId}: a cancelled order keeps its reservation");
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} orders are not what the shop sent:\n" + string.Join("\n", problems.Take(30)));
        var paidCount = planned.Count(p => p.EndsPaid);
        Assert.True(invoices.Count == paidCount, $"{invoices.Count} invoices for {paidCount} paid orders (a rolled-back delivery left an invoice?)");
        Assert.True(payments.Count == paidCount, $"{payments.Count} payments for {paidCount} paid orders");

        AssertGapless("order", orders.Select(o => o.Number));
        AssertGapless("invoice", invoices.Select(i => i.Number));
        AssertGapless("stock document", await db.StockDocuments.AsNoTracking().Where(d => d.Number != null).Select(d => d.Number).ToListAsync());
    }

    /// <summary>Numbers look like ZAM/2026/11/17: within each series period (everything before the last '/') they must be exactly 1..n.</summary>
    private static void AssertGapless(string what, IEnumerable<string?> numbers)
    {
        foreach (var series in numbers.Select(n => n ?? "(no number)").GroupBy(n => n.Contains('/') ? n[..n.LastIndexOf('/')] : n))
        {
            var sequence = series.Select(n => int.TryParse(n[(n.LastIndexOf('/') + 1)..], out var v) ? v : -1).Order().ToList();
            var expected = Enumerable.Range(1, sequence.Count).ToList();
            if (!sequence.SequenceEqual(expected))
            {
                var gaps = expected.Except(sequence).Take(10);
                var repeats = sequence.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key).Take(10);
                Assert.Fail($"{what} numbers of {series.Key} are not 1..{sequence.Count}: missing [{string.Join(", ", gaps)}], repeated [{string.Join(", ", repeats)}], highest {sequence.LastOrDefault()}");
            }
        }
    }

    private static async Task VerifyThroughApiAsync(HttpClient admin, IReadOnlyList<PlannedOrder> planned, Guid mugId, Guid kettleId)
    {
        var open = planned.Where(p => p.EndsPaid).ToList();
        foreach (var (productId, ordered) in new[] { (mugId, open.Sum(p => (decimal)p.Mugs)), (kettleId, open.Sum(p => (decimal)p.Kettles)) })
        {
            var row = (await admin.GetOkAsync($"/api/stock?productId={productId}")).Arr("rows").Single();
            Assert.Equal((Received, ordered, Received - ordered),
                (row!["onHand"]!.GetValue<decimal>(), row["reserved"]!.GetValue<decimal>(), row["available"]!.GetValue<decimal>()));
        }

        var tb = await admin.GetOkAsync("/api/ledger/trial-balance");
        Assert.True(tb["balanced"]!.GetValue<bool>(), "The trial balance does not balance: " + tb.ToJsonString());
        var rows = tb.Arr("bookRows").Select(r => (Code: r.Str("accountCode"), Debit: r.Amount("debit"), Credit: r.Amount("credit"))).ToList();
        (decimal Debit, decimal Credit) Turnover(string account) =>
            (rows.Where(r => r.Code.StartsWith(account, StringComparison.Ordinal)).Sum(r => r.Debit), rows.Where(r => r.Code.StartsWith(account, StringComparison.Ordinal)).Sum(r => r.Credit));
        var (gross, net, vat) = (open.Sum(p => p.Gross), open.Sum(p => p.Net), open.Sum(p => p.Vat));
        Assert.Equal((gross, gross), Turnover("201"));   // every invoice receivable, every one paid
        Assert.Equal((0m, net), Turnover("700"));
        Assert.Equal((0m, vat), Turnover("221"));
        Assert.Equal((gross, 0m), Turnover("145"));       // the gateway payments wait on the clearing account (docs/commerce.md "Gateway clearing")
        Assert.Equal((Received * 4.00m + Received * 30.00m, 0m), Turnover("330"));   // the PZ only: nothing was issued
    }

    /// <summary>The shop side: workers, planned orders and every answer Kontor gave.</summary>
    private sealed class ShopRun(Uri server, Guid channelId, string mugSku, string kettleSku)
    {
        // A shop retries for hours; on a machine loaded enough that a start takes a minute, a delivery may wait through several kills.
        private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(15);
        private readonly long firstId = Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000;
        private long nextId;
        private int deliveries, unanswered, cutOff;
        private volatile bool stopping, aborted;

        public ConcurrentDictionary<long, PlannedOrder> Orders { get; } = new();
        public ConcurrentQueue<string> Unexpected { get; } = new();
        public int Deliveries => deliveries;
        public int Unanswered => unanswered;
        /// <summary>Deliveries that reached the server and lost their answer to a kill (not a refused connection while it was down).</summary>
        public int CutOff => cutOff;

        public void StopNewOrders() => stopping = true;

        public void Abort() => (aborted, stopping) = (true, true);

        /// <summary>Waits until Kontor answers a delivery after this call (the server is up and warm).</summary>
        public async Task WaitForAnswersAsync(TimeSpan limit)
        {
            var before = deliveries;
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref deliveries) == before)
            {
                if (waited.Elapsed > limit) throw new XunitException($"No delivery was answered within {limit.TotalSeconds:0} s of the server being up.");
                await Task.Delay(50);
            }
        }

        public async Task WorkerAsync(int worker)
        {
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
            {
                BaseAddress = server, Timeout = TimeSpan.FromSeconds(30),
            };
            var random = new Random(worker * 7919 + Environment.TickCount);
            while (!stopping)
            {
                var roll = random.Next(100);
                var order = new PlannedOrder(firstId + Interlocked.Increment(ref nextId), random.Next(1, 6), random.Next(1, 4),
                    roll < 60 ? Scenario.Paid : roll < 85 ? Scenario.PaidLater : Scenario.Cancelled);
                Orders[order.ExternalId] = order;
                for (var stage = 0; stage < order.Stages; stage++)
                {
                    var body = Payload(order, stage);
                    // Shops deliver concurrently now and then (two webhooks for one order), and again after an answer they lost.
                    if (random.Next(10) == 0) await Task.WhenAll(DeliverAsync(http, order, stage, body), DeliverAsync(http, order, stage, body));
                    else await DeliverAsync(http, order, stage, body);
                    if (random.Next(10) == 0) await DeliverAsync(http, order, stage, body, again: true);
                }
            }
        }

        private string Payload(PlannedOrder order, int stage)
        {
            var paid = order.Scenario == Scenario.Paid || (order.Scenario == Scenario.PaidLater && stage == 1);
            var status = order.Scenario == Scenario.Cancelled && stage == 1 ? "cancelled" : paid ? "processing" : "pending";
            var modified = new DateTime(2026, 3, 20, 10, 0, 0).AddMinutes(stage).ToString("yyyy-MM-ddTHH:mm:ss");
            return new JsonObject
            {
                ["id"] = order.ExternalId, ["number"] = order.ExternalId.ToString(), ["status"] = status, ["currency"] = "PLN",
                ["date_modified_gmt"] = modified, ["date_paid_gmt"] = paid ? modified : null,
                ["billing"] = new JsonObject
                {
                    ["first_name"] = "Klient", ["last_name"] = "Nr " + order.ExternalId, ["email"] = $"c{order.ExternalId}@crash.example.com",
                    ["city"] = "Łódź", ["postcode"] = "90-001", ["country"] = "PL",
                },
                ["line_items"] = new JsonArray(
                    new JsonObject { ["sku"] = mugSku, ["name"] = "Kubek", ["quantity"] = order.Mugs, ["total"] = (order.Mugs * MugPrice).ToString("0.00"), ["total_tax"] = "0.00" },
                    new JsonObject { ["sku"] = kettleSku, ["name"] = "Czajnik", ["quantity"] = order.Kettles, ["total"] = (order.Kettles * KettlePrice).ToString("0.00"), ["total_tax"] = "0.00" }),
                ["shipping_lines"] = new JsonArray(new JsonObject { ["total"] = Shipping.ToString("0.00"), ["total_tax"] = "0.00" }),
            }.ToJsonString();
        }

        /// <summary>Posts until Kontor answers (a refused connection, a reset, a timeout: the server is down — try again shortly).</summary>
        private async Task DeliverAsync(HttpClient http, PlannedOrder order, int stage, string body, bool again = false)
        {
            var started = Stopwatch.StartNew();
            while (true)
            {
                if (aborted) return;
                if (started.Elapsed > GiveUpAfter)
                {
                    Unexpected.Enqueue($"{order.ExternalId} stage {stage}: no answer for {GiveUpAfter.TotalMinutes} min");
                    return;
                }
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/{channelId}/woocommerce") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("X-WC-Webhook-Signature", Base64Hmac(Secret, body));
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    Interlocked.Increment(ref deliveries);
                    var outcome = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(text)?["outcome"]?.GetValue<string>() : null;
                    string[] expected = again ? ["Duplicate"] : stage == 0 ? ["Created", "Duplicate"] : ["Updated", "Duplicate"];
                    if (outcome is null || !expected.Contains(outcome))
                        Unexpected.Enqueue($"{order.ExternalId} ({order.Scenario}) stage {stage}{(again ? " again" : "")}: {(int)response.StatusCode} {text}");
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref unanswered);
                    if (e is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }) Interlocked.Increment(ref cutOff);
                    await Task.Delay(Random.Shared.Next(100, 400));
                }
            }
        }
    }
}

public sealed class SqliteCrashSafetyTests(ITestOutputHelper output) : CrashSafetyTests(output)
{
    private string? directory;

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync()
    {
        directory = Directory.CreateTempSubdirectory("kontor-crash-").FullName;
        return Task.FromResult($"Data Source={Path.Combine(directory, "kontor.db")}");
    }

    protected override Task DropDatabaseAsync()
    {
        try { if (directory is not null) Directory.Delete(directory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    protected override KontorDbContext OpenContext(string connectionString) =>
        new SqliteKontorDbContext(new DbContextOptionsBuilder<SqliteKontorDbContext>().UseSqlite(connectionString).Options);

    [Theory]
    [InlineData(null, 2)]        // the default: FULL — a commit is on disk before it returns, so it survives a power cut as well as kill -9
    [InlineData("Normal", 1)]
    public async Task Sqlite_connections_run_in_WAL_mode_with_the_configured_synchronous_level(string? configured, long expected)
    {
        var connectionString = await CreateDatabaseAsync();
        try
        {
            var settings = new Dictionary<string, string?> { ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Kontor"] = connectionString, ["Database:SqliteSynchronous"] = configured };
            var services = new ServiceCollection();
            services.AddKontor(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            await db.Database.OpenConnectionAsync();   // through EF, as the application opens its connections (interceptors run)
            var connection = db.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            var synchronous = (long)(await command.ExecuteScalarAsync())!;
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal((expected, "wal"), (synchronous, (string)(await command.ExecuteScalarAsync())!));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await DropDatabaseAsync();
        }
    }
}

public sealed class PostgresCrashSafetyTests(ITestOutputHelper output) : CrashSafetyTests(output)
{
    private string? server, databaseName;

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<string> CreateDatabaseAsync()
    {
        server = Environment.GetEnvironmentVariable(PostgresApp.ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{PostgresApp.ServerVariable} is not set: run ./test.sh");
        databaseName = "kontor_crash_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = databaseName }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (server is null || databaseName is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override KontorDbContext OpenContext(string connectionString) =>
        new PostgresKontorDbContext(new DbContextOptionsBuilder<PostgresKontorDbContext>().UseNpgsql(connectionString).Options);
}
