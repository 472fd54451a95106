using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// Realised exchange differences (art. 15a CIT, art. 30 uor) with the sample NBP tables: EUR 4.2451 (217, Fri 06.11),
/// 4.2387 (218, Mon 09.11), 4.2415 (219, Tue 10.11), 4.2502 (220, Thu 12.11), 4.2466 (221, Fri 13.11).
/// Every invoice: 1000.00 EUR at 23 % and 333.33 EUR at 8 % → gross 1590.00 EUR.
/// Sale date 09.11 → rate 4.2451: VAT 976.37 + 113.22 = 1089.59 PLN, net 1333.33 × 4.2451 = 5660.12, receivable 6749.71 PLN.
/// </summary>
public abstract class RealisedExchangeDifferenceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private async Task<(HttpClient Sales, HttpClient Accountant)> ClientsOnAsync(DateOnly today)
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", file)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        app.Clock.SetDate(today);
        return (await app.ClientAsync(Roles.Sales), await app.ClientAsync(Roles.Accountant));
    }

    private static async Task<(Guid PartyId, JsonNode Invoice)> IssueEurInvoiceAsync(HttpClient sales, string saleDate)
    {
        var partyId = (await sales.CreatePartyAsync()).Id();
        var draft = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "EUR", pricingMode = "Net", saleDate,
            lines = new object[]
            {
                new { description = "Licencja", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "333.33", vatRateCode = "8" },
            },
        });
        return (partyId, await sales.IssueAsync(draft.Id()));
    }

    private static Task<JsonNode> PayEurAsync(HttpClient accountant, Guid partyId, string date, string amount) =>
        accountant.PostCreatedAsync("/api/payments", new { partyId, date, amount = new { amount, currency = "EUR" }, reference = $"EUR {amount}" });

    /// <summary>The lines of the realised-difference entry of a payment or correction: (account, currency, debit, credit), book amounts equal to the document amounts (PLN).</summary>
    private static async Task<List<(string Account, string Currency, decimal Debit, decimal Credit)>> DifferenceLinesAsync(HttpClient accountant, Guid sourceId)
    {
        var entries = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={sourceId}")).AsArray();
        var difference = entries.Where(e => e.Str("sourceType") == "fx-difference").ToList();
        if (difference.Count == 0) return [];
        var lines = Assert.Single(difference)!.Arr("lines")
            .Select(l => (Account: l.Str("accountCode"), Currency: l!["debit"]!.Str("currency"), Debit: l.Amount("debit"), Credit: l.Amount("credit"),
                BaseDebit: l.Amount("baseDebit"), BaseCredit: l.Amount("baseCredit")))
            .ToList();
        Assert.All(lines, l => Assert.Equal((l.Debit, l.Credit), (l.BaseDebit, l.BaseCredit)));
        return lines.Select(l => (l.Account, l.Currency, l.Debit, l.Credit)).OrderBy(l => l.Account).ToList();
    }

    private async Task<(decimal Eur, decimal Pln)> ReceivableAsync(Guid partyId)
    {
        var lines = await app.QueryAsync(db => db.JournalLines.Where(l => l.PartyId == partyId && l.AccountCode == "201").ToListAsync());
        return (lines.Where(l => l.Currency == "EUR").Sum(l => l.Debit - l.Credit), lines.Sum(l => l.BaseDebit - l.BaseCredit));
    }

    [Fact]
    public async Task A_payment_at_a_higher_rate_posts_a_gain_and_leaves_receivables_at_zero_in_EUR_and_PLN()
    {
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 13));
        var (partyId, _) = await IssueEurInvoiceAsync(sales, "2026-11-09");
        Assert.Equal((1590.00m, 6749.71m), await ReceivableAsync(partyId));

        // 13.11 → rate of 12.11, 4.2502: 1590.00 × 4.2502 = 6757.818 → 6757.82; 6757.82 − 6749.71 = 8.11 gain.
        var payment = await PayEurAsync(accountant, partyId, "2026-11-13", "1590.00");

        Assert.Equal([("201", "PLN", 8.11m, 0m), ("750", "PLN", 0m, 8.11m)], await DifferenceLinesAsync(accountant, payment.Id()));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        var allocation = Assert.Single(await app.QueryAsync(db => db.PaymentAllocations.Where(a => a.PaymentId == payment.Id()).ToListAsync()));
        Assert.Equal((6749.71m, 6757.82m, 8.11m), (allocation.SettledBaseAmount, allocation.PaymentBaseAmount, allocation.ExchangeDifference));
        // Not something the customer owes: the card's balances stay at zero.
        var overview = await accountant.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.All(overview.Arr("balancesByCurrency"), b => Assert.Equal(0m, decimal.Parse(b.Str("amount"), System.Globalization.CultureInfo.InvariantCulture)));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_payment_at_a_lower_rate_posts_a_loss()
    {
        // Sale 13.11, issued 16.11 → rate of 12.11, 4.2502: VAT 230.00 × 4.2502 = 977.546 → 977.55, 26.67 × 4.2502 = 113.352834 → 113.35;
        // net 1333.33 × 4.2502 = 5666.919166 → 5666.92; receivable 5666.92 + 977.55 + 113.35 = 6757.82.
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 16));
        var (partyId, _) = await IssueEurInvoiceAsync(sales, "2026-11-13");
        Assert.Equal((1590.00m, 6757.82m), await ReceivableAsync(partyId));

        // 16.11 → rate of Friday 13.11, 4.2466: 1590.00 × 4.2466 = 6752.094 → 6752.09; 6752.09 − 6757.82 = −5.73, a loss
        // (1590.00 × (4.2466 − 4.2502) = −5.724 would leave a grosz on 201: the amounts as booked decide).
        var payment = await PayEurAsync(accountant, partyId, "2026-11-16", "1590.00");

        Assert.Equal([("201", "PLN", 0m, 5.73m), ("751", "PLN", 5.73m, 0m)], await DifferenceLinesAsync(accountant, payment.Id()));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Partial_payments_realise_the_difference_in_proportion_and_the_last_one_takes_the_rest()
    {
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 13));
        var (partyId, _) = await IssueEurInvoiceAsync(sales, "2026-11-09");

        // 500.00 of 1590.00: the item's share 6749.71 × 500 / 1590 = 2122.550314 → 2122.55; paid 500.00 × 4.2502 = 2125.10 → gain 2.55.
        var first = await PayEurAsync(accountant, partyId, "2026-11-13", "500.00");
        Assert.Equal([("201", "PLN", 2.55m, 0m), ("750", "PLN", 0m, 2.55m)], await DifferenceLinesAsync(accountant, first.Id()));
        // Open: 1090.00 EUR carrying 6749.71 − 2122.55 = 4627.16 PLN; in the books 6749.71 − 2125.10 + 2.55 = 4627.16.
        Assert.Equal((1090.00m, 4627.16m), await ReceivableAsync(partyId));

        // The rest, 1090.00 × 4.2502 = 4632.718 → 4632.72; 4632.72 − 4627.16 = 5.56 (together 8.11, as for one payment).
        var second = await PayEurAsync(accountant, partyId, "2026-11-13", "1090.00");
        Assert.Equal([("201", "PLN", 5.56m, 0m), ("750", "PLN", 0m, 5.56m)], await DifferenceLinesAsync(accountant, second.Id()));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_correction_settles_at_the_invoice_rate_and_the_payment_of_the_rest_realises_the_difference()
    {
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 13));
        var (partyId, invoice) = await IssueEurInvoiceAsync(sales, "2026-11-09");

        // 1000.00 → 900.00: net −100.00 (−424.51 PLN), VAT −23.00 × 4.2451 = −97.6373 → −97.64; receivable −123.00 EUR = −522.15 PLN.
        // The item's share: 6749.71 × 123 / 1590 = 522.147… → 522.15, the same: no difference, no entry.
        var correction = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
            new { reason = "Rabat", lines = new[] { new { position = 1, unitPrice = "900.00" } } })).Id());
        Assert.Equal(-123.00m, correction.Amount("totalGross"));
        Assert.Empty(await DifferenceLinesAsync(accountant, correction.Id()));
        Assert.Equal((1467.00m, 6227.56m), await ReceivableAsync(partyId));

        // 1467.00 × 4.2502 = 6235.0434 → 6235.04; 6235.04 − 6227.56 = 7.48 gain.
        var payment = await PayEurAsync(accountant, partyId, "2026-11-13", "1467.00");
        Assert.Equal([("201", "PLN", 7.48m, 0m), ("750", "PLN", 0m, 7.48m)], await DifferenceLinesAsync(accountant, payment.Id()));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_refund_of_a_credit_at_another_rate_realises_the_difference_and_leaves_receivables_at_zero_in_EUR_and_PLN()
    {
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 13));
        var (partyId, invoice) = await IssueEurInvoiceAsync(sales, "2026-11-09");
        // Paid 13.11 at 4.2502: 6757.82 PLN against 6749.71, gain 8.11 (as above).
        await PayEurAsync(accountant, partyId, "2026-11-13", "1590.00");

        // The whole invoice taken back at the invoice's rate: −1590.00 EUR = −6749.71 PLN. Nothing is open, so it all stays
        // as the customer's credit, carrying 6749.71 PLN on 201.
        var correction = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
            new { reason = "Zwrot całości", lines = new[] { new { position = 1, quantity = "0" }, new { position = 2, quantity = "0" } } })).Id());
        Assert.Equal(-1590.00m, correction.Amount("totalGross"));
        Assert.Equal((-1590.00m, -6749.71m), await ReceivableAsync(partyId));

        // Refunded 16.11 at the rate of Friday 13.11, 4.2466: 1590.00 × 4.2466 = 6752.094 → 6752.09 PLN out, 2.38 more than the
        // credit carried: a loss, Dr 751 / Cr 201 2.38 — without it 201 would be left at +2.38 PLN with 0.00 EUR.
        app.Clock.SetDate(new DateOnly(2026, 11, 16));
        accountant = await app.ClientAsync(Roles.Accountant); // the one signed in on the 13th has expired
        Guid refundId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<Kontor.Ledger.PaymentService>().RegisterAsync(new Kontor.Ledger.RegisterPayment(
                partyId, new DateOnly(2026, 11, 16), 1590.00m, "EUR", "Zwrot", [new Kontor.Ledger.AllocationInput(correction.Id(), 1590.00m)],
                Kontor.Ledger.PaymentDirection.Outgoing, CustomerRefund: true));
            refundId = result.Payment.Id;
        }

        Assert.Equal([("201", "PLN", 0m, 2.38m), ("751", "PLN", 2.38m, 0m)], await DifferenceLinesAsync(accountant, refundId));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        var allocation = Assert.Single(await app.QueryAsync(db => db.PaymentAllocations.Where(a => a.PaymentId == refundId).ToListAsync()));
        Assert.Equal((6749.71m, 6752.09m, -2.38m), (allocation.SettledBaseAmount, allocation.PaymentBaseAmount, allocation.ExchangeDifference));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    private async Task<Kontor.Ledger.PaymentResult> RefundAsync(Guid partyId, DateOnly date, decimal amount, string currency, Guid source)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Kontor.Ledger.PaymentService>().RegisterAsync(new Kontor.Ledger.RegisterPayment(
            partyId, date, amount, currency, "Zwrot", [new Kontor.Ledger.AllocationInput(source, amount)],
            Kontor.Ledger.PaymentDirection.Outgoing, CustomerRefund: true));
    }

    [Fact]
    public async Task A_refund_of_an_overpayment_at_a_lower_rate_realises_a_gain()
    {
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 13));
        var (partyId, _) = await IssueEurInvoiceAsync(sales, "2026-11-09");
        // 2000.00 × 4.2502 = 8500.40 PLN: 1590.00 settles the invoice (6757.82), 410.00 stays as the customer's credit carrying 1742.58.
        var payment = await PayEurAsync(accountant, partyId, "2026-11-13", "2000.00");
        Assert.Equal((-410.00m, -1742.58m), await ReceivableAsync(partyId));

        // Refunded 16.11 at 4.2466: 410.00 × 4.2466 = 1741.106 → 1741.11 paid out, 1.47 less than the credit carried: a gain.
        app.Clock.SetDate(new DateOnly(2026, 11, 16));
        accountant = await app.ClientAsync(Roles.Accountant);
        var refund = await RefundAsync(partyId, new DateOnly(2026, 11, 16), 410.00m, "EUR", payment.Id());

        Assert.Equal([("201", "PLN", 1.47m, 0m), ("750", "PLN", 0m, 1.47m)], await DifferenceLinesAsync(accountant, refund.Payment.Id));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Partial_refunds_realise_the_difference_in_proportion_and_leave_receivables_at_zero()
    {
        var (sales, accountant) = await ClientsOnAsync(new DateOnly(2026, 11, 13));
        var (partyId, invoice) = await IssueEurInvoiceAsync(sales, "2026-11-09");
        await PayEurAsync(accountant, partyId, "2026-11-13", "1590.00");
        var correction = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
            new { reason = "Zwrot", lines = new[] { new { position = 1, quantity = "0" }, new { position = 2, quantity = "0" } } })).Id());
        app.Clock.SetDate(new DateOnly(2026, 11, 16));

        // The credit carries 6749.71. 500.00: its share 6749.71 × 500 / 1590 = 2122.550… → 2122.55, paid 500 × 4.2466 = 2123.30 → −0.75;
        // the rest 1090.00: 4627.16 carried, paid 1090 × 4.2466 = 4628.794 → 4628.79 → −1.63; together −2.38, as for one refund.
        var first = await RefundAsync(partyId, new DateOnly(2026, 11, 16), 500.00m, "EUR", correction.Id());
        var second = await RefundAsync(partyId, new DateOnly(2026, 11, 16), 1090.00m, "EUR", correction.Id());

        var differences = await app.QueryAsync(db => db.PaymentAllocations.Where(a => a.PaymentId == first.Payment.Id || a.PaymentId == second.Payment.Id)
            .Select(a => new { a.PaymentId, a.ExchangeDifference }).ToListAsync());
        Assert.Equal((-0.75m, -1.63m), (differences.Single(d => d.PaymentId == first.Payment.Id).ExchangeDifference,
            differences.Single(d => d.PaymentId == second.Payment.Id).ExchangeDifference));
        Assert.Equal((0m, 0m), await ReceivableAsync(partyId));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_PLN_payment_posts_no_difference()
    {
        var (sales, accountant) = await ClientsOnAsync(KontorApp.DefaultToday);
        var partyId = (await sales.CreatePartyAsync()).Id();
        await sales.CreateAndIssueAsync(partyId, "100.00", "23");
        var payment = await accountant.PayAsync(partyId, "123.00");
        var entries = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={payment.Id()}")).AsArray();
        Assert.Equal("payment", Assert.Single(entries)!.Str("sourceType"));
    }
}

public sealed class SqliteRealisedExchangeDifferenceTests(SqliteApp app) : RealisedExchangeDifferenceTests<SqliteApp>(app);

public sealed class PostgresRealisedExchangeDifferenceTests(PostgresApp app) : RealisedExchangeDifferenceTests<PostgresApp>(app);
