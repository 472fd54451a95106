using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Inventory;

/// <summary>
/// Editing a draft stock document (PUT /api/stock-documents/{id}): header and lines replaced with the validation of a new
/// draft; a posted document, a stale version and bad input change nothing; drafts take no number; what ties a draft to an
/// order stays.
/// </summary>
public abstract class StockDocumentEditTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task A_draft_gets_new_lines_and_header_keeps_no_number_and_posts_what_was_edited()
    {
        app.Clock.SetDate(new DateOnly(2026, 9, 14));
        var sales = await app.ClientAsync(Roles.Sales);
        var first = await GoodsAsync(sales);
        var second = await GoodsAsync(sales);
        var draft = await sales.PostCreatedAsync("/api/stock-documents", new
        {
            kind = "PZ", notes = "Dostawa 1",
            lines = new object[] { new { productId = first, quantity = "10", unitCost = "12.00" }, new { productId = second, quantity = "1", unitCost = "7.00" } },
        });
        var countersBefore = await CountersAsync();

        // 10 × 12.00 + 1 × 7.00 becomes one line of 4 × 5.00 = 20.00 of the first product.
        var edited = await PutOkAsync(sales, draft.Id(), new
        {
            kind = "PZ", date = "2026-09-12", notes = "Dostawa 1 (poprawiona)", version = draft.Str("version"),
            lines = new[] { new { productId = first, quantity = "4", unitCost = "5.00" } },
        });
        Assert.Equal(("Draft", null, "2026-09-12", "Dostawa 1 (poprawiona)", 20.00m), (edited.Str("status"), edited["number"]?.GetValue<string>(),
            edited.Str("date"), edited.Str("notes"), edited.Amount("totalValue")));
        Assert.NotEqual(draft.Str("version"), edited.Str("version"));
        var line = Assert.Single(edited.Arr("lines"))!;
        Assert.Equal((1, first.ToString(), 4m, 20.00m), (line["position"]!.GetValue<int>(), line.Str("productId"), line["quantity"]!.GetValue<decimal>(), line.Amount("value")));
        // The old lines are gone from the table, not only from the answer; one audit record of the change; no number taken.
        Assert.Equal(1, await app.QueryAsync(db => db.StockDocumentLines.CountAsync(l => l.DocumentId == draft.Id())));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "stock-document.changed" && a.EntityId == draft.Id().ToString())));
        Assert.Equal(countersBefore, await CountersAsync());

        var posted = await sales.PostOkAsync($"/api/stock-documents/{draft.Id()}/post", new { version = edited.Str("version") });
        Assert.Equal(("PZ/2026/09/1", 20.00m), (posted.Str("number"), posted.Amount("totalValue")));
        var level = Assert.Single((await sales.GetOkAsync($"/api/stock?productId={first}")).Arr("rows"))!;
        Assert.Equal((4m, 20.00m), (level["onHand"]!.GetValue<decimal>(), level.Amount("value")));
        Assert.Empty((await sales.GetOkAsync($"/api/stock?productId={second}&inStockOnly=true")).Arr("rows"));
    }

    [Fact]
    public async Task A_posted_document_is_409_and_stays_as_posted()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 5));
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var draft = await sales.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId = product, quantity = "3", unitCost = "2.00" } } });
        var posted = await sales.PostOkAsync($"/api/stock-documents/{draft.Id()}/post");

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Put, $"/api/stock-documents/{draft.Id()}", new
        {
            kind = "PZ", version = posted.Str("version"), lines = new[] { new { productId = product, quantity = "30", unitCost = "2.00" } },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("posted", problem.Str("detail"));
        await AssertUnchangedAsync(sales, posted);
    }

    [Fact]
    public async Task A_stale_version_is_409_and_changes_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 6));
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var draft = await sales.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId = product, quantity = "3", unitCost = "2.00" } } });
        // Someone else saved it meanwhile: the version read first is stale.
        var theirs = await PutOkAsync(sales, draft.Id(), new { kind = "PZ", version = draft.Str("version"), lines = new[] { new { productId = product, quantity = "5", unitCost = "2.00" } } });

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Put, $"/api/stock-documents/{draft.Id()}", new
        {
            kind = "PZ", version = draft.Str("version"), lines = new[] { new { productId = product, quantity = "1", unitCost = "2.00" } },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("changed by someone else", problem.Str("detail"));
        await AssertUnchangedAsync(sales, theirs);
    }

    [Fact]
    public async Task A_bad_line_is_400_naming_it_and_changes_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 7));
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var draft = await sales.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", notes = "before", lines = new[] { new { productId = product, quantity = "3", unitCost = "2.00" } } });

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Put, $"/api/stock-documents/{draft.Id()}", new
        {
            kind = "PZ", notes = "after", version = draft.Str("version"),
            lines = new[] { new { productId = product, quantity = "0", unitCost = "2.00" }, new { productId = product, quantity = "1", unitCost = "2.00" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem?["errors"]?["lines[0].quantity"] is not null, problem?.ToJsonString());
        await AssertUnchangedAsync(sales, draft);
        Assert.Equal(0, await app.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "stock-document.changed" && a.EntityId == draft.Id().ToString())));
    }

    [Fact]
    public async Task A_draft_wz_of_an_order_keeps_its_kind_order_and_warehouse()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 8));
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var customer = (await sales.CreatePartyAsync()).Id();
        await sales.PostOkAsync($"/api/stock-documents/{(await sales.PostCreatedAsync("/api/stock-documents",
            new { kind = "PZ", lines = new[] { new { productId = product, quantity = "5", unitCost = "10.00" } } })).Id()}/post");
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId = customer, currency = "PLN", pricingMode = "Net", lines = new[] { new { productId = product, quantity = "3", unitPrice = "50.00", vatRateCode = "23" } },
        });
        var admin = await app.ClientAsync(Roles.Admin);
        var other = await admin.PostCreatedAsync("/api/warehouses", new { code = "E" + Guid.NewGuid().ToString("N")[..6], name = "Zewnętrzny" });
        var draft = await sales.PostCreatedAsync("/api/stock-documents", new { kind = "WZ", orderId = order.Id(), lines = new[] { new { productId = product, quantity = "3" } } });

        foreach (var (body, field) in new (object Body, string Field)[]
                 {
                     (new { kind = "RW", reason = "x", lines = new[] { new { productId = product, quantity = "2" } } }, "kind"),
                     (new { kind = "WZ", warehouseId = other.Id(), lines = new[] { new { productId = product, quantity = "2" } } }, "warehouseId"),
                     (new { kind = "WZ", orderId = Guid.NewGuid(), lines = new[] { new { productId = product, quantity = "2" } } }, "orderId"),
                 })
        {
            var (status, problem, _) = await sales.SendAsync(HttpMethod.Put, $"/api/stock-documents/{draft.Id()}", body);
            Assert.True(status == HttpStatusCode.BadRequest && problem?["errors"]?[field] is not null, $"{field}: {(int)status} {problem?.ToJsonString()}");
        }
        await AssertUnchangedAsync(sales, draft);

        // Omitted, they are kept: 2 instead of 3, still the order's WZ from MAG with the order's customer; posting consumes the reservation.
        var edited = await PutOkAsync(sales, draft.Id(), new { lines = new[] { new { productId = product, quantity = "2" } } });
        Assert.Equal(("WZ", order.Id().ToString(), "MAG", customer.ToString()), (edited.Str("kind"), edited.Str("orderId"), edited.Str("warehouseCode"), edited.Str("partyId")));
        await sales.PostOkAsync($"/api/stock-documents/{draft.Id()}/post");
        var stock = await sales.GetOkAsync($"/api/orders/{order.Id()}/stock");
        var line = Assert.Single(stock.Arr("lines"))!;
        Assert.Equal(("PartlyIssued", 2m, 1m), (stock.Str("state"), line["issued"]!.GetValue<decimal>(), line["reserved"]!.GetValue<decimal>()));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static async Task<Guid> GoodsAsync(HttpClient client) => (await client.CreateProductAsync("50.00")).Id();

    private static Task<JsonNode> PutOkAsync(HttpClient client, Guid id, object body) => client.ExpectAsync(HttpMethod.Put, $"/api/stock-documents/{id}", body, HttpStatusCode.OK);

    /// <summary>Numbers taken by any stock-document series so far.</summary>
    private Task<long> CountersAsync() => app.QueryAsync(db => db.NumberingCounters
        .Join(db.NumberingSeries.Where(s => s.DocumentType.StartsWith("stock-")), c => c.SeriesId, s => s.Id, (c, s) => c.LastValue).SumAsync());

    /// <summary>The document reads as it did (header, version, lines) and its rows in the table are the ones it had.</summary>
    private async Task AssertUnchangedAsync(HttpClient client, JsonNode before)
    {
        var now = await client.GetOkAsync($"/api/stock-documents/{before.Id()}");
        foreach (var property in new[] { "status", "number", "date", "notes", "version", "warehouseId", "orderId", "partyId", "totalValue", "lines" })
            Assert.Equal(before[property]?.ToJsonString(), now[property]?.ToJsonString());
        Assert.Equal(before.Arr("lines").Count, await app.QueryAsync(db => db.StockDocumentLines.CountAsync(l => l.DocumentId == before.Id())));
    }
}

public sealed class SqliteStockDocumentEditTests(SqliteApp app) : StockDocumentEditTests<SqliteApp>(app);

public sealed class PostgresStockDocumentEditTests(PostgresApp app) : StockDocumentEditTests<PostgresApp>(app);
