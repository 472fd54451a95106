using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Kontor.Commerce;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// The bounded ingestion queue (docs/commerce.md "Bounded queue", decision 50): with the consumer held up by the database,
/// deliveries beyond <c>Commerce:Ingestion:MaxQueued</c> are refused with 503 + Retry-After as problem details and nothing
/// of them is stored; the queued ones go through once the database lets go, and the refused ones when the shop resends
/// them — each order exactly once, the books balanced. WooCommerce, which never resends, is not refused for a full queue.
/// Shutdown refuses the same way instead of a 500.
/// </summary>
public abstract class ShopIngestionBackpressureTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-busy-0123456789abcdef";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(25);

    /// <summary>A channel of <paramref name="type"/> ("generic" — a sender that resends refused deliveries — or "woocommerce", which does not).</summary>
    private sealed record Shop(KontorApp Host, string Type, HttpClient Admin, HttpClient Anonymous, Guid ChannelId, string Kubek, string Czajnik)
    {
        public string Order(string id, string email) =>
            (Type == "woocommerce" ? WooOrder(id, Kubek, Czajnik, email) : GenericOrder(id, Kubek, Czajnik, email)).ToJsonString();
    }

    private static async Task<Shop> OpenShopAsync(KontorApp host, string type = "generic")
    {
        await host.InitializeAsync();
        host.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await host.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, type == "woocommerce" ? "WooCommerce" : "Generic", Secret);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        return new Shop(host, type, admin, host.AnonymousClient(), channelId, kubek, czajnik);
    }

    private static async Task<HttpResponseMessage> SendAsync(Shop shop, string body)
    {
        using var request = WebhookRequest(shop.ChannelId, shop.Type, body, Secret, shop.Host.Clock.GetUtcNow());
        return await shop.Anonymous.SendAsync(request);
    }

    /// <summary>
    /// Holds the database's write lock from a connection of its own, as another writer would: on SQLite an IMMEDIATE
    /// transaction (the consumer's BEGIN waits on busy_timeout), on PostgreSQL an EXCLUSIVE lock on the numbering counters
    /// (the consumer's order number waits). Reads go on. Disposing lets go.
    /// </summary>
    private static async Task<IAsyncDisposable> HoldTheWriterAsync(KontorApp host)
    {
        DbConnection connection = host.Provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(host.ConnectionString)
            : new Npgsql.NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        if (host.Provider == DatabaseProvider.Postgres)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """LOCK TABLE "NumberingCounters" IN EXCLUSIVE MODE""";
            await command.ExecuteNonQueryAsync();
        }
        return new Held(connection, transaction);
    }

    private sealed class Held(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition(), what);
    }

    private static async Task<JsonNode> OkAsync(Task<HttpResponseMessage> delivery)
    {
        using var response = await delivery.WaitAsync(Patience);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task AssertBusyAsync(Task<HttpResponseMessage> delivery, string title, int retryAfter)
    {
        using var response = await delivery.WaitAsync(Patience);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {text}");
        Assert.Equal(retryAfter.ToString(), Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(503, problem["status"]!.GetValue<int>());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.4", problem.Str("type"));
        Assert.Equal(title, problem.Str("title"));
        Assert.Contains("nothing of it was stored", problem.Str("detail"));
        Assert.Contains($"Send it again in {retryAfter} s", problem.Str("detail"));
        Assert.Equal(retryAfter, problem["retryAfterSeconds"]!.GetValue<int>());
        // The delivery is fine: no field is named.
        Assert.Null(problem["errors"]);
    }

    /// <summary>What is stored of each external order id: orders, holds, integration log entries.</summary>
    private static Task<List<(int Orders, int Holds, int LogEntries)>> StoredAsync(Shop shop, IEnumerable<string> externalIds) =>
        shop.Host.QueryAsync(async db =>
        {
            var stored = new List<(int, int, int)>();
            foreach (var id in externalIds)
                stored.Add((await db.Orders.CountAsync(o => o.ChannelId == shop.ChannelId && o.ExternalOrderId == id),
                    await db.HeldShopOrders.CountAsync(h => h.ChannelId == shop.ChannelId && h.ExternalOrderId == id),
                    await db.IntegrationLog.CountAsync(e => e.ChannelId == shop.ChannelId && e.ExternalId == id)));
            return stored;
        });

    [Fact]
    public async Task Deliveries_beyond_the_queue_bound_get_503_with_Retry_After_and_nothing_stored_then_go_through_when_resent()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?>
        {
            ["Commerce:Ingestion:MaxQueued"] = "2",
            ["Commerce:Ingestion:RetryAfterSeconds"] = "7",
        });
        var shop = await OpenShopAsync(host);
        var run = UniqueId();
        // Five paid orders of five new customers: A is taken by the consumer, B and C fill the queue, D and E are refused.
        var ids = Enumerable.Range(0, 5).Select(_ => UniqueId()).ToList();
        var bodies = ids.Select((id, i) => shop.Order(id, $"busy{i}-{run}@example.com")).ToList();
        using var figures = new IngestionMetricsOf(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        Task<HttpResponseMessage> a, b, c;
        await using (await HoldTheWriterAsync(host))
        {
            a = SendAsync(shop, bodies[0]);
            // A's batch is taken (its wait recorded) and stuck on the database: it no longer counts against the bound.
            await WaitUntilAsync(() => figures.WaitCount() == 1, "the consumer took the first delivery");
            b = SendAsync(shop, bodies[1]);
            c = SendAsync(shop, bodies[2]);
            await WaitUntilAsync(() => figures.QueueLength() == 2, "two deliveries wait in the queue");

            var d = SendAsync(shop, bodies[3]);
            var e = SendAsync(shop, bodies[4]);

            await AssertBusyAsync(d, "Kontor is busy", retryAfter: 7);
            await AssertBusyAsync(e, "Kontor is busy", retryAfter: 7);
            Assert.False(a.IsCompleted || b.IsCompleted || c.IsCompleted, "the queued deliveries wait for the database");
            Assert.Equal(2, figures.QueueLength());
            Assert.Equal(new Dictionary<string, long> { ["busy"] = 2 }, figures.Deliveries("generic"));
            // Nothing of the refused ones: no order, no hold, not even a log entry (the queued ones are not committed either).
            Assert.Equal([(0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0)], await StoredAsync(shop, ids));
        }

        // The database lets go: the three taken deliveries are created.
        var taken = new[] { await OkAsync(a), await OkAsync(b), await OkAsync(c) };
        Assert.All(taken, t => Assert.Equal("Created", t.Str("outcome")));
        Assert.Equal([(1, 0, 1), (1, 0, 1), (1, 0, 1), (0, 0, 0), (0, 0, 0)], await StoredAsync(shop, ids));

        // The shop resends the refused ones: created now, once; a further resend of one of them is a duplicate.
        Assert.Equal("Created", (await OkAsync(SendAsync(shop, bodies[3]))).Str("outcome"));
        Assert.Equal("Created", (await OkAsync(SendAsync(shop, bodies[4]))).Str("outcome"));
        Assert.Equal("Duplicate", (await OkAsync(SendAsync(shop, bodies[3]))).Str("outcome"));
        Assert.Equal([(1, 0, 1), (1, 0, 1), (1, 0, 1), (1, 0, 2), (1, 0, 1)], await StoredAsync(shop, ids));
        Assert.Equal(new Dictionary<string, long> { ["busy"] = 2, ["created"] = 5, ["duplicate"] = 1 }, figures.Deliveries("generic"));

        // Each sample order: 2 × 45.00 + 100.00 + 15.00 shipping = 205.00 net, VAT 23 % = 47.15, gross 252.15, paid through
        // the gateway (145). Five orders: 201 Dr = Cr = 1,260.75; 700 Cr 1,025.00; 221 Cr 235.75; 145 Dr 1,260.75.
        var invoices = await host.QueryAsync(db => db.Orders.Where(o => o.ChannelId == shop.ChannelId && o.InvoiceId != null).CountAsync());
        Assert.Equal(5, invoices);
        var tb = await shop.Admin.GetOkAsync("/api/ledger/trial-balance");
        Assert.True(tb["balanced"]!.GetValue<bool>(), "The trial balance does not balance: " + tb.ToJsonString());
        var rows = tb.Arr("bookRows").Select(r => (Code: r.Str("accountCode"), Debit: r.Amount("debit"), Credit: r.Amount("credit"))).ToList();
        (decimal Debit, decimal Credit) Turnover(string account) =>
            (rows.Where(r => r.Code.StartsWith(account, StringComparison.Ordinal)).Sum(r => r.Debit),
             rows.Where(r => r.Code.StartsWith(account, StringComparison.Ordinal)).Sum(r => r.Credit));
        Assert.Equal((1260.75m, 1260.75m), Turnover("201"));
        Assert.Equal((0m, 1025.00m), Turnover("700"));
        Assert.Equal((0m, 235.75m), Turnover("221"));
        Assert.Equal((1260.75m, 0m), Turnover("145"));
    }

    [Fact]
    public async Task A_delivery_arriving_while_Kontor_shuts_down_gets_503_with_Retry_After_not_a_500()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?>());
        var shop = await OpenShopAsync(host);
        var id = UniqueId();
        using var figures = new IngestionMetricsOf(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        // What the host does last when it stops: the queue takes nothing more (deliveries already queued are still written).
        await host.Services.GetRequiredService<ShopOrderQueue>().DisposeAsync();

        await AssertBusyAsync(SendAsync(shop, shop.Order(id, $"down-{UniqueId()}@example.com")), "Kontor is shutting down", retryAfter: 5);

        Assert.Equal([(0, 0, 0)], await StoredAsync(shop, [id]));
        Assert.Equal(new Dictionary<string, long> { ["busy"] = 1 }, figures.Deliveries("generic"));
    }

    [Fact]
    public async Task When_the_host_stops_the_queued_deliveries_are_still_written_and_a_new_one_is_refused_as_shutting_down()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?>());
        var shop = await OpenShopAsync(host);
        var run = UniqueId();
        var ids = Enumerable.Range(0, 3).Select(_ => UniqueId()).ToList();
        using var figures = new IngestionMetricsOf(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var lifetime = host.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource();
        lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());

        await using (await HoldTheWriterAsync(host))
        {
            _ = SendAsync(shop, shop.Order(ids[0], $"stop0-{run}@example.com"));
            await WaitUntilAsync(() => figures.WaitCount() == 1, "the consumer took the first delivery");
            _ = SendAsync(shop, shop.Order(ids[1], $"stop1-{run}@example.com"));
            await WaitUntilAsync(() => figures.QueueLength() == 1, "the second delivery waits in the queue");

            // What SIGTERM does: the queue closes at once, and the stop waits for what it holds.
            lifetime.StopApplication();
            await AssertBusyAsync(SendAsync(shop, shop.Order(ids[2], $"stop2-{run}@example.com")), "Kontor is shutting down", retryAfter: 5);
            Assert.False(stopped.Task.IsCompleted, "the stop waits for the queued deliveries");
        }

        // The database lets go: the stop completes after both queued deliveries were written. (Their HTTP answers are not
        // checked: the test server, unlike Kestrel, does not hold the host's disposal for requests still being answered.)
        await stopped.Task.WaitAsync(Patience);
        await using var after = host.OpenOnSameDatabase();
        await after.InitializeAsync();
        Assert.Equal([(1, 0, 1), (1, 0, 1), (0, 0, 0)], await StoredAsync(shop with { Host = after }, ids));
    }

    [Fact]
    public async Task A_signature_or_body_problem_is_still_401_or_400_when_the_queue_would_refuse()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?>());
        var shop = await OpenShopAsync(host);
        await host.Services.GetRequiredService<ShopOrderQueue>().DisposeAsync();
        var body = shop.Order(UniqueId(), $"bad-{UniqueId()}@example.com");
        var now = host.Clock.GetUtcNow();

        var forged = await DeliverAsync(shop.Anonymous, shop.ChannelId, shop.Type, body, "not-the-secret", now);
        var malformed = await DeliverAsync(shop.Anonymous, shop.ChannelId, shop.Type, "{\"id\": ", Secret, now);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.NotNull(malformed.Body!["errors"]!["body"]);
    }

    [Fact]
    public async Task WooCommerce_deliveries_queue_past_the_bound_because_WooCommerce_never_resends_a_refused_one()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?> { ["Commerce:Ingestion:MaxQueued"] = "1" });
        var shop = await OpenShopAsync(host, "woocommerce");
        var run = UniqueId();
        var ids = Enumerable.Range(0, 4).Select(_ => UniqueId()).ToList();
        using var figures = new IngestionMetricsOf(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        var answers = new List<Task<HttpResponseMessage>>();
        await using (await HoldTheWriterAsync(host))
        {
            answers.Add(SendAsync(shop, shop.Order(ids[0], $"woo0-{run}@example.com")));
            await WaitUntilAsync(() => figures.WaitCount() == 1, "the consumer took the first delivery");
            // One waiting delivery fills the bound; two more go past it instead of being refused.
            answers.AddRange(ids.Skip(1).Select((id, i) => SendAsync(shop, shop.Order(id, $"woo{i + 1}-{run}@example.com"))));
            await WaitUntilAsync(() => figures.QueueLength() == 3, "three deliveries wait in the queue");
            Assert.DoesNotContain(answers, a => a.IsCompleted);
        }

        foreach (var answer in answers) Assert.Equal("Created", (await OkAsync(answer)).Str("outcome"));
        Assert.Equal([(1, 0, 1), (1, 0, 1), (1, 0, 1), (1, 0, 1)], await StoredAsync(shop, ids));
        Assert.Equal(new Dictionary<string, long> { ["created"] = 4 }, figures.Deliveries("woocommerce"));
        Assert.Equal(0, figures.QueueLength());
    }

    [Fact]
    public async Task Without_batching_a_delivery_does_not_go_through_the_queue_and_is_never_refused()
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?>
        {
            ["Commerce:Ingestion:Batching"] = "false",
            ["Commerce:Ingestion:MaxQueued"] = "1",
        });
        var shop = await OpenShopAsync(host);
        var run = UniqueId();
        var ids = Enumerable.Range(0, 3).Select(_ => UniqueId()).ToList();
        using var figures = new IngestionMetricsOf(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        // Even a closed queue does not matter: each delivery is its own transaction on the request (the old way).
        await host.Services.GetRequiredService<ShopOrderQueue>().DisposeAsync();

        var answers = new List<Task<HttpResponseMessage>>();
        await using (await HoldTheWriterAsync(host))
        {
            answers.AddRange(ids.Select((id, i) => SendAsync(shop, shop.Order(id, $"direct{i}-{run}@example.com"))));
            await Task.Delay(300);
            Assert.DoesNotContain(answers, a => a.IsCompleted);
        }

        foreach (var answer in answers) Assert.Equal("Created", (await OkAsync(answer)).Str("outcome"));
        Assert.Equal([(1, 0, 1), (1, 0, 1), (1, 0, 1)], await StoredAsync(shop, ids));
        Assert.Equal(new Dictionary<string, long> { ["created"] = 3 }, figures.Deliveries("generic"));
    }

    [Theory]
    [InlineData("Commerce:Ingestion:MaxQueued", "0", "Commerce:Ingestion:MaxQueued must be at least 1")]
    [InlineData("Commerce:Ingestion:MaxQueued", "-5", "Commerce:Ingestion:MaxQueued must be at least 1")]
    [InlineData("Commerce:Ingestion:RetryAfterSeconds", "0", "Commerce:Ingestion:RetryAfterSeconds must be between 1 and 3600")]
    public async Task A_bad_queue_setting_stops_the_host_at_start_naming_the_key(string key, string value, string expected)
    {
        await using var host = app.CreateFresh(new Dictionary<string, string?> { [key] = value });

        var failure = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);

        Assert.Contains(expected, failure.ToString());
    }
}

public sealed class SqliteShopIngestionBackpressureTests(SqliteApp app) : ShopIngestionBackpressureTests<SqliteApp>(app);

public sealed class PostgresShopIngestionBackpressureTests(PostgresApp app) : ShopIngestionBackpressureTests<PostgresApp>(app);
