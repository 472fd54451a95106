using System.Net;
using System.Net.Http.Headers;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kontor.Tests.Commerce.CommerceSamples;

namespace Kontor.Tests.Commerce;

/// <summary>
/// A refund goes back the way the money came, also when the invoice was paid in several ways (docs/commerce.md "Returns and
/// refunds", decision 51): the credit is covered by the invoice's incoming payments newest first, each part through its payment's
/// <see cref="Payment.Via"/>, one outgoing payment per account. Figures worked out by hand in the comments.
/// </summary>
public abstract partial class OrderReturnTests<TApp>
{
    /// <summary>The money accounts' balances in the book currency over the whole (per-class) database: the gateway's 145 and the bank's 130.</summary>
    private Task<(decimal On145, decimal On130)> MoneyAccountsAsync() =>
        app.QueryAsync(async db =>
        {
            var lines = await db.JournalLines.Where(l => l.AccountCode == "145" || l.AccountCode == "130")
                .Select(l => new { l.AccountCode, l.BaseDebit, l.BaseCredit }).ToListAsync();
            return (lines.Where(l => l.AccountCode == "145").Sum(l => l.BaseDebit - l.BaseCredit),
                lines.Where(l => l.AccountCode == "130").Sum(l => l.BaseDebit - l.BaseCredit));
        });

    /// <summary>The return's refund parts as the API lists them: (via, amount, the incoming payment given back, the refund payment).</summary>
    private static List<(string Via, decimal Amount, Guid Incoming, Guid Payment)> RefundParts(System.Text.Json.Nodes.JsonNode returned) =>
        returned.Arr("refunds").Select(r => (r.Str("via"), r.Amount("amount"), Guid.Parse(r.Str("incomingPaymentId")), Guid.Parse(r.Str("paymentId")))).ToList();

    /// <summary>
    /// A WooCommerce order (2 mugs 90.00 + kettle 100.00 + shipping 15.00 net = 205.00 + VAT 47.15 = 252.15) on an OnShipment channel,
    /// delivered unpaid and invoiced by a person. The customer pays 152.15 by bank transfer (Dr 130 / Cr 201); a minute later the shop
    /// says paid and the gateway's payment takes the 100.00 still open (Dr 145 / Cr 201) — the newest money. Then the goods ship.
    /// </summary>
    private async Task<(HttpClient Admin, Guid OrderId, Guid PartyId, Guid BankPaymentId, Guid GatewayPaymentId, Guid KubekId)> SplitPaidShippedWooOrderAsync(
        HttpClient admin, string kubek, string czajnik)
    {
        var channelId = await CreateChannelAsync(admin, "WooCommerce", Secret, priceMode: "Net", invoiceMoment: "OnShipment");
        var (id, email) = (UniqueId(), $"split{UniqueId()}@example.com");
        var (status, answer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
            WooOrder(id, kubek, czajnik, email, "2026-03-20T10:00:00", paid: false, status: "on-hold").ToJsonString(), Secret);
        Assert.True(status == HttpStatusCode.OK, $"{status} {answer?.ToJsonString()}");
        var orderId = Guid.Parse(answer.Str("orderId"));
        var partyId = Guid.Parse((await admin.GetOkAsync($"/api/orders/{orderId}")).Str("partyId"));
        var draft = await admin.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { orderId } });
        var invoice = await admin.PostOkAsync($"/api/invoices/{draft.Str("invoiceId")}/issue");
        Assert.Equal(252.15m, invoice.Amount("totalGross"));

        var bank = await admin.PostCreatedAsync("/api/payments", new
        {
            partyId, amount = new { amount = "152.15", currency = "PLN" }, reference = "Przelew",
            allocations = new[] { new { invoiceId = invoice.Id(), amount = "152.15" } },
        });
        Assert.Equal("Bank", bank.Str("via"));

        app.Clock.Set(app.Clock.GetUtcNow().AddMinutes(1));
        var (paid, paidAnswer) = await DeliverAsync(app.AnonymousClient(), channelId, "woocommerce",
            WooOrder(id, kubek, czajnik, email, "2026-03-20T11:00:00").ToJsonString(), Secret);
        Assert.True(paid == HttpStatusCode.OK, $"{paid} {paidAnswer?.ToJsonString()}");
        var gateway = await app.QueryAsync(db => db.Payments.SingleAsync(p => p.PartyId == partyId && p.Via == PaymentVia.GatewayClearing));
        Assert.Equal((100.00m, PaymentDirection.Incoming), (gateway.Amount, gateway.Direction));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));

        await ShipAsync(admin, orderId);
        return (admin, orderId, partyId, bank.Id(), gateway.Id, await ProductIdAsync(kubek));
    }

    [Fact]
    public async Task A_full_return_of_an_order_paid_by_gateway_and_bank_refunds_each_part_through_its_own_account()
    {
        var (admin, _, kubek, czajnik) = await WooSetupAsync();
        var before = await MoneyAccountsAsync();
        var (_, orderId, partyId, bankId, gatewayId, _) = await SplitPaidShippedWooOrderAsync(admin, kubek, czajnik);
        Assert.Equal((before.On145 + 100.00m, before.On130 + 152.15m), await MoneyAccountsAsync());

        var returned = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Odstąpienie od umowy", refund = true });

        // Credited 252.15, refunded 252.15 in two payments, the newest money first: the gateway's 100.00 back through 145
        // (Dr 201 / Cr 145), then the transfer's 152.15 through 130 (Dr 201 / Cr 130) — not all 252.15 through the latest account.
        Assert.Equal((252.15m, 252.15m), (returned.Amount("credited"), returned.Amount("refunded")));
        var parts = RefundParts(returned);
        Assert.Equal([("GatewayClearing", 100.00m, gatewayId), ("Bank", 152.15m, bankId)], parts.Select(p => (p.Via, p.Amount, p.Incoming)).ToArray());
        Assert.Equal(parts[0].Payment.ToString(), returned.Str("refundPaymentId"));
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (100.00m, 0m), ["145"] = (0m, 100.00m) }, await PostingsOfAsync(parts[0].Payment));
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (152.15m, 0m), ["130"] = (0m, 152.15m) }, await PostingsOfAsync(parts[1].Payment));
        var outgoing = await app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId && p.Direction == PaymentDirection.Outgoing)
            .Select(p => new { p.Via, p.Amount }).ToListAsync());
        Assert.Equal([(PaymentVia.Bank, 152.15m), (PaymentVia.GatewayClearing, 100.00m)], outgoing.Select(p => (p.Via, p.Amount)).OrderBy(p => p.Via).ToArray());

        // 145 and 130 are each back where they were before the order; the customer owes nothing and has no credit.
        Assert.Equal(before, await MoneyAccountsAsync());
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance"))["balanced"]!.GetValue<bool>());
        // The order's returns list the same return with both parts; the audit names both.
        var listed = Assert.Single((await admin.GetOkAsync($"/api/orders/{orderId}"))["returns"]!.Arr("returns"));
        Assert.Equal(parts, RefundParts(listed!));
        Assert.Equal(252.15m, listed.Amount("refunded"));
    }

    [Fact]
    public async Task A_partial_return_of_a_split_paid_order_refunds_through_the_newest_payments_account_and_the_rest_takes_what_is_left_of_each()
    {
        var (admin, _, kubek, czajnik) = await WooSetupAsync();
        var before = await MoneyAccountsAsync();
        var (_, orderId, partyId, bankId, gatewayId, kubekId) = await SplitPaidShippedWooOrderAsync(admin, kubek, czajnik);

        // One mug of two: net −45.00; VAT 205.00 × 23 % = 47.15 before, 160.00 × 23 % = 36.80 after → −10.35; gross −55.35.
        // All of it from the newest money, the gateway's 100.00: one refund, 55.35 through 145; 130 untouched.
        var first = await admin.PostCreatedAsync($"/api/orders/{orderId}/return",
            new { lines = new[] { new { productId = kubekId, quantity = "1" } }, reason = "Uszkodzony", refund = true });
        Assert.Equal((55.35m, 55.35m), (first.Amount("credited"), first.Amount("refunded")));
        var firstParts = RefundParts(first);
        Assert.Equal([("GatewayClearing", 55.35m, gatewayId)], firstParts.Select(p => (p.Via, p.Amount, p.Incoming)).ToArray());
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (55.35m, 0m), ["145"] = (0m, 55.35m) }, await PostingsOfAsync(firstParts[0].Payment));
        Assert.Equal((before.On145 + 100.00m - 55.35m, before.On130 + 152.15m), await MoneyAccountsAsync());

        // The rest (the other mug, the kettle and shipping: 160.00 net + 36.80 VAT = 196.80): what is left of the gateway's payment,
        // 100.00 − 55.35 = 44.65, through 145, and the transfer's 152.15 through 130 (44.65 + 152.15 = 196.80).
        var rest = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Reszta", refund = true });
        Assert.Equal((196.80m, 196.80m), (rest.Amount("credited"), rest.Amount("refunded")));
        var restParts = RefundParts(rest);
        Assert.Equal([("GatewayClearing", 44.65m, gatewayId), ("Bank", 152.15m, bankId)], restParts.Select(p => (p.Via, p.Amount, p.Incoming)).ToArray());
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (44.65m, 0m), ["145"] = (0m, 44.65m) }, await PostingsOfAsync(restParts[0].Payment));
        Assert.Equal(new Dictionary<string, (decimal, decimal)> { ["201"] = (152.15m, 0m), ["130"] = (0m, 152.15m) }, await PostingsOfAsync(restParts[1].Payment));

        Assert.Equal(before, await MoneyAccountsAsync());
        Assert.Equal("Returned", (await admin.GetOkAsync($"/api/orders/{orderId}")).Str("status"));
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    [Fact]
    public async Task A_return_refunded_before_the_parts_were_recorded_counts_as_given_back_off_the_newest_payments()
    {
        var (admin, _, kubek, czajnik) = await WooSetupAsync();
        var before = await MoneyAccountsAsync();
        var (_, orderId, partyId, bankId, gatewayId, kubekId) = await SplitPaidShippedWooOrderAsync(admin, kubek, czajnik);
        // One mug back (55.35, through 145 as above), then its part rows removed: a return made before they were recorded.
        var first = await admin.PostCreatedAsync($"/api/orders/{orderId}/return",
            new { lines = new[] { new { productId = kubekId, quantity = "1" } }, reason = "Uszkodzony", refund = true });
        await app.QueryAsync(db => db.Set<OrderReturnRefund>().Where(r => r.ReturnId == first.Id()).ExecuteDeleteAsync());

        // The rest, 196.80: the earlier 55.35 is taken off the newest money (the gateway's 100.00), so 44.65 goes through 145 and
        // 152.15 through 130 — as if the parts were there. Without that, 100.00 would go through 145 and 145 would end at −55.35.
        var rest = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Reszta", refund = true });
        Assert.Equal([("GatewayClearing", 44.65m, gatewayId), ("Bank", 152.15m, bankId)], RefundParts(rest).Select(p => (p.Via, p.Amount, p.Incoming)).ToArray());
        Assert.Equal(before, await MoneyAccountsAsync());
        Assert.Equal(0m, (await admin.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
        // The order shows the old return's refund by the account its one payment went through (not stored as a part).
        var shown = (await admin.GetOkAsync($"/api/orders/{orderId}"))["returns"]!.Arr("returns")
            .Select(r => r!.Arr("refunds").Select(p => (p.Str("via"), p.Amount("amount"))).ToArray()).ToArray();
        Assert.Equal([("GatewayClearing", 55.35m)], shown[0]);
        Assert.Equal(0, await app.QueryAsync(db => db.Set<OrderReturnRefund>().CountAsync(r => r.ReturnId == first.Id())));
    }

    /// <summary>Debit − credit on 201 of one party, in EUR and in the book currency (PLN).</summary>
    private Task<(decimal Eur, decimal Pln)> ReceivableOfAsync(Guid partyId) =>
        app.QueryAsync(async db =>
        {
            var lines = await db.JournalLines.Where(l => l.PartyId == partyId && l.AccountCode == "201").ToListAsync();
            return (lines.Where(l => l.Currency == "EUR").Sum(l => l.Debit - l.Credit), lines.Sum(l => l.BaseDebit - l.BaseCredit));
        });

    /// <summary>Debit − credit on an account in EUR over the whole (per-class) database.</summary>
    private Task<decimal> EurOnAsync(string account) =>
        app.QueryAsync(async db => (await db.JournalLines.Where(l => l.AccountCode == account && l.Currency == "EUR")
            .Select(l => new { l.Debit, l.Credit }).ToListAsync()).Sum(l => l.Debit - l.Credit));

    [Fact]
    public async Task A_EUR_refund_in_two_parts_realises_the_exchange_difference_per_part_and_leaves_201_at_zero_in_EUR_and_PLN()
    {
        // The sample NBP tables (RealisedExchangeDifferenceTests): EUR 4.2387 (Mon 09.11), 4.2502 (Thu 12.11), 4.2466 (Fri 13.11).
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", file)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        try
        {
            // Tue 10.11: a manual EUR order of 1 × 100.00 net at 23 % = 123.00 EUR, invoiced at the rate of 09.11, 4.2387:
            // net 423.87 PLN, VAT 23.00 × 4.2387 = 97.4901 → 97.49, receivable 521.36 PLN. Issued on a WZ and shipped the same day.
            app.Clock.SetDate(new DateOnly(2026, 11, 10));
            var admin = await app.ClientAsync(Roles.Admin);
            var partyId = (await admin.CreatePartyAsync()).Id();
            var productId = (await CreateProductAsync(admin, Sku(), "100.00")).Id();
            await ReceiveAsync(admin, productId, "1", "40.00");
            var order = await admin.PostCreatedAsync("/api/orders", new
            {
                partyId, currency = "EUR", pricingMode = "Net",
                lines = new[] { new { productId, description = "Towar", quantity = "1", unitPrice = "100.00", vatRateCode = "23", unit = "szt." } },
            });
            var draft = await admin.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { order.Id() } });
            var invoice = await admin.IssueAsync(Guid.Parse(draft.Str("invoiceId")));
            Assert.Equal(123.00m, invoice.Amount("totalGross"));
            Assert.Equal((123.00m, 521.36m), await ReceivableOfAsync(partyId));
            await ShipAsync(admin, order.Id());
            var (eur145, eur130) = (await EurOnAsync("145"), await EurOnAsync("130"));

            // Fri 13.11, by bank transfer, 73.00 EUR at the rate of 12.11, 4.2502: 310.2646 → 310.26 PLN; the receivable's share
            // 521.36 × 73 / 123 = 309.433… → 309.43; gain 0.83.
            app.Clock.SetDate(new DateOnly(2026, 11, 13));
            admin = await app.ClientAsync(Roles.Admin);
            var bank = await admin.PostCreatedAsync("/api/payments", new
            {
                partyId, date = "2026-11-13", amount = new { amount = "73.00", currency = "EUR" }, reference = "Przelew EUR",
                allocations = new[] { new { invoiceId = invoice.Id(), amount = "73.00" } },
            });

            // Mon 16.11, the rest by card through the payment gateway (a payment link): 50.00 EUR at the rate of 13.11, 4.2466 = 212.33 PLN;
            // the rest of the receivable carries 521.36 − 309.43 = 211.93; gain 0.40. 201: 0.00 EUR, 521.36 − 310.26 + 0.83 − 212.33 + 0.40 = 0.00 PLN.
            app.Clock.SetDate(new DateOnly(2026, 11, 16));
            admin = await app.ClientAsync(Roles.Admin);
            Guid gatewayId;
            await using (var scope = app.Services.CreateAsyncScope())
                gatewayId = (await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterAsync(new RegisterPayment(partyId, new DateOnly(2026, 11, 16),
                    50.00m, "EUR", "Karta", [new AllocationInput(invoice.Id(), 50.00m)], Via: PaymentVia.GatewayClearing))).Payment.Id;
            Assert.Equal((0m, 0m), await ReceivableOfAsync(partyId));

            // Everything back on 16.11: the correction at the invoice's rate, −123.00 EUR = −521.36 PLN, all of it the customer's credit.
            var returned = await admin.PostCreatedAsync($"/api/orders/{order.Id()}/return", new { reason = "Zwrot", refund = true });
            Assert.Equal((123.00m, 123.00m), (returned.Amount("credited"), returned.Amount("refunded")));
            var parts = RefundParts(returned);
            Assert.Equal([("GatewayClearing", 50.00m, gatewayId), ("Bank", 73.00m, bank.Id())], parts.Select(p => (p.Via, p.Amount, p.Incoming)).ToArray());

            // Refunded at the rate of 13.11, 4.2466, each part against its share of the credit's 521.36 PLN (decision 48: positive = gain):
            // 145: 50.00 → 212.33 PLN out; share 521.36 × 50 / 123 = 211.934… → 211.93; 211.93 − 212.33 = −0.40, a loss (Dr 751 / Cr 201).
            // 130: 73.00 → 310.0018 → 310.00 PLN out; the credit's rest 521.36 − 211.93 = 309.43; 309.43 − 310.00 = −0.57, a loss.
            var allocations = await app.QueryAsync(db => db.PaymentAllocations.Where(a => a.PaymentId == parts[0].Payment || a.PaymentId == parts[1].Payment).ToListAsync());
            Assert.Equal((211.93m, 212.33m, -0.40m), allocations.Where(a => a.PaymentId == parts[0].Payment).Select(a => (a.SettledBaseAmount, a.PaymentBaseAmount, a.ExchangeDifference)).Single());
            Assert.Equal((309.43m, 310.00m, -0.57m), allocations.Where(a => a.PaymentId == parts[1].Payment).Select(a => (a.SettledBaseAmount, a.PaymentBaseAmount, a.ExchangeDifference)).Single());
            var losses = await app.QueryAsync(async db => (await db.JournalLines
                .Where(l => l.AccountCode == "751" && db.JournalEntries.Any(e => e.Id == l.EntryId && (e.SourceId == parts[0].Payment || e.SourceId == parts[1].Payment)))
                .Select(l => new { l.Debit, l.Credit }).ToListAsync()).Sum(l => l.Debit - l.Credit));
            Assert.Equal(0.97m, losses);

            // 201 of the customer: 0.00 EUR; PLN 0.00 − 521.36 + 212.33 + 310.00 − 0.40 − 0.57 = 0.00. Each money account has its EUR back out.
            Assert.Equal((0m, 0m), await ReceivableOfAsync(partyId));
            Assert.Equal((eur145, eur130), (await EurOnAsync("145"), await EurOnAsync("130")));
            Assert.True((await admin.GetOkAsync("/api/ledger/trial-balance"))["balanced"]!.GetValue<bool>());
        }
        finally
        {
            app.Clock.SetDate(KontorApp.DefaultToday);
        }
    }

    [Fact]
    public async Task Payments_from_before_Via_was_stored_get_Bank_and_the_startup_fill_marks_those_whose_entry_moved_145()
    {
        app.Clock.SetDate(KontorApp.DefaultToday);
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await admin.CreatePartyAsync()).Id();
        // A gateway payment (Dr 145 / Cr 201) and a bank one (Dr 130 / Cr 201), both on account.
        Guid gatewayId;
        await using (var scope = app.Services.CreateAsyncScope())
            gatewayId = (await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterAsync(new RegisterPayment(partyId, null, 10.00m, "PLN",
                "Bramka", null, OnAccount: true, Via: PaymentVia.GatewayClearing))).Payment.Id;
        var bankId = (await admin.PostCreatedAsync("/api/payments", new { partyId, amount = new { amount = "20.00", currency = "PLN" }, reference = "Przelew" })).Id();
        Assert.Equal("145", (await PostingsOfAsync(gatewayId)).Keys.Single(k => k != "201"));

        // As the migration leaves rows older than the column: the gateway payment says Bank (the column's default) ...
        var legacyId = Guid.NewGuid();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            Assert.Equal(1, await db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE "Payments" SET "Via" = 'Bank' WHERE "Id" = {gatewayId}"""));
            // ... and a row written without the column at all (a copy of the bank payment's columns, no journal entry) gets the default.
            Assert.Equal(1, await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "Payments" ("Id", "PartyId", "Date", "Amount", "Currency", "Reference", "Direction", "RegisteredAt", "RegisteredBy")
                SELECT {legacyId}, "PartyId", "Date", "Amount", "Currency", 'Stara wpłata', "Direction", "RegisteredAt", "RegisteredBy" FROM "Payments" WHERE "Id" = {bankId}
                """));
        }
        Task<Dictionary<Guid, PaymentVia>> ViaAsync() => app.QueryAsync(db => db.Payments.Where(p => p.PartyId == partyId).ToDictionaryAsync(p => p.Id, p => p.Via));
        Assert.Equal(new Dictionary<Guid, PaymentVia> { [gatewayId] = PaymentVia.Bank, [bankId] = PaymentVia.Bank, [legacyId] = PaymentVia.Bank }, await ViaAsync());

        // The fill at startup: the payment whose entry has a 145 line went through the gateway; the others stay Bank. Once done, a no-op.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
            Assert.Equal(1, await initializer.FillPaymentViaAsync());
            Assert.Equal(0, await initializer.FillPaymentViaAsync());
        }
        Assert.Equal(new Dictionary<Guid, PaymentVia> { [gatewayId] = PaymentVia.GatewayClearing, [bankId] = PaymentVia.Bank, [legacyId] = PaymentVia.Bank }, await ViaAsync());
    }

    [Fact]
    public async Task Money_paid_on_an_increasing_correction_goes_back_through_its_own_account()
    {
        var (admin, channelId, kubek, czajnik) = await WooSetupAsync();
        var before = await MoneyAccountsAsync();
        // OnPayment channel: invoice 252.15 issued at delivery, the gateway's 252.15 (Dr 145 / Cr 201).
        var (orderId, partyId, invoiceId, _, _) = await PaidWooOrderAsync(admin, channelId, kubek, czajnik);
        var kettleId = await ProductIdAsync(czajnik);
        var invoice = await admin.GetOkAsync($"/api/invoices/{invoiceId}");
        var kettle = invoice.Arr("lines").Single(l => l!["productId"]?.GetValue<string>() == kettleId.ToString())!["position"]!.GetValue<int>();
        // The kettle re-priced 100.00 → 110.00: +10.00 net + 2.30 VAT = +12.30, paid by bank transfer against the correction.
        var draft = await admin.PostCreatedAsync($"/api/invoices/{invoiceId}/corrections",
            new { reason = "Dopłata", lines = new[] { new { position = kettle, unitPrice = "110.00" } } });
        var raise = await admin.IssueAsync(draft.Id());
        await admin.PostCreatedAsync("/api/payments", new
        {
            partyId, amount = new { amount = "12.30", currency = "PLN" }, reference = "Dopłata przelewem",
            allocations = new[] { new { invoiceId = raise.Id(), amount = "12.30" } },
        });
        Assert.Equal((before.On145 + 252.15m, before.On130 + 12.30m), await MoneyAccountsAsync());
        await ShipAsync(admin, orderId);

        var returned = await admin.PostCreatedAsync($"/api/orders/{orderId}/return", new { reason = "Odstąpienie", refund = true });

        // 252.15 + 12.30 = 264.45 back: the transfer's 12.30 through the bank (newest money first), the gateway's 252.15 through 145.
        Assert.Equal(264.45m, returned.Amount("refunded"));
        Assert.Equal(before, await MoneyAccountsAsync());
        Assert.Equal([("Bank", 12.30m), ("GatewayClearing", 252.15m)],
            returned.Arr("refunds").Select(r => (r.Str("via"), r.Amount("amount"))).OrderBy(r => r.Item1).ToList());
    }
}
