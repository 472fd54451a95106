using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Crm.Credit;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Sales;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kontor.Tests.Orders;

/// <summary>
/// <see cref="OrderService.CreateManyAsync"/> (docs/commerce.md, "Batched order intake"): N orders in one call write what N
/// single creations write, refuse as a whole naming the item, read a fixed number of times whatever N, and join an outer unit of work.
/// </summary>
public abstract partial class OrderBatchTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>Parties and products of one database by the test's own names (ids differ between databases).</summary>
    private sealed record World(Dictionary<string, Guid> Parties, Dictionary<string, Guid> Products);

    /// <summary>
    /// Alfa (no limit), Beta (limit 450.00 PLN), Gamma; goods G1 (100.00 net, 5 in stock) and G2 (40.00 net, 3 in stock), service S1 (200.00).
    /// </summary>
    private static async Task<World> WorldAsync(KontorApp target, string prefix)
    {
        var admin = await target.ClientAsync(Roles.Admin);
        var parties = new Dictionary<string, Guid>
        {
            ["Alfa"] = (await admin.CreatePartyAsync(prefix + "Alfa")).Id(),
            ["Beta"] = (await admin.CreatePartyAsync(prefix + "Beta", creditLimit: "450.00")).Id(),
            ["Gamma"] = (await admin.CreatePartyAsync(prefix + "Gamma")).Id(),
        };
        var products = new Dictionary<string, Guid>();
        foreach (var (name, price, kind) in new[] { ("G1", "100.00", "Goods"), ("G2", "40.00", "Goods"), ("S1", "200.00", "Service") })
            products[name] = (await admin.PostCreatedAsync("/api/products", new
            {
                sku = prefix + name, name = "Produkt " + name, kind, unit = "szt.", netPrice = new { amount = price, currency = "PLN" }, vatRateCode = "23",
            })).Id();
        foreach (var (name, quantity) in new[] { ("G1", "5"), ("G2", "3") })
        {
            var receipt = await admin.PostCreatedAsync("/api/stock-documents", new { kind = "PZ", lines = new[] { new { productId = products[name], quantity, unitCost = "10.00" } } });
            await admin.PostOkAsync($"/api/stock-documents/{receipt.Id()}/post");
        }
        return new World(parties, products);
    }

    private static InvoiceLineInput Line(World w, string product, decimal quantity, decimal? unitPrice = null, decimal? discount = null) =>
        new(w.Products[product], null, quantity, unitPrice, discount, null, null);

    /// <summary>The table of the equivalence test: what each order asks for.</summary>
    private static List<CreateOrder> Orders(World w) =>
    [
        // 0: 3 × 100.00 + 200.00 = 500.00 net, 615.00 gross; takes 3 of the 5 G1.
        new(w.Parties["Alfa"], "PLN", PricingMode.Net, "pierwsze", [Line(w, "G1", 3), Line(w, "S1", 1)]),
        // 1: 300.00 + 35.00 (price by hand) = 335.00 net, 412.05 gross; G1: 2 of 3 left (1 backordered), G2: 1.
        new(w.Parties["Beta"], "PLN", PricingMode.Net, null, [Line(w, "G1", 3), Line(w, "G2", 1, unitPrice: 35.00m)]),
        // 2: gross prices 2 × 49.20 + 123.00 = 221.40 gross (180.00 net + 41.40 VAT); G2: the last 2, G1: nothing left.
        new(w.Parties["Alfa"], "PLN", PricingMode.Gross, null, [Line(w, "G2", 2), Line(w, "G1", 1)]),
        // 3: a service in EUR, 2 × 50.00 = 100.00 net, 123.00 gross; reserves nothing.
        new(w.Parties["Gamma"], "EUR", PricingMode.Net, null, [Line(w, "S1", 2, unitPrice: 50.00m)]),
        // 4: 40.00 − 10 % = 36.00 net, 44.28 gross; G2: none left. Beta's 412.05 + 44.28 = 456.33 is over its 450.00 limit, but an
        // order is no debt in the ledger, so on its own (and so in the batch) each is within the limit.
        new(w.Parties["Beta"], "PLN", PricingMode.Net, null, [Line(w, "G2", 1, discount: 10m)]),
    ];

    [Fact]
    public async Task A_batch_writes_what_the_same_orders_created_one_by_one_write()
    {
        var date = new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);
        await using var single = app.CreateFresh(new Dictionary<string, string?>());
        await using var batch = app.CreateFresh(new Dictionary<string, string?>());
        single.Clock.Set(date);
        batch.Clock.Set(date);
        await single.InitializeAsync();
        await batch.InitializeAsync();
        var singleWorld = await WorldAsync(single, "");
        var batchWorld = await WorldAsync(batch, "");

        foreach (var command in Orders(singleWorld))
        {
            await using var scope = single.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderService>().CreateAsync(command);
        }
        IReadOnlyList<Order> created;
        await using (var scope = batch.Services.CreateAsyncScope())
            created = await scope.ServiceProvider.GetRequiredService<OrderService>().CreateManyAsync(Orders(batchWorld));

        Assert.Equal(["ZAM/2026/06/1", "ZAM/2026/06/2", "ZAM/2026/06/3", "ZAM/2026/06/4", "ZAM/2026/06/5"], created.Select(o => o.Number));
        Assert.Equal([615.00m, 412.05m, 221.40m, 123.00m, 44.28m], created.Select(o => o.TotalGross));
        Assert.Equal(41.40m, created[2].TotalVat);

        var expected = await SnapshotAsync(single);
        var actual = await SnapshotAsync(batch);
        // By hand: G1 5 on hand → orders 1, 2, 3 get 3, 2, 0; G2 3 on hand → orders 2, 3, 5 get 1, 2, 0.
        Assert.Equal(
        [
            "ZAM/2026/06/1 G1 MAG ordered 3 reserved 3 issued 0 released False",
            "ZAM/2026/06/2 G1 MAG ordered 3 reserved 2 issued 0 released False",
            "ZAM/2026/06/2 G2 MAG ordered 1 reserved 1 issued 0 released False",
            "ZAM/2026/06/3 G1 MAG ordered 1 reserved 0 issued 0 released False",
            "ZAM/2026/06/3 G2 MAG ordered 2 reserved 2 issued 0 released False",
            "ZAM/2026/06/5 G2 MAG ordered 1 reserved 0 issued 0 released False",
        ], actual.Reservations);
        Assert.Equal(["G1 MAG on hand 5 reserved 5", "G2 MAG on hand 3 reserved 3"], actual.Levels);
        Assert.Equal(5, actual.History.Count);
        Assert.Equal(expected.Orders, actual.Orders);
        Assert.Equal(expected.Lines, actual.Lines);
        Assert.Equal(expected.Reservations, actual.Reservations);
        Assert.Equal(expected.Levels, actual.Levels);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Audit, actual.Audit);
        Assert.Equal(expected.Counters, actual.Counters);
        Assert.Contains("ZAM/2026/06/2 order.created", actual.Audit.Select(a => string.Join(' ', a.Split(' ').Take(2))));
    }

    private sealed record Snapshot(List<string> Orders, List<string> Lines, List<string> Reservations, List<string> Levels, List<string> History, List<string> Audit, List<string> Counters);

    /// <summary>Every row order creation writes, ids replaced by names (order number, party name, SKU, warehouse code).</summary>
    private static Task<Snapshot> SnapshotAsync(KontorApp target) => target.QueryAsync(async db =>
    {
        var parties = await db.Parties.ToDictionaryAsync(p => p.Id, p => p.Name);
        var skus = await db.Products.ToDictionaryAsync(p => p.Id, p => p.Sku);
        var warehouses = await db.Warehouses.ToDictionaryAsync(w => w.Id, w => w.Code);
        var orders = await db.Orders.Include(o => o.Lines).ToListAsync();
        var numbers = orders.ToDictionary(o => o.Id, o => o.Number);
        string Name(string entityId) => Guid.TryParse(entityId, out var id) && numbers.TryGetValue(id, out var n) ? n : entityId;
        var audit = (await db.AuditEntries.Where(a => a.EntityType == nameof(Order) || a.Action.StartsWith("credit")).ToListAsync())
            .Select(a => $"{Name(a.EntityId)} {a.Action} {a.EntityType} {a.UserName} {Ids().Replace(a.Details, "<id>")}").Order(StringComparer.Ordinal).ToList();
        return new Snapshot(
            orders.OrderBy(o => o.Number, StringComparer.Ordinal).Select(o =>
                $"{o.Number} {parties[o.PartyId]} {o.Status} {o.OrderedOn} {o.Currency} {o.PricingMode} {o.TotalNet} {o.TotalVat} {o.TotalGross} {o.Notes} {o.CampaignId} {o.ChannelId} {o.InvoiceId}").ToList(),
            orders.SelectMany(o => o.Lines.Select(l =>
                $"{o.Number} {l.Position} {(l.ProductId is { } p ? skus[p] : "-")} {l.Description} {l.Unit} {l.Quantity} {l.UnitPrice} {l.DiscountPercent} {l.VatRateCode} {l.VatKind} {l.VatPercent} {l.Net} {l.Vat} {l.Gross} {l.PriceSource} {l.PriceSourceName} {l.AutomaticUnitPrice} {l.DiscountSource} {l.AutomaticDiscountPercent}"))
                .Order(StringComparer.Ordinal).ToList(),
            (await db.StockReservations.ToListAsync()).Select(r =>
                $"{numbers[r.OrderId]} {skus[r.ProductId]} {warehouses[r.WarehouseId]} ordered {r.Ordered:0.####} reserved {r.Reserved:0.####} issued {r.Issued:0.####} released {r.Released}")
                .Order(StringComparer.Ordinal).ToList(),
            (await db.StockLevels.ToListAsync()).Select(l => $"{skus[l.ProductId]} {warehouses[l.WarehouseId]} on hand {l.OnHand:0.####} reserved {l.Reserved:0.####}")
                .Order(StringComparer.Ordinal).ToList(),
            (await db.OrderStatusChanges.ToListAsync()).Select(c => $"{numbers[c.OrderId]} {c.From} {c.To} {c.Actor}").Order(StringComparer.Ordinal).ToList(),
            audit,
            (await db.NumberingCounters.Join(db.NumberingSeries, c => c.SeriesId, s => s.Id, (c, s) => new { s.DocumentType, c.Period, c.LastValue }).ToListAsync())
                .Select(c => $"{c.DocumentType} {c.Period} {c.LastValue}").Order(StringComparer.Ordinal).ToList());
    });

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Ids();

    /// <summary>Everything a refused batch could have written, for "nothing was written".</summary>
    private Task<string> WrittenAsync() => app.QueryAsync(async db =>
        $"orders {await db.Orders.CountAsync()} lines {await db.OrderLines.CountAsync()} history {await db.OrderStatusChanges.CountAsync()} " +
        $"reservations {await db.StockReservations.CountAsync()} reserved {string.Join(",", (await db.StockLevels.Select(l => l.Reserved).ToListAsync()).Order())} " +
        $"audit {await db.AuditEntries.CountAsync()} numbers {string.Join(",", (await db.NumberingCounters.Select(c => c.LastValue).ToListAsync()).Order())}");

    [Fact]
    public async Task A_refused_item_refuses_the_batch_naming_it_and_nothing_is_written()
    {
        app.Clock.Set(new DateTimeOffset(2026, 7, 6, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "R-" + Guid.NewGuid().ToString("N")[..6] + "-");
        var ok = new CreateOrder(w.Parties["Alfa"], "PLN", PricingMode.Net, null, [Line(w, "G1", 1)]);
        await using var scope = app.Services.CreateAsyncScope();
        var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
        var before = await WrittenAsync();

        // A bad line of the second order; the third has no lines at all.
        var bad = await Assert.ThrowsAsync<ValidationException>(() => orders.CreateManyAsync(
            [ok, ok with { Lines = [Line(w, "G1", 0)] }, ok with { Lines = [] }]));
        Assert.Equal(["orders[1].lines[0].quantity", "orders[2].lines"], bad.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before, await WrittenAsync());

        // A party that does not exist.
        var unknown = await Assert.ThrowsAsync<ValidationException>(() => orders.CreateManyAsync([ok, ok, ok with { PartyId = Guid.NewGuid() }]));
        Assert.Equal(["orders[2].partyId"], unknown.Errors.Keys);
        Assert.Equal(before, await WrittenAsync());

        // Beta's limit is 450.00: 4 × G1 = 400.00 net, 492.00 gross is over it.
        var blocked = await Assert.ThrowsAsync<CreditBlockedException>(() => orders.CreateManyAsync(
            [ok, ok with { PartyId = w.Parties["Beta"], Lines = [Line(w, "G1", 4)] }]));
        Assert.Equal("orders[1]", blocked.Item);
        Assert.StartsWith("orders[1]: Credit control blocks new documents for ", blocked.Message);
        Assert.Equal(492.00m, blocked.Decision.DocumentGross);
        Assert.Equal([CreditBlockReason.LimitExceeded], blocked.Decision.Reasons);
        Assert.Equal(before, await WrittenAsync());

        // The single call names its fields as it always did.
        var single = await Assert.ThrowsAsync<ValidationException>(() => orders.CreateAsync(ok with { Lines = [Line(w, "G1", 0)] }));
        Assert.Equal(["lines[0].quantity"], single.Errors.Keys);
        var singleBlocked = await Assert.ThrowsAsync<CreditBlockedException>(() => orders.CreateAsync(ok with { PartyId = w.Parties["Beta"], Lines = [Line(w, "G1", 4)] }));
        Assert.Null(singleBlocked.Item);
        Assert.StartsWith("Credit control blocks new documents for ", singleBlocked.Message);
        Assert.Equal(before, await WrittenAsync());
    }

    [Fact]
    public async Task A_refused_move_is_said_in_the_readers_language_with_the_statuses_as_the_ui_names_them()
    {
        app.Clock.Set(new DateTimeOffset(2026, 7, 8, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "L-" + Guid.NewGuid().ToString("N")[..6] + "-");
        await using var scope = app.Services.CreateAsyncScope();
        var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
        var cancelled = await orders.CreateAsync(new CreateOrder(w.Parties["Alfa"], "PLN", PricingMode.Net, null, [Line(w, "G1", 1)]));
        await orders.ChangeStatusAsync(cancelled.Id, OrderStatus.Cancelled);
        var open = await orders.CreateAsync(new CreateOrder(w.Parties["Alfa"], "PLN", PricingMode.Net, null, [Line(w, "G1", 1)]));

        using (UiLanguage.Use("pl"))
        {
            Assert.Equal($"Zamówienie {cancelled.Number} ma status „Anulowane” i nie może przejść w status „Wysłane”.",
                (await Assert.ThrowsAsync<ConflictException>(() => orders.ShipAsync(cancelled.Id, null))).Message);
            Assert.Equal(["Data nie może być wcześniejsza niż data zamówienia (2026-07-08)."],
                (await Assert.ThrowsAsync<ValidationException>(() => orders.ShipAsync(open.Id, new ShipOrder(Date: new DateOnly(2026, 7, 1))))).Errors["date"]);

            CultureInfo.CurrentUICulture = new CultureInfo("ru");
            Assert.Equal($"Заказ {cancelled.Number} в статусе «Отменён» и не может перейти в статус «Отгружен».",
                (await Assert.ThrowsAsync<ConflictException>(() => orders.ShipAsync(cancelled.Id, null))).Message);
            Assert.Equal(["Дата не может быть раньше, чем дата заказа (2026-07-08)."],
                (await Assert.ThrowsAsync<ValidationException>(() => orders.ShipAsync(open.Id, new ShipOrder(Date: new DateOnly(2026, 7, 1))))).Errors["date"]);

            // The API's English is what it always was: the status as the lowercase word, the date's name in English.
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal($"Order {cancelled.Number} is cancelled and cannot become shipped.",
                (await Assert.ThrowsAsync<ConflictException>(() => orders.ShipAsync(cancelled.Id, null))).Message);
            Assert.Equal(["The date may not be before the order date (2026-07-08)."],
                (await Assert.ThrowsAsync<ValidationException>(() => orders.ShipAsync(open.Id, new ShipOrder(Date: new DateOnly(2026, 7, 1))))).Errors["date"]);
        }
    }

    /// <summary>N orders cycling over the world's parties and goods, each with a goods line and a service line.</summary>
    private static List<CreateOrder> Many(World w, int n) =>
        [.. Enumerable.Range(0, n).Select(i => new CreateOrder(
            w.Parties[new[] { "Alfa", "Gamma" }[i % 2]], "PLN", PricingMode.Net, null,
            [Line(w, new[] { "G1", "G2" }[i % 2], 1 + i % 3), Line(w, "S1", 1)]))];

    private static bool IsRead(string sql) => sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task The_reads_of_a_batch_do_not_grow_with_the_number_of_orders()
    {
        app.Clock.Set(new DateTimeOffset(2026, 8, 4, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "C-" + Guid.NewGuid().ToString("N")[..6] + "-");
        // Once first: reference data (VAT rates, series) is cached for a minute and read by whichever call comes first.
        await CountAsync(Many(w, 2));

        var one = await CountAsync(Many(w, 1));
        var twenty = await CountAsync(Many(w, 20));
        output.WriteLine($"N=1: {one.Reads} reads, {one.Commands} commands; N=20: {twenty.Reads} reads, {twenty.Commands} commands");
        output.WriteLine(string.Join("\n", twenty.Texts.Where(IsRead).Select(t => t.ReplaceLineEndings(" ")[..Math.Min(160, t.Length)])));
        Assert.True(one.Reads == twenty.Reads, $"reads N=1 {one.Reads} vs N=20 {twenty.Reads}:\n{string.Join("\n", twenty.Texts.Where(IsRead))}");
        // Writes besides the inserts of the one save (PostgreSQL batches them, SQLite sends one per row): the numbering
        // counter's UPDATE and one conditional UPDATE per (warehouse, product) — G1 and G2 here — for N=1 and N=20 alike.
        var updates = twenty.Texts.Where(t => !IsRead(t) && !t.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(updates.Count == 3, $"{updates.Count} writes besides inserts:\n{string.Join("\n", updates)}");
        // The unit of work saves once at its end; the outbound stock sync (ChannelSync, a participant) saves once before
        // it reads, as soon as any stock row was touched — per batch, not per order.
        Assert.Equal((2, 2), (one.Saves, twenty.Saves));
    }

    private async Task<(int Reads, int Commands, int Saves, List<string> Texts)> CountAsync(List<CreateOrder> commands)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        using var counter = new ContextCounter(db);
        await scope.ServiceProvider.GetRequiredService<OrderService>().CreateManyAsync(commands);
        var texts = counter.CommandTexts.ToList();
        return (texts.Count(IsRead), texts.Count, counter.Saves, texts);
    }

    [Fact]
    public async Task A_batch_joins_the_callers_unit_of_work_and_rolls_back_with_it()
    {
        app.Clock.Set(new DateTimeOffset(2026, 9, 7, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "U-" + Guid.NewGuid().ToString("N")[..6] + "-");
        var before = await WrittenAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.ExecuteAsync<int>(async token =>
            {
                await orders.CreateManyAsync(Many(w, 3), token);
                throw new InvalidOperationException("the caller fails after the orders");
            }));
        }
        Assert.Equal(before, await WrittenAsync());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            var created = await unitOfWork.ExecuteAsync(async token =>
            {
                var first = await orders.CreateManyAsync(Many(w, 2), token);
                var second = await orders.CreateManyAsync(Many(w, 1), token);
                return first.Concat(second).ToList();
            });
            Assert.Equal(["ZAM/2026/09/1", "ZAM/2026/09/2", "ZAM/2026/09/3"], created.Select(o => o.Number));
        }
        // Alfa: G1 × 1 and G1 × 1 (orders 1 and 3), Gamma: G2 × 2 (order 2): all in stock.
        var reserved = await app.QueryAsync(db => db.StockReservations.Where(r => r.ProductId == w.Products["G1"] || r.ProductId == w.Products["G2"])
            .Join(db.Orders, r => r.OrderId, o => o.Id, (r, o) => new { o.Number, r.ProductId, r.Reserved }).ToListAsync());
        Assert.Equal(["ZAM/2026/09/1 1", "ZAM/2026/09/2 2", "ZAM/2026/09/3 1"], reserved.Select(r => $"{r.Number} {r.Reserved:0.####}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_batches_never_reserve_more_than_is_available()
    {
        app.Clock.Set(new DateTimeOffset(2026, 11, 9, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "P-" + Guid.NewGuid().ToString("N")[..6] + "-");
        // G1: 5 on hand. Four batches at once, each of three orders for 1 × G1 (12 wanted): whichever way the writers
        // interleave (on PostgreSQL a batch's read may be overtaken before its UPDATE), exactly 5 are reserved, 7 backordered.
        var batches = Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OrderService>().CreateManyAsync(
                [.. Enumerable.Range(0, 3).Select(_ => new CreateOrder(w.Parties["Alfa"], "PLN", PricingMode.Net, null, [Line(w, "G1", 1)]))]);
        }).ToList();
        await Task.WhenAll(batches);

        var (reservations, level) = await app.QueryAsync(async db => (
            await db.StockReservations.Where(r => r.ProductId == w.Products["G1"]).Select(r => new { r.Ordered, r.Reserved }).ToListAsync(),
            await db.StockLevels.Where(l => l.ProductId == w.Products["G1"]).Select(l => new { l.OnHand, l.Reserved }).SingleAsync()));
        Assert.Equal(12, reservations.Count);
        Assert.All(reservations, r => Assert.Equal(1m, r.Ordered));
        Assert.Equal(5m, reservations.Sum(r => r.Reserved));
        Assert.Equal((5m, 5m), (level.OnHand, level.Reserved));
    }

    [Fact]
    public async Task A_batch_overtaken_between_its_read_and_its_update_shares_out_what_is_left()
    {
        app.Clock.Set(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "O-" + Guid.NewGuid().ToString("N")[..6] + "-");
        var g1 = w.Products["G1"];
        var warehouse = await app.QueryAsync(db => db.Warehouses.Where(x => x.IsDefault).Select(x => x.Id).SingleAsync());
        // Another writer reserves 3 of the 5 G1 and holds its transaction open while the batch (an order for 4) runs. On
        // PostgreSQL the batch reads 5 available, and its UPDATE waits for the writer's row lock; when the writer commits the
        // UPDATE's condition fails and the batch reads again and takes the 2 left. On SQLite the batch waits for the writer
        // before it begins. Either way: 2 reserved, 2 backordered.
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var writer = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ExecuteAsync(async token =>
            {
                Assert.True(await scope.ServiceProvider.GetRequiredService<Kontor.Inventory.StockBook>().TryReserveAsync(warehouse, g1, 3, token));
                holding.SetResult();
                await release.Task;
                return 0;
            });
        });
        await holding.Task;
        var batch = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OrderService>().CreateManyAsync(
                [new CreateOrder(w.Parties["Alfa"], "PLN", PricingMode.Net, null, [Line(w, "G1", 4)])]);
        });
        await Task.Delay(1500);
        release.SetResult();
        await writer;
        var order = Assert.Single(await batch);

        var (reserved, level) = await app.QueryAsync(async db => (
            await db.StockReservations.Where(r => r.OrderId == order.Id).Select(r => r.Reserved).SingleAsync(),
            await db.StockLevels.Where(l => l.ProductId == g1).Select(l => l.Reserved).SingleAsync()));
        Assert.Equal((2m, 5m), (reserved, level));
    }

    [Fact]
    public async Task Fifty_single_creations_against_one_batch_of_fifty()
    {
        app.Clock.Set(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero));
        var w = await WorldAsync(app, "M-" + Guid.NewGuid().ToString("N")[..6] + "-");
        await CountAsync(Many(w, 2)); // warm up: JIT, reference data

        const int n = 50;
        var commands = Many(w, n);
        int singleCommands, singleSaves, singleReads;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            using var counter = new ContextCounter(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            foreach (var command in commands) await orders.CreateAsync(command);
            (singleCommands, singleSaves, singleReads) = (counter.Commands, counter.Saves, counter.CommandTexts.Count(IsRead));
        }
        var singleCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var singleWall = clock.Elapsed.TotalMilliseconds;

        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var batch = await CountAsync(commands);
        var batchCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var batchWall = clock.Elapsed.TotalMilliseconds;

        output.WriteLine($"{app.Provider}, per order: 50 singles {singleCommands / (double)n:0.00} commands ({singleReads / (double)n:0.00} reads), {singleSaves / (double)n:0.00} saves, " +
                         $"{singleCpu / n:0.00} ms CPU, {singleWall / n:0.00} ms wall; one batch of 50 {batch.Commands / (double)n:0.00} commands " +
                         $"({batch.Reads} reads in all), {batch.Saves / (double)n:0.00} saves, {batchCpu / n:0.00} ms CPU, {batchWall / n:0.00} ms wall");
        Assert.Equal(2, batch.Saves);
        Assert.True(batch.Commands < singleCommands);
    }
}

public sealed class SqliteOrderBatchTests(SqliteApp app, ITestOutputHelper output) : OrderBatchTests<SqliteApp>(app, output);

public sealed class PostgresOrderBatchTests(PostgresApp app, ITestOutputHelper output) : OrderBatchTests<PostgresApp>(app, output);
