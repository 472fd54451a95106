using System.Net;
using System.Text.Json.Nodes;
using Kontor.Commerce;
using Kontor.Outbox;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// The integration log as support asks it "did the shop's order #627949 reach us, and what happened to it?": search by the
/// shop's id ('#' or not, any part), UTC day range, pages by id without repeats or gaps, bad input 400, an order's shop messages.
/// Each test scopes its rows by a channel or a token of its own: the class shares one database.
/// </summary>
public abstract class IntegrationLogTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-ilog-0123456789abcdef";

    private static async Task<List<JsonNode>> LogAsync(HttpClient client, string query) =>
        [.. (await client.GetOkAsync($"/api/integrations/log?{query}")).AsArray().Select(n => n!)];

    [Fact]
    public async Task Search_finds_the_deliveries_of_a_shop_order_by_its_id_with_or_without_hash_or_by_a_part_and_names_the_order()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var id = UniqueId();
        var body = WooOrder(id, kubek, czajnik, $"ilog{id}@example.com").ToJsonString();
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", body, Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", body, Secret);   // the shop's resend: a duplicate
        var other = UniqueId();
        await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(other, kubek, czajnik, $"ilog{other}@example.com").ToJsonString(), Secret);
        var orderId = answer.Str("orderId");

        foreach (var search in new[] { id, "#" + id, $" #{id} ", id[1..^1] })
        {
            var found = await LogAsync(admin, $"channelId={channelId}&search={Uri.EscapeDataString(search)}");
            Assert.Equal(["Duplicate", "Accepted"], found.Select(e => e.Str("status")));   // newest first
            Assert.All(found, e => Assert.Equal((id, orderId), (e.Str("externalId"), e.Str("orderId"))));
        }
        // Without the channel: every entry found carries the id (the other order of the channel is not among them).
        var anywhere = await LogAsync(admin, $"search={Uri.EscapeDataString("#" + id)}");
        Assert.True(anywhere.Count >= 2);
        Assert.All(anywhere, e => Assert.Contains(id, e.Str("externalId")));
        Assert.DoesNotContain(anywhere, e => e.Str("externalId") == other);
        Assert.Empty(await LogAsync(admin, $"channelId={channelId}&search=%23no-such-order"));
        // Only the criteria narrow: the channel alone lists both orders.
        Assert.Equal([id, other], (await LogAsync(admin, $"channelId={channelId}")).Select(e => e.Str("externalId")).ToHashSet());
    }

    [Fact]
    public async Task From_and_to_bound_the_entries_by_the_company_s_calendar_days_both_inclusive()
    {
        // The test host's company is in Europe/Warsaw (UTC+1 in March): a day there begins at 23:00 UTC the day before.
        var token = Token();
        var at = new[]
        {
            new DateTimeOffset(2026, 3, 1, 22, 59, 59, TimeSpan.Zero),                 // 23:59:59 on the 1st in Warsaw
            new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero),                   // midnight starting the 2nd
            new DateTimeOffset(2026, 3, 4, 0, 30, 0, TimeSpan.FromHours(1)),           // 00:30 on the 4th, still the 3rd in UTC
            new DateTimeOffset(2026, 3, 4, 22, 59, 0, TimeSpan.Zero),                  // 23:59 on the 4th
            new DateTimeOffset(2026, 3, 4, 23, 0, 0, TimeSpan.Zero),                   // the 5th already
        };
        var ids = await WriteAsync(at.Select((a, i) => Entry($"{token}-{i}", a)).ToArray());
        var admin = await app.ClientAsync(Roles.Manager);

        async Task<HashSet<Guid>> Found(string range) =>
            [.. (await LogAsync(admin, $"search={token}&{range}")).Select(e => e.Id())];

        Assert.Equal([ids[1]], await Found("from=2026-03-02&to=2026-03-03"));
        Assert.Equal([ids[1], ids[2], ids[3], ids[4]], await Found("from=2026-03-02"));
        Assert.Equal([ids[0]], await Found("to=2026-03-01"));
        Assert.Equal([ids[2], ids[3]], await Found("from=2026-03-04&to=2026-03-04"));
        Assert.Equal([ids[4]], await Found("from=2026-03-05"));
        Assert.Equal([.. ids], await Found("from=0001-01-01&to=9999-12-31"));   // the calendar's ends bound nothing
        Assert.Equal([.. ids], await Found("from=0001-01-02&to=9999-12-30"));   // nor do the days next to them (no overflow)
    }

    [Fact]
    public async Task Pages_follow_each_other_by_the_last_id_without_repeats_or_gaps_even_when_entries_arrive_meanwhile()
    {
        var token = Token();
        var at = new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);   // one instant for all: the id alone orders them
        var written = await WriteAsync([.. Enumerable.Range(0, 7).Select(i => Entry($"{token}-{i}", at))]);
        var admin = await app.ClientAsync(Roles.Admin);

        var paged = new List<Guid>();
        var page = await LogAsync(admin, $"search={token}&take=3");
        paged.AddRange(page.Select(e => e.Id()));
        var newer = await WriteAsync(Entry($"{token}-new", at));   // arrives between the pages
        while (page.Count == 3)
        {
            page = await LogAsync(admin, $"search={token}&take=3&before={paged[^1]}");
            paged.AddRange(page.Select(e => e.Id()));
        }

        Assert.Equal(7, paged.Distinct().Count());
        Assert.Equal([.. written.OrderDescending()], paged);   // newest first: by the version-7 id
        var whole = (await LogAsync(admin, $"search={token}")).Select(e => e.Id()).ToList();
        Assert.Equal([newer[0], .. paged], whole);
        Assert.Empty(await LogAsync(admin, $"search={token}&before={paged[^1]}"));
    }

    [Theory]
    [InlineData("from=2026-03-10&to=2026-03-01", "from")]
    [InlineData("take=0", "take")]
    [InlineData("take=1001", "take")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    [InlineData("before=last", "before")]
    [InlineData("orderId=ZAM-1", "orderId")]
    [InlineData("direction=Sideways", "direction")]
    [InlineData("status=Lost", "status")]
    [InlineData("channelId=shop", "channelId")]
    public async Task Bad_log_input_is_400_naming_the_field(string query, string field)
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Get, $"/api/integrations/log?{query}");
        Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status} {problem?.ToJsonString()}");
        Assert.NotNull(problem?["errors"]?[field]);
    }

    [Fact]
    public async Task A_search_longer_than_100_characters_is_400_naming_search_and_the_log_is_for_integrators_only()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var (status, problem, _) = await admin.SendAsync(HttpMethod.Get, $"/api/integrations/log?search=%23{new string('1', 100)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem?["errors"]?["search"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(Roles.Sales)).SendAsync(HttpMethod.Get, "/api/integrations/log")).Status);
    }

    [Fact]
    public async Task An_orders_shop_messages_are_its_held_delivery_its_acceptance_the_resend_and_the_status_sent_back_and_nothing_of_other_orders()
    {
        await using var shop = await FakeShop.StartAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, "Net", "Never", shop.BaseAddress);
        var (kubek, _) = await SampleProductsAsync(admin);
        var missing = Sku();
        var id = UniqueId();
        var body = WooOrder(id, kubek, missing, $"held{id}@example.com").ToJsonString();

        Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", body, Secret)).Status);
        var held = (await admin.GetOkAsync("/api/integrations/held?status=Open")).AsArray().Single(h => h.Str("externalOrderId") == id)!;
        await CreateProductAsync(admin, missing);
        var orderId = (await admin.PostOkAsync($"/api/integrations/held/{held.Id()}/retry")).Str("orderId");
        await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", body, Secret);   // resent by the shop: a duplicate
        var other = UniqueId();
        var (otherStatus, otherAnswer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", WooOrder(other, kubek, missing, $"o{other}@example.com").ToJsonString(), Secret);
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        await admin.PostOkAsync($"/api/orders/{orderId}/status", new { status = "InProgress" });
        await admin.PostOkAsync($"/api/orders/{otherAnswer.Str("orderId")}/status", new { status = "InProgress" });
        await app.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();

        var messages = await LogAsync(admin, $"orderId={orderId}");

        Assert.Equal([("Out", "Sent"), ("In", "Duplicate"), ("In", "Accepted"), ("In", "Held")], messages.Select(m => (m.Str("direction"), m.Str("status"))));
        Assert.All(messages, m => Assert.Equal((channelId.ToString(), id), (m.Str("channelId"), m.Str("externalId"))));
        Assert.Equal(OutboxMessageTypes.OrderStatus, messages[0].Str("kind"));
        Assert.Null(messages[^1]["orderId"]);   // held before the order existed
        Assert.Equal(orderId, messages[1].Str("orderId"));
        // The status sent back is found by the shop's id too; a manual order has no shop messages.
        Assert.Contains(await LogAsync(admin, $"channelId={channelId}&direction=Out&search=%23{id}"), e => e.Str("kind") == OutboxMessageTypes.OrderStatus);
        var party = (await admin.CreatePartyAsync("Bez sklepu " + Token())).Id();
        var manual = await admin.PostCreatedAsync("/api/orders", new
        {
            partyId = party, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Konsultacje", quantity = "1", unitPrice = "100.00", vatRateCode = "23" } },
        });
        Assert.Empty(await LogAsync(admin, $"orderId={manual.Str("id")}"));
    }

    [Fact]
    public async Task The_API_description_names_the_log_criteria()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var document = await admin.GetOkAsync("/openapi/v1.json");
        var parameters = document["paths"]!["/api/integrations/log"]!["get"]!["parameters"]!.AsArray()
            .ToDictionary(p => p.Str("name"), p => p?["description"]?.GetValue<string>());
        foreach (var name in new[] { "search", "channelId", "direction", "status", "from", "to", "orderId", "before", "take" })
            Assert.False(string.IsNullOrWhiteSpace(parameters.GetValueOrDefault(name)), $"{name} has no description");
        Assert.Contains("#", parameters["search"]);
    }

    private static string Token() => "t" + Guid.NewGuid().ToString("N")[..10];

    private static IntegrationLogEntry Entry(string externalId, DateTimeOffset at) => new()
    {
        Direction = IntegrationDirection.In, Kind = IntegrationLogKinds.OrderWebhook, Status = IntegrationStatus.Accepted,
        ExternalId = externalId, Payload = "{}", Response = "test", At = at.ToUniversalTime(),   // instants are kept in UTC
    };

    /// <summary>Entries written in the order given (their version-7 ids grow); returns the ids.</summary>
    private Task<List<Guid>> WriteAsync(params IntegrationLogEntry[] entries) =>
        app.QueryAsync(async db =>
        {
            db.IntegrationLog.AddRange(entries);
            await db.SaveChangesAsync();
            return entries.Select(e => e.Id).ToList();
        });
}

public sealed class SqliteIntegrationLogTests(SqliteApp app) : IntegrationLogTests<SqliteApp>(app);

public sealed class PostgresIntegrationLogTests(PostgresApp app) : IntegrationLogTests<PostgresApp>(app);
