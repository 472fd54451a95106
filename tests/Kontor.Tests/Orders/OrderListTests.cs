using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Orders;

/// <summary>
/// The order list as support uses it: search by number, the shop's order id, the customer's name (any case, Polish and
/// Russian letters), e-mail or tax id; status, channel (or manual) and date filters; pages without repeats or gaps; bad input 400.
/// Every test scopes its rows by a token of its own in the customers' names: the class shares one database.
/// </summary>
public abstract class OrderListTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-olist-0123456789abcdef";

    [Fact]
    public async Task Search_finds_a_shop_order_by_its_shop_id_and_customers_by_name_in_any_case_e_mail_tax_id_and_the_order_number()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var token = Token();
        var (channelId, shopOrderId, externalId, email) = await ShopOrderAsync(admin, "Łukasz", $"Żółć {token}");
        var russian = await admin.CreatePartyAsync($"Иван Петров {token}");
        var manual = await CreateOrderAsync(admin, russian.Id());
        var sales = await app.ClientAsync(Roles.Sales);

        async Task<List<string>> Found(string search) =>
            (await sales.GetOkAsync($"/api/orders?take=500&search={Uri.EscapeDataString(search)}")).AsArray().Select(o => o.Str("id")).ToList();

        foreach (var byShopId in new[] { externalId, "#" + externalId })
            Assert.Equal([shopOrderId.ToString()], await Found(byShopId));
        foreach (var byName in new[] { "żółć " + token, "ŻÓŁĆ " + token, "łukasz żółć " + token })
            Assert.Equal([shopOrderId.ToString()], await Found(byName));
        foreach (var byName in new[] { "иван петров " + token, "ИВАН ПЕТРОВ " + token })
            Assert.Equal([manual.Str("id")], await Found(byName));
        Assert.Equal([shopOrderId.ToString()], await Found(email.ToUpperInvariant()));
        Assert.Equal([manual.Str("id")], await Found(russian.Str("taxId")));
        Assert.Contains(manual.Str("id"), await Found(manual.Str("number").ToLowerInvariant()));
        Assert.Empty(await Found("nikt-taki-" + token));
        // The customer list searches the same way (lower() folds Polish capitals on SQLite too).
        Assert.Equal($"Łukasz Żółć {token}", Assert.Single((await sales.GetOkAsync($"/api/parties?search={Uri.EscapeDataString("ŻÓŁĆ " + token)}")).AsArray())!.Str("name"));

        var rows = (await sales.GetOkAsync($"/api/orders?search={token}")).AsArray();
        var shopRow = rows.Single(r => r.Str("id") == shopOrderId.ToString())!;
        Assert.Equal((channelId.ToString(), externalId), (shopRow.Str("channelId"), shopRow.Str("externalOrderId")));
        Assert.StartsWith("WooCommerce", shopRow.Str("channelName"));
        var manualRow = rows.Single(r => r.Str("id") == manual.Str("id"))!;
        Assert.Equal((null, null, null), (manualRow["channelId"], manualRow["channelName"], manualRow["externalOrderId"]));
    }

    [Fact]
    public async Task Each_filter_narrows_the_list_status_channel_manual_and_the_ordered_on_range()
    {
        var (early, late) = (KontorApp.DefaultToday.AddDays(-20), KontorApp.DefaultToday.AddDays(-10));
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var token = Token();
        var party = (await admin.CreatePartyAsync($"Filtr {token}")).Id();
        app.Clock.SetDate(early);
        admin = await app.ClientAsync(Roles.Admin);   // a session does not outlive a jump of the clock
        var earlyOrder = (await CreateOrderAsync(admin, party)).Str("id");
        app.Clock.SetDate(late);
        admin = await app.ClientAsync(Roles.Admin);
        var lateOrder = (await CreateOrderAsync(admin, party)).Str("id");
        await admin.PostOkAsync($"/api/orders/{lateOrder}/status", new { status = "InProgress" });
        app.Clock.SetDate(KontorApp.DefaultToday);
        admin = await app.ClientAsync(Roles.Admin);
        var (channelId, shopOrderId, _, _) = await ShopOrderAsync(admin, "Filip", $"Filtr {token}");
        var shopOrder = shopOrderId.ToString();
        var sales = await app.ClientAsync(Roles.Sales);

        async Task<HashSet<string>> Listed(string query) =>
            (await sales.GetOkAsync($"/api/orders?search={token}{query}")).AsArray().Select(o => o.Str("id")).ToHashSet();

        Assert.Equal([earlyOrder, lateOrder, shopOrder], await Listed(""));
        Assert.Equal([lateOrder], await Listed("&status=InProgress"));
        Assert.Equal([earlyOrder], await Listed("&status=Accepted&channelId=manual"));
        Assert.Equal([earlyOrder, lateOrder], await Listed("&channelId=manual"));
        Assert.Equal([shopOrder], await Listed($"&channelId={channelId}"));
        Assert.Empty(await Listed($"&channelId={Guid.NewGuid()}"));
        Assert.Equal([lateOrder, shopOrder], await Listed($"&from={late:yyyy-MM-dd}"));
        Assert.Equal([earlyOrder, lateOrder], await Listed($"&to={late:yyyy-MM-dd}"));
        Assert.Equal([lateOrder], await Listed($"&from={late:yyyy-MM-dd}&to={late:yyyy-MM-dd}"));
        using (var counter = await DatabaseCommandCounter.StartAsync(app))
        {
            Assert.Equal([lateOrder], await Listed($"&from={early.AddDays(1):yyyy-MM-dd}&to={KontorApp.DefaultToday.AddDays(-1):yyyy-MM-dd}&channelId=manual"));
            // Every filter, the customer search, the party name and the channel name: one statement.
            Assert.Equal(1, counter.Reading("Orders"));
        }
        Assert.Equal([earlyOrder, lateOrder], await Listed($"&partyId={party}"));
    }

    [Fact]
    public async Task Pages_follow_each_other_newest_first_without_repeats_or_gaps_even_for_orders_made_in_the_same_instant()
    {
        app.Clock.SetDate(KontorApp.DefaultToday.AddDays(-3));   // the clock stands still: all seven share one creation instant
        var admin = await app.ClientAsync(Roles.Admin);
        var token = Token();
        var party = (await admin.CreatePartyAsync($"Strony {token}")).Id();
        var created = new List<string>();
        for (var i = 0; i < 7; i++) created.Add((await CreateOrderAsync(admin, party)).Str("id"));
        var sales = await app.ClientAsync(Roles.Sales);

        var paged = new List<string>();
        for (var skip = 0; skip < 9; skip += 3)
            paged.AddRange((await sales.GetOkAsync($"/api/orders?search={token}&skip={skip}&take=3")).AsArray().Select(o => o.Str("id")));
        var whole = (await sales.GetOkAsync($"/api/orders?search={token}&take=500")).AsArray().Select(o => o.Str("id")).ToList();

        Assert.Equal(7, paged.Distinct().Count());
        Assert.Equal(whole, paged);
        Assert.Equal(created.Order().ToHashSet(), paged.ToHashSet());
        Assert.Empty((await sales.GetOkAsync($"/api/orders?search={token}&skip=7&take=3")).AsArray());
        // Newest first: numbers were given in creation order, so the list runs from the highest number down.
        var numbers = (await sales.GetOkAsync($"/api/orders?search={token}")).AsArray().Select(o => int.Parse(o.Str("number").Split('/')[^1])).ToList();
        Assert.Equal(numbers.OrderDescending().ToList(), numbers);
    }

    [Theory]
    [InlineData("from=2026-03-10&to=2026-03-01", "from")]
    [InlineData("take=0", "take")]
    [InlineData("take=501", "take")]
    [InlineData("skip=-1", "skip")]
    [InlineData("channelId=shop", "channelId")]
    [InlineData("status=Lost", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-02-30", "to")]
    public async Task Bad_list_input_is_400_naming_the_field(string query, string field)
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Get, $"/api/orders?{query}");
        Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status} {problem?.ToJsonString()}");
        Assert.NotNull(problem?["errors"]?[field]);
    }

    [Fact]
    public async Task A_search_longer_than_100_characters_is_400_naming_search()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Get, $"/api/orders?search={new string('a', 101)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem?["errors"]?["search"]);
    }

    [Fact]
    public async Task The_API_description_names_the_list_filters()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var document = await admin.GetOkAsync("/openapi/v1.json");
        var parameters = document["paths"]!["/api/orders"]!["get"]!["parameters"]!.AsArray()
            .ToDictionary(p => p.Str("name"), p => p?["description"]?.GetValue<string>());
        foreach (var name in new[] { "search", "status", "channelId", "from", "to", "skip", "take" })
            Assert.False(string.IsNullOrWhiteSpace(parameters.GetValueOrDefault(name)), $"{name} has no description");
        Assert.Contains("manual", parameters["channelId"]);
    }

    private static string Token() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A paid WooCommerce order of a new person (by a fresh e-mail) named <paramref name="firstName"/> <paramref name="lastName"/>.</summary>
    private async Task<(Guid ChannelId, Guid OrderId, string ExternalId, string Email)> ShopOrderAsync(HttpClient admin, string firstName, string lastName)
    {
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var id = UniqueId();
        var email = $"klient{id}@example.com";
        var order = WooOrder(id, kubek, czajnik, email);
        foreach (var address in new[] { "billing", "shipping" })
        {
            order[address]!["first_name"] = firstName;
            order[address]!["last_name"] = lastName;
        }
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce", order.ToJsonString(), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        return (channelId, Guid.Parse(answer.Str("orderId")), id, email);
    }

    private static Task<JsonNode> CreateOrderAsync(HttpClient client, Guid partyId) =>
        client.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Konsultacje", quantity = "1", unitPrice = "100.00", vatRateCode = "23" } },
        });
}

public sealed class SqliteOrderListTests(SqliteApp app) : OrderListTests<SqliteApp>(app);

public sealed class PostgresOrderListTests(PostgresApp app) : OrderListTests<PostgresApp>(app);
