using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Crm;

/// <summary>The demo data gives the demo salesperson a "my day" with an overdue task and the company a complaint.</summary>
public abstract class DemoCrmTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task The_demo_salesperson_has_an_overdue_task_and_a_meeting_today_and_there_is_a_complaint()
    {
        await using var demo = app.CreateFresh(new Dictionary<string, string?> { ["Database:SeedDemoData"] = "true" });
        await demo.InitializeAsync();
        using var client = demo.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = "sales@kontor.local", password = KontorApp.Password });
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>());

        var day = await client.GetOkAsync("/api/activities/my-day");

        Assert.Equal(["Przypomnieć o zaległej płatności"], day.Arr("overdue").Select(a => a.Str("subject")));
        Assert.Equal(["Prezentacja modułu magazynowego"], day.Arr("dueToday").Select(a => a.Str("subject")));
        Assert.Contains("Oddzwonić: Przedłużenie licencji na 2027", day.Arr("upcoming").Select(a => a.Str("subject")));
        var complaints = (await client.GetOkAsync("/api/complaints")).AsArray();
        Assert.Single(complaints);
        Assert.StartsWith("REK/", complaints[0].Str("number"));
    }

    [Fact]
    public async Task The_demo_shop_has_a_paid_order_invoiced_through_the_gateway_and_one_held_for_the_shops_own_SKU()
    {
        await using var demo = app.CreateFresh(new Dictionary<string, string?> { ["Database:SeedDemoData"] = "true" });
        await demo.InitializeAsync();
        using var client = demo.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = KontorApp.UserByRole[Kontor.Security.Roles.Admin], password = KontorApp.Password });
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["accessToken"]!.GetValue<string>());

        var shop = Assert.Single((await client.GetOkAsync("/api/channels")).AsArray())!;
        Assert.Equal(("WooCommerce", null), (shop.Str("type"), (string?)shop["baseAddress"]));
        // #1001: 4 notebooks 50.00 + shipping 15.00 net, 23 % → 79.95 gross, invoiced and paid through the gateway (nothing owed).
        var order = Assert.Single((await client.GetOkAsync($"/api/orders?channelId={shop.Id()}")).AsArray())!;
        Assert.Equal(("1001", 79.95m), (order.Str("externalOrderId"), order.Amount("totalGross")));
        var invoice = await client.GetOkAsync($"/api/invoices/{order.Str("invoiceId")}");
        Assert.Equal(("Issued", 79.95m), (invoice.Str("status"), invoice.Amount("totalGross")));
        Assert.Equal(0m, (await client.GetOkAsync($"/api/parties/{order.Str("partyId")}/overview")).Amount("balance"));
        // #1002 waits for its SKU to be mapped; the shop was told nothing (no address), which its log says.
        var held = Assert.Single((await client.GetOkAsync("/api/integrations/held?status=Open")).AsArray())!;
        Assert.Equal("1002", held.Str("externalOrderId"));
        Assert.Contains("notes-a5-czerwony", held.Str("reason"));
        Assert.Empty((await client.GetOkAsync("/api/integrations/outbox")).AsArray());

        // What the demo invites: map the shop's SKU to the catalogue's notebook, and the order goes through.
        var mapped = await client.PostOkAsync($"/api/integrations/held/{held.Id()}/map-skus", new { mappings = new[] { new { sku = "notes-a5-czerwony", productSku = "NOTE-A5" } } });
        Assert.Equal("Created", mapped.Str("outcome"));
        Assert.True((await client.GetOkAsync("/api/ledger/trial-balance?asOf=2099-12-31"))["balanced"]!.GetValue<bool>());
    }
}

public sealed class SqliteDemoCrmTests(SqliteApp app) : DemoCrmTests<SqliteApp>(app);

public sealed class PostgresDemoCrmTests(PostgresApp app) : DemoCrmTests<PostgresApp>(app);
