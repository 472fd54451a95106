using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Inventory;

/// <summary>
/// Stock documents, FIFO values and their postings, reservations of orders, negative stock refused (also concurrently),
/// closed periods, bad input. Expected figures are worked out by hand in the comments. Each test uses products of its own
/// and a month of its own; the 330 balance is compared with the whole stock value, which every test keeps equal.
/// </summary>
public abstract class InventoryTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Receipts_at_two_costs_then_issues_take_the_oldest_first_and_post_their_fifo_cost()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 4));
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var customer = (await sales.CreatePartyAsync()).Id();

        // PZ 1: 10 × 12.00 = 120.00; PZ 2: 3 units worth 10.00 together (unit cost 3.333333).
        var pz1 = await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "10", unitCost = "12.00" } } }));
        var pz2 = await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "3", value = "10.00" } } }));
        Assert.Equal(("PZ/2026/05/1", "Posted", 120.00m), (pz1.Str("number"), pz1.Str("status"), pz1.Amount("totalValue")));
        Assert.Equal(("PZ/2026/05/2", 10.00m), (pz2.Str("number"), pz2.Amount("totalValue")));
        var level = await LevelAsync(sales, product);
        Assert.Equal((13m, 0m, 13m, 130.00m), (Qty(level, "onHand"), Qty(level, "reserved"), Qty(level, "available"), level.Amount("value")));

        // WZ of 11: all 10 of layer 1 (120.00) + 1 of layer 2 at 3.333333 → 3.33; 123.33 in all.
        var wz1 = await PostAsync(sales, await DraftAsync(sales, new { kind = "WZ", partyId = customer, lines = new[] { new { productId = product, quantity = "11" } } }));
        Assert.Equal(("WZ/2026/05/1", 123.33m), (wz1.Str("number"), wz1.Amount("totalValue")));
        level = await LevelAsync(sales, product);
        Assert.Equal((2m, 6.67m), (Qty(level, "onHand"), level.Amount("value")));

        // WZ of the last 2 empties layer 2 and takes what is left of it: 10.00 − 3.33 = 6.67 (not 2 × 3.33 = 6.66).
        var wz2 = await PostAsync(sales, await DraftAsync(sales, new { kind = "WZ", partyId = customer, lines = new[] { new { productId = product, quantity = "2" } } }));
        Assert.Equal(6.67m, wz2.Amount("totalValue"));
        level = await LevelAsync(sales, product);
        Assert.Equal((0m, 0.00m), (Qty(level, "onHand"), level.Amount("value")));

        var accountant = await app.ClientAsync(Roles.Accountant);
        Assert.Equal([("330", 120.00m, 0m), ("300", 0m, 120.00m)], await PostingsAsync(accountant, pz1.Id()));
        Assert.Equal([("731", 123.33m, 0m), ("330", 0m, 123.33m)], await PostingsAsync(accountant, wz1.Id()));
        Assert.Equal([("731", 6.67m, 0m), ("330", 0m, 6.67m)], await PostingsAsync(accountant, wz2.Id()));
        await AssertBooksMatchStockAsync(accountant);
    }

    [Fact]
    public async Task An_order_reserves_its_goods_cancel_releases_them_and_its_wz_consumes_the_reservation()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 8));
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var customer = (await sales.CreatePartyAsync()).Id();
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "5", unitCost = "20.00" } } }));

        var first = await OrderAsync(sales, customer, product, "3");
        var level = await LevelAsync(sales, product);
        Assert.Equal((5m, 3m, 2m), (Qty(level, "onHand"), Qty(level, "reserved"), Qty(level, "available")));
        var stock = (await sales.GetOkAsync($"/api/orders/{first.Id()}"))["stock"]!;
        Assert.Equal(("Reserved", "MAG"), (stock.Str("state"), stock.Str("warehouseCode")));
        var line = Assert.Single(stock.Arr("lines"))!;
        Assert.Equal((3m, 3m, 0m, 0m), (Qty(line, "ordered"), Qty(line, "reserved"), Qty(line, "issued"), Qty(line, "backordered")));

        // Backorders are allowed by default: the second order takes the 2 available and waits for 2 more.
        var second = await OrderAsync(sales, customer, product, "4");
        stock = (await sales.GetOkAsync($"/api/orders/{second.Id()}"))["stock"]!;
        line = Assert.Single(stock.Arr("lines"))!;
        Assert.Equal(("Backordered", 2m, 2m), (stock.Str("state"), Qty(line, "reserved"), Qty(line, "backordered")));
        Assert.Equal((5m, 5m, 0m), (Qty(await LevelAsync(sales, product), "onHand"), Qty(await LevelAsync(sales, product), "reserved"), Qty(await LevelAsync(sales, product), "available")));

        // A WZ not for these orders finds nothing available: 409 naming the product and what is available, nothing written.
        var loose = await DraftAsync(sales, new { kind = "WZ", lines = new[] { new { productId = product, quantity = "1" } } });
        var movementsBefore = await app.QueryAsync(db => db.StockMovements.CountAsync());
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/stock-documents/{loose.Id()}/post");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("0 szt. available", problem.Str("detail"));
        Assert.Contains("5 reserved for other orders", problem.Str("detail"));
        Assert.Equal(movementsBefore, await app.QueryAsync(db => db.StockMovements.CountAsync()));
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/stock-documents/{loose.Id()}")).Str("status"));

        // Cancelling the first order gives its 3 back; the second tops up to its 4.
        await sales.PostOkAsync($"/api/orders/{first.Id()}/status", new { status = "Cancelled" });
        Assert.Equal("Released", (await sales.GetOkAsync($"/api/orders/{first.Id()}/stock")).Str("state"));
        Assert.Equal((2m, 3m), (Qty(await LevelAsync(sales, product), "reserved"), Qty(await LevelAsync(sales, product), "available")));
        var topped = await sales.PostOkAsync($"/api/orders/{second.Id()}/reserve");
        Assert.Equal(("Reserved", 4m), (topped.Str("state"), Qty(topped.Arr("lines")[0], "reserved")));
        Assert.Equal((4m, 1m), (Qty(await LevelAsync(sales, product), "reserved"), Qty(await LevelAsync(sales, product), "available")));

        // Issuing the order: a WZ of the 4 at 20.00 = 80.00, the reservation consumed.
        var wz = await sales.PostCreatedAsync($"/api/orders/{second.Id()}/issue", new { });
        Assert.Equal(("WZ", "Posted", 80.00m, second.Id().ToString()), (wz.Str("kind"), wz.Str("status"), wz.Amount("totalValue"), wz.Str("orderId")));
        level = await LevelAsync(sales, product);
        Assert.Equal((1m, 0m, 1m, 20.00m), (Qty(level, "onHand"), Qty(level, "reserved"), Qty(level, "available"), level.Amount("value")));
        var order = await sales.GetOkAsync($"/api/orders/{second.Id()}");
        Assert.Equal("Issued", order["stock"].Str("state"));
        Assert.Contains(order.Arr("links"), l => l!.Str("type") == "stock-wz" && l.Str("number") == wz.Str("number"));
        var (again, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{second.Id()}/issue", new { });
        Assert.Equal(HttpStatusCode.Conflict, again);

        // Two come back at the cost they went out at: Dr 330 / Cr 731 40.00.
        var zw = await (await app.ClientAsync(Roles.Manager)).PostCreatedAsync($"/api/orders/{second.Id()}/stock-return", new { lines = new[] { new { productId = product, quantity = "2" } } });
        Assert.Equal(("ZW", 40.00m), (zw.Str("kind"), zw.Amount("totalValue")));
        var accountant = await app.ClientAsync(Roles.Accountant);
        Assert.Equal([("330", 40.00m, 0m), ("731", 0m, 40.00m)], await PostingsAsync(accountant, zw.Id()));
        Assert.Equal((3m, 60.00m), (Qty(await LevelAsync(sales, product), "onHand"), (await LevelAsync(sales, product)).Amount("value")));
        var (tooMany, tooManyProblem, _) = await (await app.ClientAsync(Roles.Manager)).SendAsync(HttpMethod.Post, $"/api/orders/{second.Id()}/stock-return", new { lines = new[] { new { productId = product, quantity = "3" } } });
        Assert.Equal(HttpStatusCode.Conflict, tooMany);
        Assert.Contains("Only 2", tooManyProblem.Str("detail"));
        await AssertBooksMatchStockAsync(accountant);
    }

    [Fact]
    public async Task Without_backorders_an_order_for_more_than_is_available_is_409_and_nothing_is_written()
    {
        await using var strict = app.CreateFresh(new Dictionary<string, string?> { ["Inventory:AllowBackorders"] = "false" });
        await strict.InitializeAsync();
        var sales = await strict.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var customer = (await sales.CreatePartyAsync()).Id();
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "2", unitCost = "10.00" } } }));

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/orders", new
        {
            partyId = customer, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { productId = product, quantity = "3", unitPrice = "50.00", vatRateCode = "23" } },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("3 szt. needed, 2 available", problem.Str("detail"));
        Assert.Equal((0, 0, 0L), await strict.QueryAsync(async db => (await db.Orders.CountAsync(), await db.StockReservations.CountAsync(),
            await db.NumberingCounters.Where(c => c.Period != "").Join(db.NumberingSeries.Where(x => x.DocumentType == "order"), c => c.SeriesId, x => x.Id, (c, x) => c.LastValue).SumAsync())));
        Assert.Equal((2m, 0m), (Qty(await LevelOfAsync(sales, product), "onHand"), Qty(await LevelOfAsync(sales, product), "reserved")));

        // Two fit: reserved at once.
        await OrderAsync(sales, customer, product, "2");
        Assert.Equal((2m, 0m), (Qty(await LevelOfAsync(sales, product), "reserved"), Qty(await LevelOfAsync(sales, product), "available")));

        static async Task<JsonNode> LevelOfAsync(HttpClient client, Guid productId) => Assert.Single((await client.GetOkAsync($"/api/stock?productId={productId}")).Arr("rows"))!;
    }

    [Fact]
    public async Task Transfer_moves_layers_at_their_cost_and_count_differences_post_to_760_and_761()
    {
        app.Clock.SetDate(new DateOnly(2026, 7, 6));
        var sales = await app.ClientAsync(Roles.Sales);
        var admin = await app.ClientAsync(Roles.Admin);
        var product = await GoodsAsync(sales);
        var shop = (await admin.PostCreatedAsync("/api/warehouses", new { code = "SKL-" + Guid.NewGuid().ToString("N")[..6], name = "Sklep" })).Id();
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "4", unitCost = "10.00" } } }));
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "4", unitCost = "13.00" } } }));

        // MM of 6: 4 × 10.00 + 2 × 13.00 = 66.00 leave MAG and arrive in the shop; no journal entry (both on 330).
        var mm = await PostAsync(sales, await DraftAsync(sales, new { kind = "MM", targetWarehouseId = shop, lines = new[] { new { productId = product, quantity = "6" } } }));
        Assert.Equal(66.00m, mm.Amount("totalValue"));
        Assert.Null(mm["journalEntryId"]);
        var report = await sales.GetOkAsync($"/api/stock?productId={product}");
        var rows = report.Arr("rows").ToDictionary(r => r!.Str("warehouseId") == shop.ToString() ? "shop" : r!.Str("warehouseCode"), r => r!);
        Assert.Equal((2m, 26.00m), (Qty(rows["MAG"], "onHand"), rows["MAG"].Amount("value")));
        Assert.Equal((6m, 66.00m), (Qty(rows["shop"], "onHand"), rows["shop"].Amount("value")));
        Assert.Equal(92.00m, report.Amount("totalValue"));

        // In the shop the moved layers keep their age: a WZ of 5 takes 4 × 10.00 then 1 × 13.00 = 53.00.
        var wz = await PostAsync(sales, await DraftAsync(sales, new { kind = "WZ", warehouseId = shop, lines = new[] { new { productId = product, quantity = "5" } } }));
        Assert.Equal(53.00m, wz.Amount("totalValue"));

        // The count finds 1 more in MAG: PW at the average of what is there (2 × 13.00 → 13.00). And 1 fewer in the shop: RW at FIFO 13.00.
        var pw = await PostAsync(sales, await DraftAsync(sales, new { kind = "PW", reason = "Inwentaryzacja 07/2026", lines = new[] { new { productId = product, quantity = "1" } } }));
        var rw = await PostAsync(sales, await DraftAsync(sales, new { kind = "RW", warehouseId = shop, reason = "Inwentaryzacja 07/2026", lines = new[] { new { productId = product, quantity = "1" } } }));
        Assert.Equal((13.00m, 13.00m), (pw.Amount("totalValue"), rw.Amount("totalValue")));
        var accountant = await app.ClientAsync(Roles.Accountant);
        Assert.Equal([("330", 13.00m, 0m), ("760", 0m, 13.00m)], await PostingsAsync(accountant, pw.Id()));
        Assert.Equal([("761", 13.00m, 0m), ("330", 0m, 13.00m)], await PostingsAsync(accountant, rw.Id()));
        Assert.Equal(39.00m, (await sales.GetOkAsync($"/api/stock?productId={product}")).Amount("totalValue"));   // 3 × 13.00 in MAG, 0 in the shop

        // Posted documents do not change: posting again or deleting is 409.
        Assert.Equal(HttpStatusCode.Conflict, (await sales.SendAsync(HttpMethod.Post, $"/api/stock-documents/{pw.Id()}/post")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await sales.SendAsync(HttpMethod.Delete, $"/api/stock-documents/{pw.Id()}")).Status);
        // As of the day before, nothing of this product was in stock.
        Assert.DoesNotContain((await sales.GetOkAsync($"/api/stock?productId={product}&asOf=2026-07-05")).Arr("rows"), r => Qty(r!, "onHand") != 0);
        await AssertBooksMatchStockAsync(accountant);
    }

    [Fact]
    public async Task Two_issues_of_the_last_unit_at_once_one_succeeds_and_the_other_is_409()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 3));
        var sales = await app.ClientAsync(Roles.Sales);
        for (var round = 0; round < 3; round++)
        {
            var product = await GoodsAsync(sales);
            await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "1", unitCost = "7.00" } } }));
            var a = await DraftAsync(sales, new { kind = "WZ", lines = new[] { new { productId = product, quantity = "1" } } });
            var b = await DraftAsync(sales, new { kind = "WZ", lines = new[] { new { productId = product, quantity = "1" } } });
            var clientA = await app.ClientAsync(Roles.Sales);
            var clientB = await app.ClientAsync(Roles.Sales);
            var results = await Task.WhenAll(
                clientA.SendAsync(HttpMethod.Post, $"/api/stock-documents/{a.Id()}/post"),
                clientB.SendAsync(HttpMethod.Post, $"/api/stock-documents/{b.Id()}/post"));
            Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.OK], results.Select(r => r.Status).OrderBy(s => s.ToString()).ToArray());
            Assert.Contains("0 szt. available", results.Single(r => r.Status == HttpStatusCode.Conflict).Body.Str("detail"));
            var level = await LevelAsync(sales, product);
            Assert.Equal((0m, 0.00m), (Qty(level, "onHand"), level.Amount("value")));
        }
        await AssertBooksMatchStockAsync(await app.ClientAsync(Roles.Accountant));
    }

    [Fact]
    public async Task Posting_into_a_closed_month_is_refused_and_moves_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 12));
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var product = await GoodsAsync(sales);
        // December 2025 can close on its own: nothing in this class is dated before it.
        var draft = await DraftAsync(sales, new { kind = "PZ", date = "2025-12-30", lines = new[] { new { productId = product, quantity = "2", unitCost = "5.00" } } });
        await accountant.PostOkAsync("/api/ledger/periods/2025/12/close");
        var (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/stock-documents/{draft.Id()}/post");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/stock-documents/{draft.Id()}")).Str("status"));
        Assert.Equal((0, 0), await app.QueryAsync(async db => (await db.StockLayers.CountAsync(l => l.ProductId == product), await db.StockMovements.CountAsync(m => m.ProductId == product))));
        Assert.Equal(0m, Qty(await LevelAsync(sales, product, allowMissing: true), "onHand"));
    }

    [Fact]
    public async Task The_margin_of_an_invoiced_order_uses_the_fifo_cost_of_its_wz_not_the_catalogue_cost()
    {
        app.Clock.SetDate(new DateOnly(2026, 11, 9));
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var customer = (await sales.CreatePartyAsync()).Id();
        var product = (await manager.PostCreatedAsync("/api/products", new { sku = "MRG-" + Guid.NewGuid().ToString("N")[..8], name = "Krzesło", kind = "Goods",
            netPrice = new { amount = "100.00", currency = "PLN" }, vatRateCode = "23", unitCost = new { amount = "60.00", currency = "PLN" } })).Id();
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "2", unitCost = "50.00" } } }));
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "1", unitCost = "70.00" } } }));
        var order = await OrderAsync(sales, customer, product, "3", "100.00");
        await sales.PostCreatedAsync($"/api/orders/{order.Id()}/issue", new { });   // 2 × 50.00 + 70.00 = 170.00
        var invoice = await sales.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { order.Id() } });
        var invoiceId = Guid.Parse(invoice.Str("invoiceId"));
        await sales.IssueAsync(invoiceId);

        await using var scope = app.Services.CreateAsyncScope();
        var margin = await scope.ServiceProvider.GetRequiredService<Kontor.Sales.SalesMargins>().ForInvoicesAsync([invoiceId]);
        // Revenue 3 × 100.00 = 300.00; cost 170.00 from the WZ (the catalogue would say 3 × 60.00 = 180.00).
        Assert.Equal((300.00m, 170.00m, 0m, 130.00m), (margin.Revenue, margin.CostOfGoods, margin.RevenueWithoutCost, margin.Margin));
        await AssertBooksMatchStockAsync(await app.ClientAsync(Roles.Accountant));
    }

    [Fact]
    public async Task A_correction_invoice_brings_its_returned_goods_back_at_the_cost_they_left_at()
    {
        app.Clock.SetDate(new DateOnly(2026, 12, 7));
        var sales = await app.ClientAsync(Roles.Sales);
        var customer = (await sales.CreatePartyAsync()).Id();
        var product = await GoodsAsync(sales);
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "1", unitCost = "30.00" } } }));
        await PostAsync(sales, await DraftAsync(sales, new { kind = "PZ", lines = new[] { new { productId = product, quantity = "3", unitCost = "36.00" } } }));
        var order = await OrderAsync(sales, customer, product, "4", "80.00");
        var wz = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/issue", new { });
        Assert.Equal(138.00m, wz.Amount("totalValue"));   // 30.00 + 3 × 36.00
        var invoiceId = Guid.Parse((await sales.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { order.Id() } })).Str("invoiceId"));
        await sales.IssueAsync(invoiceId);

        // The customer sends 2 back: the correction takes the line from 4 to 2, and the return needs no lines of its own.
        var correction = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{invoiceId}/corrections",
            new { reason = "Zwrot 2 szt.", lines = new[] { new { position = 1, quantity = "2" } } })).Id());
        var zw = await (await app.ClientAsync(Roles.Manager)).PostCreatedAsync($"/api/orders/{order.Id()}/stock-return", new { correctionInvoiceId = correction.Id() });
        // Average issue cost 138.00 / 4 = 34.50 → 2 × 34.50 = 69.00, Dr 330 / Cr 731.
        Assert.Equal(("ZW", 69.00m, correction.Id().ToString()), (zw.Str("kind"), zw.Amount("totalValue"), zw.Str("invoiceId")));
        var line = Assert.Single(zw.Arr("lines"))!;
        Assert.Equal(2m, Qty(line, "quantity"));
        Assert.Equal((2m, 69.00m), (Qty(await LevelAsync(sales, product), "onHand"), (await LevelAsync(sales, product)).Amount("value")));
        Assert.Equal([("330", 69.00m, 0m), ("731", 0m, 69.00m)], await PostingsAsync(await app.ClientAsync(Roles.Accountant), zw.Id()));

        // The rest comes back too: what is still out, 138.00 − 69.00, to the grosz.
        var rest = await (await app.ClientAsync(Roles.Manager)).PostCreatedAsync($"/api/orders/{order.Id()}/stock-return", new { lines = new[] { new { productId = product, quantity = "2" } } });
        Assert.Equal(69.00m, rest.Amount("totalValue"));
        await AssertBooksMatchStockAsync(await app.ClientAsync(Roles.Accountant));
    }

    public static TheoryData<string, string> BadDocuments => new()
    {
        { """{"lines":[{"productId":"PRODUCT","quantity":"1","unitCost":"1.00"}]}""", "kind" },
        { """{"kind":"PZ","lines":[{"productId":"PRODUCT","quantity":"1"}]}""", "lines[0].unitCost" },
        { """{"kind":"PZ","lines":[{"productId":"PRODUCT","quantity":"0","unitCost":"1.00"}]}""", "lines[0].quantity" },
        { """{"kind":"PZ","lines":[{"productId":"PRODUCT","quantity":"1.00001","unitCost":"1.00"}]}""", "lines[0].quantity" },
        { """{"kind":"PZ","lines":[{"productId":"SERVICE","quantity":"1","unitCost":"1.00"}]}""", "lines[0].productId" },
        { """{"kind":"PZ","lines":[{"productId":"00000000-0000-0000-0000-000000000001","quantity":"1","unitCost":"1.00"}]}""", "lines[0].productId" },
        { """{"kind":"PZ","lines":[{"productId":"PRODUCT","quantity":"1","value":"1.005"}]}""", "lines[0].value" },
        { """{"kind":"PZ","lines":[]}""", "lines" },
        { """{"kind":"RW","lines":[{"productId":"PRODUCT","quantity":"1"}]}""", "reason" },
        { """{"kind":"MM","lines":[{"productId":"PRODUCT","quantity":"1"}]}""", "targetWarehouseId" },
        { """{"kind":"ZW","lines":[{"productId":"PRODUCT","quantity":"1"}]}""", "orderId" },
        { """{"kind":"PZ","warehouseId":"00000000-0000-0000-0000-000000000002","lines":[{"productId":"PRODUCT","quantity":"1","unitCost":"1.00"}]}""", "warehouseId" },
        { """{"kind":"PZ","lines":[{"productId":"PRODUCT","quantity":"abc","unitCost":"1.00"}]}""", "lines[0].quantity" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Bad_input_is_400_naming_the_field_and_writes_nothing(string json, string field)
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await GoodsAsync(sales);
        var service = (await sales.PostCreatedAsync("/api/products", new { sku = "SRV-" + Guid.NewGuid().ToString("N")[..8], name = "Usługa", kind = "Service",
            netPrice = new { amount = "10.00", currency = "PLN" }, vatRateCode = "23" })).Id();
        var before = await app.QueryAsync(db => db.StockDocuments.CountAsync());
        var content = new StringContent(json.Replace("PRODUCT", product.ToString()).Replace("SERVICE", service.ToString()), System.Text.Encoding.UTF8, "application/json");
        var response = await sales.PostAsync("/api/stock-documents", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body?.ToJsonString()}");
        Assert.True(body?["errors"]?[field] is not null, $"expected an error on {field}: {body?.ToJsonString()}");
        Assert.Equal(before, await app.QueryAsync(db => db.StockDocuments.CountAsync()));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static async Task<Guid> GoodsAsync(HttpClient client) => (await client.CreateProductAsync("50.00")).Id();

    private static Task<JsonNode> DraftAsync(HttpClient client, object body) => client.PostCreatedAsync("/api/stock-documents", body);

    private static Task<JsonNode> PostAsync(HttpClient client, JsonNode draft) => client.PostOkAsync($"/api/stock-documents/{draft.Id()}/post");

    private static Task<JsonNode> OrderAsync(HttpClient client, Guid partyId, Guid productId, string quantity, string unitPrice = "50.00") =>
        client.PostCreatedAsync("/api/orders", new { partyId, currency = "PLN", pricingMode = "Net", lines = new[] { new { productId, quantity, unitPrice, vatRateCode = "23" } } });

    private static decimal Qty(JsonNode? node, string property) => node![property]!.GetValue<decimal>();

    private static async Task<JsonNode> LevelAsync(HttpClient client, Guid productId, bool allowMissing = false)
    {
        var rows = (await client.GetOkAsync($"/api/stock?productId={productId}")).Arr("rows").Where(r => r!.Str("warehouseCode") == "MAG").ToList();
        if (rows.Count == 0 && allowMissing) return new JsonObject { ["onHand"] = 0m, ["reserved"] = 0m, ["available"] = 0m, ["value"] = new JsonObject { ["amount"] = "0.00", ["currency"] = "PLN" } };
        return Assert.Single(rows)!;
    }

    private static async Task<List<(string Account, decimal Debit, decimal Credit)>> PostingsAsync(HttpClient accountant, Guid documentId)
    {
        var entries = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={documentId}")).AsArray();
        var entry = Assert.Single(entries)!;
        // Debit lines first, as the expectations are written.
        return entry.Arr("lines").Select(l => (l!.Str("accountCode"), l.Amount("debit"), l.Amount("credit"))).OrderByDescending(l => l.Item2).ThenBy(l => l.Item1).ToList();
    }

    /// <summary>The books stay balanced and 330 (Towary) holds exactly the value of stock.</summary>
    private static async Task AssertBooksMatchStockAsync(HttpClient accountant)
    {
        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-12-31");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        var row = trialBalance.Arr("rows").Single(r => r!.Str("accountCode") == "330")!;
        var stock = await accountant.GetOkAsync("/api/stock");
        Assert.Equal(stock.Amount("totalValue"), row.Amount("debit") - row.Amount("credit"));
    }
}

public sealed class SqliteInventoryTests(SqliteApp app) : InventoryTests<SqliteApp>(app);

public sealed class PostgresInventoryTests(PostgresApp app) : InventoryTests<PostgresApp>(app);
