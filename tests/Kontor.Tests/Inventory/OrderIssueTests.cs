using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Inventory;

/// <summary>
/// Issuing part of an order (docs/inventory.md, "For the e-commerce flow"): a WZ of the lines asked for, each checked against
/// what the order still needs and what the warehouse holds for it; shipping then issues only the rest; an order whose issued
/// goods all came back reads Returned. Expected figures are worked out by hand in the comments.
/// </summary>
public abstract class OrderIssueTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task A_partial_issue_leaves_the_order_partly_issued_and_shipping_issues_only_the_rest()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var sales = await app.ClientAsync(Roles.Sales);
        var (a, b) = (await GoodsAsync(sales), await GoodsAsync(sales));
        await ReceiveAsync(sales, a, "10", "20.00");
        await ReceiveAsync(sales, b, "5", "10.00");
        var order = await OrderAsync(sales, (a, "4"), (b, "2"));

        // One of the four A leaves now (20.00); B stays on the shelf.
        var wz = await sales.PostCreatedAsync($"/api/orders/{order}/issue", new { lines = new[] { new { productId = a, quantity = "1" } } });
        var wzLine = Assert.Single(wz.Arr("lines"))!;
        Assert.Equal((a.ToString(), 1m, 20.00m), (wzLine.Str("productId"), Qty(wzLine, "quantity"), wz.Amount("totalValue")));
        var stock = await sales.GetOkAsync($"/api/orders/{order}/stock");
        Assert.Equal("PartlyIssued", stock.Str("state"));
        Assert.Equal((4m, 3m, 1m), LineOf(stock, a));
        Assert.Equal((2m, 2m, 0m), LineOf(stock, b));

        // Asking for more than the three left is refused on the line; nothing moves.
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order}/issue", new { lines = new[] { new { productId = a, quantity = "4" } } });
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {problem?.ToJsonString()}");
        Assert.Contains("3 szt.", Errors(problem, "lines[0].quantity"));

        // Shipping issues the rest only: 3 A and 2 B on a second WZ (3 × 20.00 + 2 × 10.00 = 80.00).
        await sales.PostOkAsync($"/api/orders/{order}/ship", new { carrier = "InPost", trackingNumber = "TRK-1" });
        stock = await sales.GetOkAsync($"/api/orders/{order}/stock");
        Assert.Equal("Issued", stock.Str("state"));
        Assert.Equal((4m, 0m, 4m), LineOf(stock, a));
        Assert.Equal((2m, 0m, 2m), LineOf(stock, b));
        var documents = await app.QueryAsync(db => db.StockDocuments.Where(d => d.OrderId == order).OrderBy(d => d.CreatedAt)
            .Select(d => new { d.Kind, d.TotalValue, Lines = d.Lines.OrderBy(l => l.Position).Select(l => new { l.ProductId, l.Quantity }).ToList() }).ToListAsync());
        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.Equal(Kontor.Inventory.StockDocumentKind.WZ, d.Kind));
        Assert.Equal(80.00m, documents[1].TotalValue);
        Assert.Equal(new[] { (a, 3m), (b, 2m) }.OrderBy(l => l.Item1), documents[1].Lines.Select(l => (l.ProductId, l.Quantity)).OrderBy(l => l.ProductId));
        Assert.Equal((6m, 0m), await LevelAsync(a));
        Assert.Equal((3m, 0m), await LevelAsync(b));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        // Ordered 3: four is more than the order needs.
        { """[{"productId":"A","quantity":"4"}]""", "lines[0].quantity" },
        // Two lines of one product count together: 2 + 2 > 3, refused on the line that goes over.
        { """[{"productId":"A","quantity":"2"},{"productId":"A","quantity":"2"}]""", "lines[1].quantity" },
        // Only two are in the warehouse (both reserved for this order, one backordered): three cannot leave.
        { """[{"productId":"A","quantity":"3"}]""", "lines[0].quantity" },
        { """[{"productId":"OTHER","quantity":"1"}]""", "lines[0].productId" },
        { """[{"productId":"SERVICE","quantity":"1"}]""", "lines[0].productId" },
        { """[{"productId":"00000000-0000-0000-0000-000000000001","quantity":"1"}]""", "lines[0].productId" },
        { """[{"quantity":"1"}]""", "lines[0].productId" },
        { """[{"productId":"A","quantity":"0"}]""", "lines[0].quantity" },
        { """[{"productId":"A","quantity":"-1"}]""", "lines[0].quantity" },
        { """[{"productId":"A","quantity":"0.00001"}]""", "lines[0].quantity" },
        { """[{"productId":"A"}]""", "lines[0].quantity" },
        { """[{"productId":"A","quantity":"1"},{"productId":"A","quantity":"0"}]""", "lines[1].quantity" },
        { """[]""", "lines" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_partial_issue_the_order_cannot_take_is_400_naming_the_line_and_writes_nothing(string lines, string field)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var sales = await app.ClientAsync(Roles.Sales);
        var (a, other) = (await GoodsAsync(sales), await GoodsAsync(sales));
        var service = (await sales.PostCreatedAsync("/api/products", new { sku = "SRV-" + Guid.NewGuid().ToString("N")[..8], name = "Montaż", kind = "Service",
            netPrice = new { amount = "10.00", currency = "PLN" }, vatRateCode = "23" })).Id();
        await ReceiveAsync(sales, a, "2", "20.00");
        await ReceiveAsync(sales, other, "5", "20.00");
        var order = await OrderAsync(sales, (a, "3"), (service, "1"));
        var stockBefore = await sales.GetOkAsync($"/api/orders/{order}/stock");
        Assert.Equal("Backordered", stockBefore.Str("state"));
        var movements = await app.QueryAsync(db => db.StockMovements.CountAsync());

        var json = $$"""{"lines":{{lines.Replace("OTHER", other.ToString()).Replace("SERVICE", service.ToString()).Replace("\"A\"", $"\"{a}\"")}}}""";
        var response = await sales.PostAsync($"/api/orders/{order}/issue", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body?.ToJsonString()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(Errors(body, field));

        Assert.Equal(0, await app.QueryAsync(db => db.StockDocuments.CountAsync(d => d.OrderId == order)));
        Assert.Equal(movements, await app.QueryAsync(db => db.StockMovements.CountAsync()));
        Assert.Equal(stockBefore.ToJsonString(), (await sales.GetOkAsync($"/api/orders/{order}/stock")).ToJsonString());
        Assert.Equal((2m, 2m), await LevelAsync(a));
        Assert.Equal((5m, 0m), await LevelAsync(other));
    }

    [Fact]
    public async Task An_order_whose_issued_goods_all_came_back_reads_returned_and_a_part_back_stays_issued()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var (a, b) = (await GoodsAsync(sales), await GoodsAsync(sales));
        await ReceiveAsync(sales, a, "5", "20.00");
        await ReceiveAsync(sales, b, "5", "10.00");
        var order = await OrderAsync(sales, (a, "2"), (b, "1"));
        await sales.PostOkAsync($"/api/orders/{order}/ship", new { carrier = "DPD" });
        Assert.Equal("Issued", (await sales.GetOkAsync($"/api/orders/{order}/stock")).Str("state"));

        // One A back: partly returned stays Issued, the line shows what came back.
        await manager.PostCreatedAsync($"/api/orders/{order}/stock-return", new { lines = new[] { new { productId = a, quantity = "1" } } });
        var stock = await sales.GetOkAsync($"/api/orders/{order}/stock");
        Assert.Equal("Issued", stock.Str("state"));
        Assert.Equal(1m, Qty(stock.Arr("lines").Single(l => l!.Str("productId") == a.ToString()), "returned"));

        // All of A back, B still out: Issued.
        await manager.PostCreatedAsync($"/api/orders/{order}/stock-return", new { lines = new[] { new { productId = a, quantity = "1" } } });
        Assert.Equal("Issued", (await sales.GetOkAsync($"/api/orders/{order}/stock")).Str("state"));

        // B back too: everything that left came back.
        await manager.PostCreatedAsync($"/api/orders/{order}/stock-return", new { lines = new[] { new { productId = b, quantity = "1" } } });
        stock = await sales.GetOkAsync($"/api/orders/{order}/stock");
        Assert.Equal("Returned", stock.Str("state"));
        Assert.Equal("Returned", (await sales.GetOkAsync($"/api/orders/{order}"))["stock"].Str("state"));
        Assert.Equal((5m, 0m), await LevelAsync(a));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static async Task<Guid> GoodsAsync(HttpClient client) => (await client.CreateProductAsync("50.00")).Id();

    private static async Task ReceiveAsync(HttpClient client, Guid productId, string quantity, string unitCost)
    {
        var pz = await client.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId, quantity, unitCost } } });
        await client.PostOkAsync($"/api/stock-documents/{pz.Id()}/post");
    }

    private static async Task<Guid> OrderAsync(HttpClient client, params (Guid ProductId, string Quantity)[] lines)
    {
        var customer = (await client.CreatePartyAsync()).Id();
        return (await client.PostCreatedAsync("/api/orders", new
        {
            partyId = customer, currency = "PLN", pricingMode = "Net",
            lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity, unitPrice = "50.00", vatRateCode = "23" }).ToArray(),
        })).Id();
    }

    private static (decimal Ordered, decimal Reserved, decimal Issued) LineOf(JsonNode stock, Guid productId)
    {
        var line = stock.Arr("lines").Single(l => l!.Str("productId") == productId.ToString())!;
        return (Qty(line, "ordered"), Qty(line, "reserved"), Qty(line, "issued"));
    }

    private Task<(decimal OnHand, decimal Reserved)> LevelAsync(Guid productId) =>
        app.QueryAsync(async db => (await db.StockLevels.Where(s => s.ProductId == productId).Select(s => new { s.OnHand, s.Reserved }).ToListAsync())
            .Aggregate((0m, 0m), (sum, s) => (sum.Item1 + s.OnHand, sum.Item2 + s.Reserved)));

    private static string Errors(JsonNode? problem, string field) =>
        problem?["errors"]?[field] is JsonArray messages ? string.Join(" ", messages.Select(m => m!.GetValue<string>()))
            : throw new Xunit.Sdk.XunitException($"expected an error on {field}: {problem?.ToJsonString()}");

    private static decimal Qty(JsonNode? node, string property) => node![property]!.GetValue<decimal>();
}

public sealed class SqliteOrderIssueTests(SqliteApp app) : OrderIssueTests<SqliteApp>(app);

public sealed class PostgresOrderIssueTests(PostgresApp app) : OrderIssueTests<PostgresApp>(app);
