using System.Net;
using System.Text;
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
/// Batched ingestion (docs/commerce.md "Batched ingestion"): deliveries taken together write what the same deliveries taken
/// one at a time write — new and matched customers, a new customer ordering twice in one batch, B2B, unpaid, held, updated,
/// duplicated — and a refusal inside a batch sends every delivery the one-at-a-time way.
/// </summary>
public abstract class ShopBatchIngestionTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private const string Secret = "whsec-batch-0123456789abcdef";

    private sealed record Setup(HttpClient Admin, Guid ChannelId, string Kubek, string Czajnik, string ExistingEmail, Guid ExistingPartyId);

    private async Task<Setup> SetupAsync(string? creditLimit = null)
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret);
        var (kubek, czajnik) = await SampleProductsAsync(admin);
        var email = $"stały{UniqueId()}@example.com";
        var party = await admin.PostCreatedAsync("/api/parties", new
        {
            kind = "Person", name = "Stały Klient", address = new { street = "ul. Stała 1", postalCode = "00-001", city = "Warszawa", countryCode = "PL" },
            email, creditLimit = creditLimit is null ? null : new { amount = creditLimit, currency = "PLN" },
        });
        return new Setup(admin, channelId, kubek, czajnik, email, party.Id());
    }

    /// <summary>One run of the scenario: fresh external ids and e-mails, the same shape every time.</summary>
    private static List<string> Scenario(Setup s)
    {
        string Id() => UniqueId();
        var (a, b, c, d, company) = (Id(), Id(), Id(), Id(), Id());
        var run = UniqueId();
        var b2b = WooOrder(company, s.Kubek, s.Czajnik, $"firma{run}@example.com");
        b2b["billing"]!["company"] = "Firma Handlowa Testowa";
        b2b["billing"]!["vat_number"] = Builders.UniqueNip();
        return
        [
            WooOrder(a, s.Kubek, s.Czajnik, $"a{run}@example.com").ToJsonString(),                                  // 0 new customer, paid
            WooOrder(b, s.Kubek, s.Czajnik, s.ExistingEmail).ToJsonString(),                                       // 1 existing customer, paid
            WooOrder(c, s.Kubek, s.Czajnik, $"b{run}@example.com", paid: false, status: "on-hold").ToJsonString(),   // 2 new customer, unpaid
            WooOrder(Id(), s.Kubek, s.Czajnik, $"a{run}@example.com").ToJsonString(),                                // 3 the customer of 0 again
            WooOrder(d, "NIEZNANY-SKU", s.Czajnik, $"c{run}@example.com").ToJsonString(),                        // 4 unknown SKU: held
            WooOrder(a, s.Kubek, s.Czajnik, $"a{run}@example.com", modifiedGmt: "2026-03-20T12:00:00", status: "completed").ToJsonString(), // 5 update of 0
            WooOrder(c, s.Kubek, s.Czajnik, $"b{run}@example.com", paid: false, status: "on-hold").ToJsonString(),   // 6 repeat of 2
            b2b.ToJsonString(),                                                                                   // 7 company with a VAT id
        ];
    }

    /// <summary>Ingests the deliveries as ONE batch (what the queue does with deliveries that arrive together).</summary>
    private Task<(int Together, List<IngestResult> Results)> IngestAsOneBatchAsync(Guid channelId, IReadOnlyList<string> bodies) =>
        IngestAsOneBatchAsync([.. bodies.Select(body => (channelId, body))]);

    private async Task<(int Together, List<IngestResult> Results)> IngestAsOneBatchAsync(IReadOnlyList<(Guid ChannelId, string Body)> deliveries)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        var batch = new List<PendingDelivery>();
        foreach (var (channelId, body) in deliveries)
        {
            var channel = await db.SalesChannels.AsNoTracking().FirstAsync(c => c.Id == channelId);
            batch.Add(new PendingDelivery(new ShopDelivery(channel, ShopOrderParser.Parse(channel.Type, channel.PriceMode, Encoding.UTF8.GetBytes(body)), body),
                TimeProvider.System.GetTimestamp()));
        }
        var together = await scope.ServiceProvider.GetRequiredService<ShopOrderIngestion>().IngestAsync(batch, CancellationToken.None);
        return (together, [.. await Task.WhenAll(batch.Select(p => p.Completion.Task))]);
    }

    private async Task<List<string>> IngestOneByOneAsync(Guid channelId, IReadOnlyList<string> bodies)
    {
        var outcomes = new List<string>();
        var anonymous = app.AnonymousClient();
        foreach (var body in bodies)
        {
            var (status, answer) = await DeliverAsync(anonymous, channelId, "woocommerce", body, Secret);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{status} {answer?.ToJsonString()}");
            outcomes.Add(answer.Str("outcome"));
        }
        return outcomes;
    }

    /// <summary>What a delivery made, without ids, numbers and times: comparable between two runs of the scenario.</summary>
    private async Task<List<string>> WhatWasWrittenAsync(Guid channelId, IReadOnlyList<string> bodies, Guid existingPartyId)
    {
        var externalIds = bodies.Select(b => JsonNode.Parse(b)!["id"]!.ToString()).ToList();
        return await app.QueryAsync(async db =>
        {
            var lines = new List<string>();
            var parties = new List<Guid>();
            foreach (var (externalId, index) in externalIds.Select((e, i) => (e, i)))
            {
                var order = await db.Orders.AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.ChannelId == channelId && o.ExternalOrderId == externalId);
                var log = string.Join(",", (await db.IntegrationLog.AsNoTracking().Where(e => e.ChannelId == channelId && e.ExternalId == externalId)
                    .Select(e => e.Status).ToListAsync()).Select(s => s.ToString()).Order());
                var held = await db.HeldShopOrders.AsNoTracking().Where(h => h.ChannelId == channelId && h.ExternalOrderId == externalId)
                    .Select(h => h.Status + " " + h.Attempts + " " + h.Reason).FirstOrDefaultAsync();
                if (order is null) { lines.Add($"#{index}: no order; held {held}; log {log}"); continue; }
                var party = await db.Parties.AsNoTracking().FirstAsync(p => p.Id == order.PartyId);
                if (!parties.Contains(party.Id)) parties.Add(party.Id);
                var who = party.Id == existingPartyId ? "existing" : $"party{parties.IndexOf(party.Id)}";
                var reserved = await db.StockReservations.AsNoTracking().Where(r => r.OrderId == order.Id).SumAsync(r => r.Reserved);
                var audit = string.Join(",", (await db.AuditEntries.AsNoTracking().Where(a => a.EntityId == order.Id.ToString()).Select(a => a.Action).ToListAsync()).Order());
                var text = $"#{index}: {who} {party.Kind} {party.Name} {party.TaxId is not null} {party.Address.City}; order {order.Status} {order.ExternalStatus} " +
                           $"{order.TotalNet}/{order.TotalVat}/{order.TotalGross} {order.Currency} lines {order.Lines.Count} paid {order.PaidAtShopOn} reserved {reserved}; audit {audit}; log {log}; held {held}";
                if (order.InvoiceId is { } invoiceId)
                {
                    var invoice = await db.Invoices.AsNoTracking().Include(i => i.Lines).FirstAsync(i => i.Id == invoiceId);
                    var allocated = await db.PaymentAllocations.AsNoTracking().Where(a => a.SourceId == invoiceId).SumAsync(a => a.Amount);
                    var paymentIds = await db.PaymentAllocations.AsNoTracking().Where(a => a.SourceId == invoiceId).Select(a => a.PaymentId).ToListAsync();
                    var ledger = string.Join(" ", (await db.JournalEntries.AsNoTracking().Where(e => e.SourceId == invoiceId || paymentIds.Contains(e.SourceId))
                            .SelectMany(e => e.Lines).Select(l => new { l.AccountCode, l.Debit, l.Credit }).ToListAsync())
                        .GroupBy(l => l.AccountCode).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Sum(l => l.Debit):0.00}/{g.Sum(l => l.Credit):0.00}"));
                    var invoiceAudit = string.Join(",", (await db.AuditEntries.AsNoTracking().Where(a => a.EntityId == invoiceId.ToString()).Select(a => a.Action).ToListAsync()).Order());
                    text += $"; invoice {invoice.Status} {invoice.Number is not null} {invoice.BuyerIsConsumer} {invoice.SaleDate} {invoice.TotalNet}/{invoice.TotalVat}/{invoice.TotalGross} " +
                            $"lines {invoice.Lines.Count} allocated {allocated:0.00} ledger {ledger}; audit {invoiceAudit}";
                }
                lines.Add(text);
            }
            return lines;
        });
    }

    [Fact]
    public async Task A_batch_writes_what_the_same_deliveries_one_at_a_time_write()
    {
        var setup = await SetupAsync();
        var batched = Scenario(setup);
        var (together, results) = await IngestAsOneBatchAsync(setup.ChannelId, batched);
        var single = Scenario(setup);
        var outcomes = await IngestOneByOneAsync(setup.ChannelId, single);

        // The new orders (0, 1, 2, 3, 7) went together; the held one, the update and the repeat one at a time after them.
        Assert.Equal(5, together);
        Assert.Equal(["Created", "Created", "Created", "Created", "Held", "Updated", "Duplicate", "Created"], results.Select(r => r.Outcome.ToString()));
        Assert.Equal(results.Select(r => r.Outcome.ToString()), outcomes);
        var expected = await WhatWasWrittenAsync(setup.ChannelId, single, setup.ExistingPartyId);
        var actual = await WhatWasWrittenAsync(setup.ChannelId, batched, setup.ExistingPartyId);
        Assert.Equal(expected, actual);
        // The customer of 0 ordering again in the same batch (3) is the party 0 created, not a second one; 1 is the existing customer.
        Assert.StartsWith("#3: party0 Person", actual[3]);
        Assert.StartsWith("#1: existing", actual[1]);
        Assert.Contains("#7: party", actual[7]);
        Assert.Contains("Company Firma Handlowa Testowa True", actual[7]);
        // Paid orders: invoice 2 × 45.00 + 1 × 120.00 − … = the sample's 252.15 gross, paid in full through 145.
        Assert.Contains("allocated 252.15 ledger 145:252.15/0.00 201:252.15/252.15 221:0.00/47.15 700:0.00/205.00", actual[0]);

        await using var check = app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<KontorDbContext>();
        var numbers = await db.Orders.AsNoTracking().Where(o => o.ChannelId == setup.ChannelId).Select(o => o.Number!).ToListAsync();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public async Task A_refusal_inside_a_batch_sends_every_delivery_the_one_at_a_time_way_and_only_the_refused_one_is_held()
    {
        // The existing customer may owe at most 1.00: its order is refused by credit control — and held — and the batch with it.
        var setup = await SetupAsync(creditLimit: "1.00");
        var run = UniqueId();
        var bodies = new[]
        {
            WooOrder(UniqueId(), setup.Kubek, setup.Czajnik, $"x{run}@example.com").ToJsonString(),
            WooOrder(UniqueId(), setup.Kubek, setup.Czajnik, setup.ExistingEmail).ToJsonString(),
            WooOrder(UniqueId(), setup.Kubek, setup.Czajnik, $"y{run}@example.com").ToJsonString(),
        };
        var (together, results) = await IngestAsOneBatchAsync(setup.ChannelId, bodies);

        Assert.Equal(0, together);
        Assert.Equal(["Created", "Held", "Created"], results.Select(r => r.Outcome.ToString()));
        Assert.Contains("credit limit 1.00 PLN exceeded", results[1].Message);
        var written = await WhatWasWrittenAsync(setup.ChannelId, bodies, setup.ExistingPartyId);
        Assert.StartsWith("#1: no order; held Open 1 Kontor refused the order: ", written[1]);
        Assert.Contains("allocated 252.15", written[0]);
        Assert.Contains("allocated 252.15", written[2]);
    }

    [Fact]
    public async Task A_buyer_of_two_channels_that_match_by_different_keys_is_one_customer_in_a_batch_as_one_at_a_time()
    {
        // Channel A knows customers by e-mail only, channel B by phone only; one buyer (same e-mail and phone) orders in both.
        var setup = await SetupAsync();
        async Task<Guid> ChannelAsync(string matching) => (await setup.Admin.PostCreatedAsync("/api/channels", new
        {
            name = $"Woo {matching} {Guid.NewGuid():N}"[..20], type = "WooCommerce", secret = Secret, invoiceMoment = "Never",
            customerMatching = new[] { matching }, createCompanyForVatId = true, priceMode = "Net",
        })).Id();
        var (byEmail, byPhone) = (await ChannelAsync("Email"), await ChannelAsync("Phone"));
        var run = UniqueId();
        JsonObject Order() { var o = WooOrder(UniqueId(), setup.Kubek, setup.Czajnik, $"obu{run}@example.com"); o["billing"]!["phone"] = $"+48 7{run[^8..]}"; return o; }

        var (together, results) = await IngestAsOneBatchAsync([(byEmail, Order().ToJsonString()), (byPhone, Order().ToJsonString())]);

        Assert.Equal(["Created", "Created"], results.Select(r => r.Outcome.ToString()));
        // The second buyer's key (phone) is one the first buyer's new party has: it waits for the next wave and finds it.
        Assert.Equal(2, together);
        var partyIds = await app.QueryAsync(db => db.Orders.AsNoTracking().Where(o => o.ChannelId == byEmail || o.ChannelId == byPhone)
            .Select(o => o.PartyId).Distinct().ToListAsync());
        Assert.Single(partyIds);
    }

    [Fact]
    public async Task A_shop_invoice_is_not_credit_checked_again_at_issue_so_two_paid_orders_within_the_limit_each_go_together()
    {
        // Limit 300.00: each paid order (252.15) passes at acceptance; its invoice is the debt the order promised and is paid at
        // once, so one at a time both go through. A batch must not add the two invoices up against the limit.
        var setup = await SetupAsync(creditLimit: "300.00");
        var bodies = new[]
        {
            WooOrder(UniqueId(), setup.Kubek, setup.Czajnik, setup.ExistingEmail).ToJsonString(),
            WooOrder(UniqueId(), setup.Kubek, setup.Czajnik, setup.ExistingEmail).ToJsonString(),
        };

        var (together, results) = await IngestAsOneBatchAsync(setup.ChannelId, bodies);

        Assert.Equal(2, together);
        Assert.Equal(["Created", "Created"], results.Select(r => r.Outcome.ToString()));
        var written = await WhatWasWrittenAsync(setup.ChannelId, bodies, setup.ExistingPartyId);
        Assert.All(written, w => Assert.Contains("allocated 252.15 ledger 145:252.15/0.00 201:252.15/252.15", w));
    }

    [Fact]
    public async Task Deliveries_posted_together_over_http_are_each_answered_once_with_their_own_order()
    {
        var setup = await SetupAsync();
        var run = UniqueId();
        var ids = Enumerable.Range(0, 12).Select(_ => UniqueId()).ToList();
        var bodies = ids.Select((id, i) => WooOrder(id, setup.Kubek, setup.Czajnik, $"h{i % 5}-{run}@example.com").ToJsonString())
            .Concat(Enumerable.Repeat(WooOrder(ids[0], setup.Kubek, setup.Czajnik, $"h0-{run}@example.com").ToJsonString(), 3)).ToList();
        var anonymous = app.AnonymousClient();

        var answers = await Task.WhenAll(bodies.Select(body => DeliverAsync(anonymous, setup.ChannelId, "woocommerce", body, Secret)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(12, answers.Count(a => a.Body.Str("outcome") == "Created"));
        Assert.Equal(3, answers.Count(a => a.Body.Str("outcome") == "Duplicate"));
        var orders = await app.QueryAsync(db => db.Orders.AsNoTracking().Where(o => o.ChannelId == setup.ChannelId)
            .Select(o => new { o.ExternalOrderId, o.PartyId, o.InvoiceId }).ToListAsync());
        Assert.Equal(ids.Order(), orders.Select(o => o.ExternalOrderId!).Order());
        // Five e-mails: five customers, however the deliveries fell into batches.
        Assert.Equal(5, orders.Select(o => o.PartyId).Distinct().Count());
        Assert.All(orders, o => Assert.NotNull(o.InvoiceId));
        var answeredIds = answers.Select(a => a.Body.Str("orderId")).Distinct().Count();
        Assert.Equal(12, answeredIds);
    }

    [Fact]
    public async Task The_ingestion_metrics_count_every_answer_by_outcome_and_every_delivery_taken_in_a_batch()
    {
        var setup = await SetupAsync();
        var run = UniqueId();
        var ids = Enumerable.Range(0, 6).Select(_ => UniqueId()).ToList();
        var bodies = ids.Select((id, i) => WooOrder(id, setup.Kubek, setup.Czajnik, $"m{i % 3}-{run}@example.com").ToJsonString())
            .Append(WooOrder(ids[0], setup.Kubek, setup.Czajnik, $"m0-{run}@example.com").ToJsonString())
            .Append(WooOrder(UniqueId(), "NIEZNANY-SKU", setup.Czajnik, $"m9-{run}@example.com").ToJsonString()).ToList();
        var anonymous = app.AnonymousClient();
        using var figures = new IngestionMetricsOf(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        var answers = await Task.WhenAll(bodies.Select(body => DeliverAsync(anonymous, setup.ChannelId, "woocommerce", body, Secret)));
        var forged = await DeliverAsync(anonymous, setup.ChannelId, "woocommerce", bodies[1], "not-the-secret");
        var malformed = await DeliverAsync(anonymous, setup.ChannelId, "woocommerce", "{\"id\": ", Secret);
        var nowhere = await DeliverAsync(anonymous, Guid.NewGuid(), "woocommerce", bodies[1], Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal(HttpStatusCode.NotFound, nowhere.Status);
        var outcomes = answers.GroupBy(a => a.Body.Str("outcome")!.ToLowerInvariant()).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(new Dictionary<string, long> { ["created"] = 6, ["duplicate"] = 1, ["held"] = 1 }, outcomes);
        Assert.Equal(new Dictionary<string, long> { ["created"] = 6, ["duplicate"] = 1, ["held"] = 1, ["bad_signature"] = 1, ["malformed"] = 1, ["no_such_channel"] = 1 },
            figures.Deliveries("woocommerce"));
        // Every verified, parsed delivery went through the queue once; each batch was timed (just after its callers were
        // answered, so it may come a moment later); each delivery's wait was recorded.
        for (var i = 0; i < 100 && figures.SizesSum() < 8; i++) await Task.Delay(20);
        Assert.Equal(8, figures.SizesSum());
        Assert.Equal(figures.Sizes.Count, figures.Durations.Count);
        Assert.All(figures.Durations, d => Assert.True(d > 0));
        Assert.Equal(8, figures.Waits.Count);
    }

    [Fact]
    public async Task A_delivery_whose_shop_hung_up_is_still_ingested_and_counted_as_abandoned()
    {
        var setup = await SetupAsync();
        var id = UniqueId();
        var body = WooOrder(id, setup.Kubek, setup.Czajnik, $"hang-{UniqueId()}@example.com").ToJsonString();
        using var figures = new IngestionMetricsOf(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var hangUp = new CancellationTokenSource();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var signature = Base64Hmac(Secret, body);
            var answer = scope.ServiceProvider.GetRequiredService<ShopWebhookReceiver>().ReceiveAsync(setup.ChannelId, ChannelType.WooCommerce,
                Encoding.UTF8.GetBytes(body), name => name == "X-WC-Webhook-Signature" ? signature : null, hangUp.Token);
            hangUp.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer);
        }

        Task<bool> CreatedAsync() => app.QueryAsync(db => db.Orders.AnyAsync(o => o.ChannelId == setup.ChannelId && o.ExternalOrderId == id));
        for (var i = 0; i < 100 && !await CreatedAsync(); i++) await Task.Delay(50);
        Assert.True(await CreatedAsync(), "the delivery is taken although nobody waits for its answer");
        Assert.Equal(new Dictionary<string, long> { ["abandoned"] = 1 }, figures.Deliveries("woocommerce"));
    }
}

public sealed class SqliteShopBatchIngestionTests(SqliteApp app) : ShopBatchIngestionTests<SqliteApp>(app);

public sealed class PostgresShopBatchIngestionTests(PostgresApp app) : ShopBatchIngestionTests<PostgresApp>(app);
