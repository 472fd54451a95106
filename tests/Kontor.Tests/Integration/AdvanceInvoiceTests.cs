using System.Net;
using System.Text.Json.Nodes;
using Kontor.Ledger;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Advance invoices (faktura zaliczkowa, art. 106f) against an order and the final invoice that deducts them
/// (docs/decisions.md §24): split per rate, VAT equality per rate, postings through 845, open items, bad input.
/// </summary>
public abstract class AdvanceInvoiceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // The order every scenario uses, computed by hand:
    //   3 × 333.33 at 23 %: net 999.99, VAT 229.9977 → 230.00, gross 1229.99
    //   7 ×  12.37 at  8 %: net  86.59, VAT   6.9272 →   6.93, gross   93.52
    //   order: net 1086.58, VAT 236.93, gross 1323.51
    private const decimal OrderGross = 1323.51m;

    [Fact]
    public async Task A_30_percent_advance_and_the_final_invoice_split_VAT_per_rate_exactly_and_post_through_advances_received()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 14));
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await sales.CreatePartyAsync("Zaliczkowy Klient Sp. z o.o.")).Id();
        var order = await CreateOrderAsync(sales, partyId);
        Assert.Equal((1086.58m, 236.93m, OrderGross), (order.Amount("totalNet"), order.Amount("totalVat"), order.Amount("totalGross")));

        // 30 % of 1323.51 = 397.053 → 397.05 received on 10 April.
        var draft = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/advance-invoices",
            new { amount = new { amount = "397.05", currency = "PLN" }, receivedOn = "2026-04-10" });
        Assert.Equal(("Advance", "Draft", "2026-04-10"), (draft.Str("kind"), draft.Str("status"), draft.Str("saleDate")));
        Assert.Equal(2, draft.Arr("lines").Count); // the order's lines: what was ordered
        Assert.Equal((order.Id().ToString(), order.Str("number"), OrderGross, "2026-04-10"),
            (draft["order"].Str("orderId"), draft["order"].Str("orderNumber"), draft["order"]!["orderValue"].Amount("gross"), draft["order"].Str("advanceReceivedOn")));
        // Split: 8 % share = 397.05 × 93.52 / 1323.51 = 28.0558 → 28.06; 23 % takes the rest 368.99.
        //   23 %: VAT = 368.99 × 23/123 = 68.998 → 69.00, net 299.99;  8 %: VAT = 28.06 × 8/108 = 2.0785 → 2.08, net 25.98
        AssertRates(draft, ("23", 299.99m, 69.00m, 368.99m), ("8", 25.98m, 2.08m, 28.06m));
        Assert.Equal((325.97m, 71.08m, 397.05m), (draft.Amount("totalNet"), draft.Amount("totalVat"), draft.Amount("totalGross")));

        var advance = await sales.IssueAsync(draft.Id());
        Assert.Equal(("Issued", "FV/2026/04/1", "2026-04-14"), (advance.Str("status"), advance.Str("number"), advance.Str("issueDate")));
        Assert.Equal(("Zaliczkowy Klient Sp. z o.o.", "2026-04-28"), (advance["buyer"].Str("name"), advance.Str("dueDate")));
        Assert.Equal(
            [("201", 397.05m, 0m), ("221", 0m, 71.08m), ("845", 0m, 325.97m)],
            await JournalAsync(accountant, draft.Id()));
        var advanceItem = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == draft.Id()));
        Assert.Equal((OpenItemSide.Receivable, 397.05m, 397.05m, "invoice"), (advanceItem.Side, advanceItem.Amount, advanceItem.OpenAmount, advanceItem.SourceType));

        var finalDraft = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/final-invoice", new { });
        Assert.Equal(("Final", "Draft", 2), (finalDraft.Str("kind"), finalDraft.Str("status"), finalDraft.Arr("lines").Count));
        // Per rate: order − advance.  23 %: 999.99 − 299.99 = 700.00, 230.00 − 69.00 = 161.00, 1229.99 − 368.99 = 861.00
        //                              8 %:  86.59 −  25.98 =  60.61,   6.93 −  2.08 =   4.85,   93.52 −  28.06 =  65.46
        AssertRates(finalDraft, ("23", 700.00m, 161.00m, 861.00m), ("8", 60.61m, 4.85m, 65.46m));
        Assert.Equal((760.61m, 165.85m, 926.46m), (finalDraft.Amount("totalNet"), finalDraft.Amount("totalVat"), finalDraft.Amount("totalGross")));
        var deducted = finalDraft["order"].Arr("advances").Select(a => (a.Str("number"), a.Str("issueDate"), a.Str("vatRateCode"),
            a!["amounts"].Amount("net"), a!["amounts"].Amount("vat"), a!["amounts"].Amount("gross"))).ToList();
        Assert.Equal([("FV/2026/04/1", "2026-04-14", "23", 299.99m, 69.00m, 368.99m), ("FV/2026/04/1", "2026-04-14", "8", 25.98m, 2.08m, 28.06m)], deducted);

        app.Clock.SetDate(new DateOnly(2026, 4, 30));
        sales = await app.ClientAsync(Roles.Sales);
        accountant = await app.ClientAsync(Roles.Accountant);
        var final = await sales.IssueAsync(finalDraft.Id());
        Assert.Equal("FV/2026/04/2", final.Str("number"));

        // The acceptance rule: per rate, VAT(advance) + VAT(final) = VAT of the whole order, exactly (and so net and gross).
        var advanceRates = Rates(advance);
        var finalRates = Rates(final);
        Assert.Equal(230.00m, advanceRates["23"].Vat + finalRates["23"].Vat);
        Assert.Equal(6.93m, advanceRates["8"].Vat + finalRates["8"].Vat);
        Assert.Equal((999.99m, 1229.99m), (advanceRates["23"].Net + finalRates["23"].Net, advanceRates["23"].Gross + finalRates["23"].Gross));
        Assert.Equal((86.59m, 93.52m), (advanceRates["8"].Net + finalRates["8"].Net, advanceRates["8"].Gross + finalRates["8"].Gross));

        // Final: Dr 201 remaining gross 926.46 + Dr 845 advances' net 325.97 / Cr 700 full order net 1086.58 / Cr 221 remaining VAT 165.85.
        Assert.Equal(
            [("201", 926.46m, 0m), ("221", 0m, 165.85m), ("700", 0m, 1086.58m), ("845", 325.97m, 0m)],
            await JournalAsync(accountant, finalDraft.Id()));
        var finalItem = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == finalDraft.Id()));
        Assert.Equal((926.46m, new DateOnly(2026, 5, 14)), (finalItem.Amount, finalItem.DueDate));

        // Books: balanced; 845 back to zero; 221 holds the order's whole VAT; 201 the order's gross; 700 the order's net.
        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-04-30");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        var rows = trialBalance.Arr("rows").ToDictionary(r => r!.Str("accountCode"), r => r!);
        Assert.Equal(0m, rows["845"].Amount("debit") - rows["845"].Amount("credit"));
        Assert.Equal(236.93m, rows["221"].Amount("credit") - rows["221"].Amount("debit"));
        Assert.Equal(1086.58m, rows["700"].Amount("credit") - rows["700"].Amount("debit"));
        Assert.Equal(OrderGross, rows["201"].Amount("debit") - rows["201"].Amount("credit"));

        // Customer card: both count as invoices; the balance is what the party owes.
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal((OrderGross, 2), (overview.Amount("balance"), overview["invoiceCount"]!.GetValue<int>()));
        Assert.Equal(661.76m, overview.Amount("averageInvoiceValue")); // (397.05 + 926.46) / 2 = 661.755 → 661.76

        // The order: invoiced by the final invoice, linked to both documents; no second final, no further advance, no VAT invoice.
        var orderAfter = await sales.GetOkAsync($"/api/orders/{order.Id()}");
        Assert.Equal(finalDraft.Id().ToString(), orderAfter.Str("invoiceId"));
        Assert.Equal(new[] { draft.Id(), finalDraft.Id() }.Select(i => i.ToString()).Order(),
            orderAfter.Arr("links").Where(l => l.Str("direction") == "to").Select(l => l.Str("id")).Order());
        var before = await CountsAsync();
        var (second, secondProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/final-invoice");
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Contains(order.Str("number"), secondProblem.Str("detail"));
        var (more, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/advance-invoices", new { amount = new { amount = "1.00", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.Conflict, more);
        var (vat, _, _) = await sales.SendAsync(HttpMethod.Post, "/api/orders/invoice", new { orderIds = new[] { order.Id() } });
        Assert.Equal(HttpStatusCode.Conflict, vat);
        var (cancelIssued, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{final.Id()}/cancel", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Conflict, cancelIssued);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string[]> AdvanceSets => new()
    {
        { ["132.35"] },               // 10 %
        { ["397.05"] },               // 30 %
        { ["661.76"] },               // 50 % (661.755 → 661.76)
        { ["1310.27"] },              // 99 %
        { ["1323.51"] },              // 100 %: the final invoice charges nothing
        { ["264.70", "595.58"] },     // 20 % + 45 %
        { ["0.01", "0.01", "0.01"] }, // tiny advances that round to one rate
        { ["441.17", "882.34"] },     // two advances that complete the order
    };

    [Theory]
    [MemberData(nameof(AdvanceSets))]
    public async Task For_any_advances_the_advances_and_the_final_invoice_add_up_to_the_order_per_rate_and_the_books_balance(string[] amounts)
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 12));
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var order = await CreateOrderAsync(sales, partyId);

        var advances = new List<JsonNode>();
        foreach (var amount in amounts)
        {
            var created = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/advance-invoices", new { amount = new { amount, currency = "PLN" }, receivedOn = "2026-05-11" });
            Assert.Equal(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), created.Amount("totalGross"));
            advances.Add(await sales.IssueAsync(created.Id()));
        }
        var final = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/orders/{order.Id()}/final-invoice", new { })).Id());

        var documents = advances.Append(final).Select(Rates).ToList();
        (decimal Net, decimal Vat, decimal Gross) Sum(string rate) => (
            documents.Sum(d => d.GetValueOrDefault(rate).Net), documents.Sum(d => d.GetValueOrDefault(rate).Vat), documents.Sum(d => d.GetValueOrDefault(rate).Gross));
        Assert.Equal((999.99m, 230.00m, 1229.99m), Sum("23"));
        Assert.Equal((86.59m, 6.93m, 93.52m), Sum("8"));
        Assert.Equal(OrderGross - amounts.Sum(a => decimal.Parse(a, System.Globalization.CultureInfo.InvariantCulture)), final.Amount("totalGross"));
        // VAT of every share is the share's gross × p / (100 + p), rounded (advances only: the final invoice's VAT is the difference).
        foreach (var rates in documents.Take(advances.Count))
            foreach (var (code, (_, vatAmount, gross)) in rates)
                Assert.Equal(Math.Round(gross * (code == "23" ? 23m / 123m : 8m / 108m), 2, MidpointRounding.AwayFromZero), vatAmount);

        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-05-12");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        var partyItems = await app.QueryAsync(db => db.OpenItems.Where(o => o.PartyId == partyId).SumAsync(o => o.Amount));
        Assert.Equal(OrderGross, partyItems);
        var partyBalance = await app.QueryAsync(db => db.JournalLines.Where(l => l.PartyId == partyId).SumAsync(l => l.Debit - l.Credit));
        Assert.Equal(OrderGross, partyBalance);
        // 845 nets to zero per order: credited by the advances, debited by the final invoice.
        var documentIds = advances.Append(final).Select(a => a.Id()).ToList();
        var entryIds = await app.QueryAsync(db => db.JournalEntries.Where(e => documentIds.Contains(e.SourceId)).Select(e => e.Id).ToListAsync());
        Assert.Equal(documentIds.Count, entryIds.Count); // one entry per document, the final invoice's too even when it charges nothing
        var advancesAccount = await app.QueryAsync(db => db.JournalLines
            .Where(l => l.AccountCode == "845" && entryIds.Contains(l.EntryId))
            .SumAsync(l => l.Debit - l.Credit));
        Assert.Equal(0m, advancesAccount);
    }

    [Fact]
    public async Task Bad_advances_and_final_invoices_are_refused_naming_the_field_and_write_nothing()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 16));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var order = await CreateOrderAsync(sales, partyId);
        var url = $"/api/orders/{order.Id()}/advance-invoices";
        var before = await CountsAsync();

        await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "0.00", currency = "PLN" } }, "amount");
        await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "-10.00", currency = "PLN" } }, "amount");
        await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "1323.52", currency = "PLN" } }, "amount");   // 1 grosz over the order
        await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "100.00", currency = "EUR" } }, "amount.currency");
        await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "10.001", currency = "PLN" } }, "amount.amount");
        await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "100.00", currency = "PLN" }, receivedOn = "2026-06-17" }, "receivedOn"); // tomorrow
        await ExpectBadRequestAsync(sales, url, new { }, "amount");
        var (finalWithout, finalProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/final-invoice");
        Assert.Equal(HttpStatusCode.Conflict, finalWithout); // no advances yet: a plain VAT invoice is the way
        Assert.Contains("no advance", finalProblem.Str("detail"));
        Assert.Equal(before, await CountsAsync());

        // After 1000.00 received, at most 323.51 more.
        var first = await sales.PostCreatedAsync(url, new { amount = new { amount = "1000.00", currency = "PLN" } });
        var (open, openProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/final-invoice");
        Assert.Equal(HttpStatusCode.Conflict, open); // the advance draft is still open
        Assert.Contains(first.Id().ToString(), openProblem.Str("detail"));
        await sales.IssueAsync(first.Id());
        var afterFirst = await CountsAsync();
        var problem = await ExpectBadRequestAsync(sales, url, new { amount = new { amount = "323.52", currency = "PLN" } }, "amount");
        Assert.Contains("323.51", problem["errors"]!["amount"]![0]!.GetValue<string>());
        Assert.Equal(afterFirst, await CountsAsync());

        // An advance draft is not edited as an invoice; a cancelled advance draft frees its amount.
        var second = await sales.PostCreatedAsync(url, new { amount = new { amount = "323.51", currency = "PLN" } });
        var (edit, _, _) = await sales.SendAsync(HttpMethod.Put, $"/api/invoices/{second.Id()}", new { partyId, currency = "PLN", pricingMode = "Net", lines = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Conflict, edit);
        await sales.PostOkAsync($"/api/invoices/{second.Id()}/cancel", new { reason = "Zła kwota" });
        var third = await sales.PostCreatedAsync(url, new { amount = new { amount = "300.00", currency = "PLN" } });
        Assert.Equal(300.00m, third.Amount("totalGross"));

        // A cancelled order takes no advance; an unknown order is 404.
        var cancelled = await CreateOrderAsync(sales, partyId);
        await sales.PostOkAsync($"/api/orders/{cancelled.Id()}/status", new { status = "Cancelled" });
        var (onCancelled, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{cancelled.Id()}/advance-invoices", new { amount = new { amount = "10.00", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.Conflict, onCancelled);
        var (unknown, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{Guid.NewGuid()}/advance-invoices", new { amount = new { amount = "10.00", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        // An order with an issued advance is not cancelled (its advance invoice would be left without an order).
        var (cancelWithAdvance, cancelProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/status", new { status = "Cancelled" });
        Assert.Equal(HttpStatusCode.Conflict, cancelWithAdvance);
        Assert.Contains("advance", cancelProblem.Str("detail"));
        // An order already invoiced by a VAT invoice takes no advance and no final invoice.
        var invoiced = await CreateOrderAsync(sales, partyId);
        await sales.PostCreatedAsync("/api/orders/invoice", new { orderIds = new[] { invoiced.Id() } });
        var (onInvoiced, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{invoiced.Id()}/advance-invoices", new { amount = new { amount = "10.00", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.Conflict, onInvoiced);
    }

    [Fact]
    public async Task A_deleted_final_invoice_draft_gives_the_order_back_and_a_stale_final_draft_is_refused_on_issue()
    {
        app.Clock.SetDate(new DateOnly(2026, 7, 14));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var order = await CreateOrderAsync(sales, partyId);
        await sales.IssueAsync((await sales.PostCreatedAsync($"/api/orders/{order.Id()}/advance-invoices", new { amount = new { amount = "500.00", currency = "PLN" } })).Id());
        var finalDraft = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/final-invoice", new { });
        await sales.ExpectAsync(HttpMethod.Delete, $"/api/invoices/{finalDraft.Id()}", null, HttpStatusCode.NoContent);
        Assert.Null((await sales.GetOkAsync($"/api/orders/{order.Id()}"))["invoiceId"]?.GetValue<string>());

        var again = await sales.PostCreatedAsync($"/api/orders/{order.Id()}/final-invoice", new { });
        Assert.Equal(823.51m, again.Amount("totalGross"));
        var issued = await sales.IssueAsync(again.Id());
        Assert.Equal("FV/2026/07/2", issued.Str("number"));
    }

    [Fact]
    public async Task A_EUR_advance_states_its_VAT_in_PLN_at_the_rate_before_the_day_the_money_came_in_and_the_final_invoice_at_its_own()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", file)));
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"import of {file}: {(int)response.StatusCode}");
        }
        app.Clock.SetDate(new DateOnly(2026, 11, 13));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // 1000.00 EUR at 23 % (230.00) + 333.33 EUR at 8 % (26.6664 → 26.67): gross 1230.00 + 360.00 = 1590.00 EUR.
        var order = await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "EUR", pricingMode = "Net",
            lines = new object[]
            {
                new { description = "Licencja", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "333.33", vatRateCode = "8" },
            },
        });
        var (pln, plnProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/orders/{order.Id()}/advance-invoices", new { amount = new { amount = "477.00", currency = "PLN" } });
        Assert.Equal(HttpStatusCode.BadRequest, pln);
        Assert.NotNull(plnProblem!["errors"]!["amount.currency"]);

        // 30 %: 477.00 EUR received Tuesday 10.11 → Monday's table 218/A/NBP/2026 of 09.11, 4.2387.
        //   8 %: 477.00 × 360/1590 = 108.00, VAT 8.00; 23 %: 369.00, VAT 69.00.
        //   PLN: 69.00 × 4.2387 = 292.4703 → 292.47; 8.00 × 4.2387 = 33.9096 → 33.91; total 326.38.
        var advance = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/orders/{order.Id()}/advance-invoices",
            new { amount = new { amount = "477.00", currency = "EUR" }, receivedOn = "2026-11-10" })).Id());
        Assert.Equal(("EUR", "218/A/NBP/2026", "2026-11-09"), (advance.Str("currency"), advance["exchangeRate"].Str("table"), advance["exchangeRate"].Str("date")));
        AssertRates(advance, ("23", 300.00m, 69.00m, 369.00m), ("8", 100.00m, 8.00m, 108.00m));
        Assert.Equal((292.47m, 33.91m, 326.38m), (VatPln(advance, "23"), VatPln(advance, "8"), advance.Amount("vatInBaseCurrency")));

        // Final, issued Monday 16.11 (tax point: the issue date) → Friday's table 221/A/NBP/2026 of 13.11, 4.2466.
        //   23 %: 230.00 − 69.00 = 161.00 × 4.2466 = 683.7026 → 683.70; 8 %: 26.67 − 8.00 = 18.67 × 4.2466 = 79.284022 → 79.28; total 762.98.
        app.Clock.SetDate(new DateOnly(2026, 11, 16));
        sales = await app.ClientAsync(Roles.Sales);
        var final = await sales.IssueAsync((await sales.PostCreatedAsync($"/api/orders/{order.Id()}/final-invoice", new { })).Id());
        Assert.Equal("221/A/NBP/2026", final["exchangeRate"].Str("table"));
        AssertRates(final, ("23", 700.00m, 161.00m, 861.00m), ("8", 233.33m, 18.67m, 252.00m));
        Assert.Equal((683.70m, 79.28m, 762.98m), (VatPln(final, "23"), VatPln(final, "8"), final.Amount("vatInBaseCurrency")));
        Assert.Equal(1113.00m, final.Amount("totalGross")); // 1590.00 − 477.00, in EUR

        // The books take the VAT in PLN as the documents state it, and each entry balances in PLN too.
        accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var (id, vatPln) in new[] { (advance.Id(), 326.38m), (final.Id(), 762.98m) })
        {
            var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={id}")).AsArray())!;
            var lines = entry.Arr("lines");
            Assert.Equal(vatPln, lines.Single(l => l.Str("accountCode") == "221")!.Amount("baseCredit"));
            Assert.Equal(lines.Sum(l => l.Amount("baseDebit")), lines.Sum(l => l.Amount("baseCredit")));
            Assert.Equal(lines.Sum(l => l.Amount("debit")), lines.Sum(l => l.Amount("credit")));
        }
    }

    private static decimal VatPln(JsonNode invoice, string code) =>
        invoice.Arr("vatTotals").Single(v => v.Str("vatRateCode") == code)!.Amount("vatInBaseCurrency");

    private static void AssertRates(JsonNode invoice, params (string Code, decimal Net, decimal Vat, decimal Gross)[] expected) =>
        Assert.Equal(expected.ToList(), invoice.Arr("vatTotals").Select(v => (v.Str("vatRateCode"), v.Amount("net"), v.Amount("vat"), v.Amount("gross"))).ToList());

    private static Dictionary<string, (decimal Net, decimal Vat, decimal Gross)> Rates(JsonNode invoice) =>
        invoice.Arr("vatTotals").ToDictionary(v => v.Str("vatRateCode"), v => (v.Amount("net"), v.Amount("vat"), v.Amount("gross")));

    private static async Task<List<(string, decimal, decimal)>> JournalAsync(HttpClient accountant, Guid documentId)
    {
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={documentId}")).AsArray())!;
        return entry.Arr("lines").Select(l => (l.Str("accountCode"), l.Amount("debit"), l.Amount("credit"))).OrderBy(l => l.Item1, StringComparer.Ordinal).ToList();
    }

    private static async Task<JsonNode> ExpectBadRequestAsync(HttpClient client, string url, object body, string field)
    {
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, url, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{url} {System.Text.Json.JsonSerializer.Serialize(body)}: expected 400, got {(int)status} {problem?.ToJsonString()}");
        Assert.True(problem?["errors"]?[field] is not null, $"expected an error on '{field}': {problem?.ToJsonString()}");
        return problem!;
    }

    private Task<(int Invoices, int Links, int Journal, int OpenItems, long Counters)> CountsAsync() => app.QueryAsync(async db => (
        await db.Invoices.CountAsync(), await db.DocumentLinks.CountAsync(), await db.JournalEntries.CountAsync(), await db.OpenItems.CountAsync(),
        await db.NumberingCounters.SumAsync(c => c.LastValue)));

    private static Task<JsonNode> CreateOrderAsync(HttpClient client, Guid partyId) =>
        client.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { description = "Regał magazynowy", quantity = "3", unitPrice = "333.33", vatRateCode = "23" },
                new { description = "Książka montażowa", quantity = "7", unitPrice = "12.37", vatRateCode = "8" },
            },
        });
}

public sealed class SqliteAdvanceInvoiceTests(SqliteApp app) : AdvanceInvoiceTests<SqliteApp>(app);

public sealed class PostgresAdvanceInvoiceTests(PostgresApp app) : AdvanceInvoiceTests<PostgresApp>(app);
