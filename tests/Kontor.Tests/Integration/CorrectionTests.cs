using System.Net;
using System.Text.Json.Nodes;
using Kontor.Ledger;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Correction invoices (faktura korygująca): each kind's before / after / difference per line and per
/// rate, its journal entry, the open items and customer card after it, numbering, immutability and bad
/// input. Every expected figure is worked out by hand in the comments.
/// </summary>
public abstract class CorrectionTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // Each test works in a month of its own, so KOR numbers do not depend on test order.

    [Fact]
    public async Task Quantity_down_lowers_the_line_and_its_rate_posts_the_difference_and_reduces_the_unpaid_invoice()
    {
        var sales = await OnAsync(new DateOnly(2026, 4, 10), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        // Line 1: 10 × 200.00 = 2000.00 + 23 % 460.00 = 2460.00; line 2: 5 × 20.00 = 100.00 + 8 % 8.00 = 108.00.
        // Invoice: 2100.00 / 468.00 / 2568.00, due 24 Apr.
        var invoice = await IssueInvoiceAsync(sales, partyId,
            new { description = "Monitor", quantity = "10", unitPrice = "200.00", vatRateCode = "23" },
            new { description = "Kabel", quantity = "5", unitPrice = "20.00", vatRateCode = "8" });
        Assert.Equal(2568.00m, invoice.Amount("totalGross"));

        sales = await OnAsync(new DateOnly(2026, 4, 15), Roles.Sales);
        var draft = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
            new { reason = "Zwrot 3 monitorów", lines = new[] { new { position = 1, quantity = "7" } } });
        Assert.Equal(("Draft", "Correction", invoice.Str("id")), (draft.Str("status"), draft.Str("kind"), draft.Str("correctedInvoiceId")));
        var correction = await sales.IssueAsync(draft.Id());

        Assert.Equal("KOR/2026/04/1", correction.Str("number"));
        Assert.Equal(invoice.Str("number"), correction.Str("correctedInvoiceNumber"));
        Assert.Equal("2026-04-10", correction.Str("correctedInvoiceIssueDate"));
        Assert.Equal("Zwrot 3 monitorów", correction.Str("correctionReason"));
        var lines = correction["correction"].Arr("lines");
        // Line 1 after: 7 × 200.00 = 1400.00 + 322.00 = 1722.00; difference −3 pcs, −600.00 / −138.00 / −738.00.
        AssertLine(lines[0], before: (10m, 200.00m, 0m, "23", 2000.00m, 460.00m, 2460.00m), after: (7m, 200.00m, 0m, "23", 1400.00m, 322.00m, 1722.00m),
            quantityDifference: -3m, difference: (-600.00m, -138.00m, -738.00m));
        Assert.True(lines[0]!["changed"]!.GetValue<bool>());
        // Line 2 unchanged: difference 0.
        AssertLine(lines[1], before: (5m, 20.00m, 0m, "8", 100.00m, 8.00m, 108.00m), after: (5m, 20.00m, 0m, "8", 100.00m, 8.00m, 108.00m),
            quantityDifference: 0m, difference: (0m, 0m, 0m));
        Assert.False(lines[1]!["changed"]!.GetValue<bool>());
        var rates = Rates(correction);
        AssertRate(rates["23"], before: (2000.00m, 460.00m, 2460.00m), after: (1400.00m, 322.00m, 1722.00m), difference: (-600.00m, -138.00m, -738.00m));
        AssertRate(rates["8"], before: (100.00m, 8.00m, 108.00m), after: (100.00m, 8.00m, 108.00m), difference: (0m, 0m, 0m));
        AssertTotals(correction, (-600.00m, -138.00m, -738.00m));
        AssertAmounts(correction["correction"]!["before"], (2100.00m, 468.00m, 2568.00m));
        AssertAmounts(correction["correction"]!["after"], (1500.00m, 330.00m, 1830.00m));

        // Cr 201 (party) 738.00 / Dr 700 600.00 / Dr 221 138.00.
        await AssertPostingAsync(correction.Id(), partyId, receivableDebit: 0m, receivableCredit: 738.00m, revenueDebit: 600.00m, revenueCredit: 0m, vatDebit: 138.00m, vatCredit: 0m);
        await AssertLedgerBalancedAsync();

        // The unpaid invoice now asks for 2568.00 − 738.00 = 1830.00, and that is late after 24 Apr.
        var overview = await (await OnAsync(new DateOnly(2026, 5, 1), Roles.Sales)).GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(1830.00m, overview.Amount("balance"));
        Assert.Equal(1830.00m, overview.Amount("overdueAmount"));
        Assert.Equal(1, overview["overdueCount"]!.GetValue<int>());
        Assert.Equal(0m, overview.Amount("unallocatedPayments"));
        var settlement = Assert.Single(await app.QueryAsync(db => db.CorrectionSettlements.Where(s => s.CorrectionId == correction.Id()).ToListAsync()));
        Assert.Equal((invoice.Id(), 738.00m, new DateOnly(2026, 4, 15)), (settlement.SourceId, settlement.Amount, settlement.Date));

        // The invoice links to its correction and back.
        sales = await app.ClientAsync(Roles.Sales); // a token of the moved clock
        var link = Assert.Single((await sales.GetOkAsync($"/api/documents/{invoice.Id()}/links")).AsArray())!;
        Assert.Equal(("to", "correction", correction.Str("id"), "KOR/2026/04/1"), (link.Str("direction"), link.Str("type"), link.Str("id"), link.Str("number")));
        var back = Assert.Single((await sales.GetOkAsync($"/api/documents/{correction.Id()}/links")).AsArray())!;
        Assert.Equal(("from", "invoice", invoice.Str("id")), (back.Str("direction"), back.Str("type"), back.Str("id")));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Price_up_charges_the_difference_as_a_new_receivable_due_on_the_invoice_term_from_the_correction_date()
    {
        var sales = await OnAsync(new DateOnly(2026, 5, 4), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        // 4 × 250.00 = 1000.00 + 230.00 = 1230.00, due 18 May (14 days).
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Licencja", quantity = "4", unitPrice = "250.00", vatRateCode = "23" });

        sales = await OnAsync(new DateOnly(2026, 5, 11), Roles.Sales);
        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Błędna cena jednostkowa", lines = new[] { new { position = 1, unitPrice = "275.00" } } });

        Assert.Equal("KOR/2026/05/1", correction.Str("number"));
        // After: 4 × 275.00 = 1100.00 + 253.00 = 1353.00; difference +100.00 / +23.00 / +123.00.
        AssertLine(correction["correction"].Arr("lines")[0], before: (4m, 250.00m, 0m, "23", 1000.00m, 230.00m, 1230.00m),
            after: (4m, 275.00m, 0m, "23", 1100.00m, 253.00m, 1353.00m), quantityDifference: 0m, difference: (100.00m, 23.00m, 123.00m));
        AssertRate(Rates(correction)["23"], before: (1000.00m, 230.00m, 1230.00m), after: (1100.00m, 253.00m, 1353.00m), difference: (100.00m, 23.00m, 123.00m));
        AssertTotals(correction, (100.00m, 23.00m, 123.00m));
        // The increase is due on the invoice's 14-day term counted from the correction's issue date: 11 May + 14 = 25 May.
        Assert.Equal("2026-05-25", correction.Str("dueDate"));

        // Dr 201 123.00 / Cr 700 100.00 / Cr 221 23.00.
        await AssertPostingAsync(correction.Id(), partyId, receivableDebit: 123.00m, receivableCredit: 0m, revenueDebit: 0m, revenueCredit: 100.00m, vatDebit: 0m, vatCredit: 23.00m);
        await AssertLedgerBalancedAsync();
        var item = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == correction.Id()));
        Assert.Equal((OpenItemSide.Receivable, 123.00m, 123.00m, new DateOnly(2026, 5, 25)), (item.Side, item.Amount, item.OpenAmount, item.DueDate));

        // 20 May: the invoice (due 18 May) is late, the correction (due 25 May) not yet.
        var overview = await (await OnAsync(new DateOnly(2026, 5, 20), Roles.Sales)).GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(1353.00m, overview.Amount("balance"));
        Assert.Equal(1230.00m, overview.Amount("overdueAmount"));
        // A correction is not another sale: one invoice, averaging its original 1230.00.
        Assert.Equal(1, overview["invoiceCount"]!.GetValue<int>());
        Assert.Equal(1230.00m, overview.Amount("averageInvoiceValue"));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Discount_correction_lowers_only_the_discounted_line()
    {
        var sales = await OnAsync(new DateOnly(2026, 6, 2), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // Line 1: 2 × 500.00 = 1000.00 + 230.00 = 1230.00; line 2: 1 × 300.00 = 300.00 + 8 % 24.00 = 324.00.
        var invoice = await IssueInvoiceAsync(sales, partyId,
            new { description = "Szkolenie", quantity = "2", unitPrice = "500.00", vatRateCode = "23" },
            new { description = "Materiały", quantity = "1", unitPrice = "300.00", vatRateCode = "8" });

        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Rabat 10 % przyznany po sprzedaży", lines = new[] { new { position = 1, discountPercent = 10 } } });

        // Line 1 after: 2 × 500.00 × 0.90 = 900.00 + 207.00 = 1107.00; difference −100.00 / −23.00 / −123.00.
        AssertLine(correction["correction"].Arr("lines")[0], before: (2m, 500.00m, 0m, "23", 1000.00m, 230.00m, 1230.00m),
            after: (2m, 500.00m, 10m, "23", 900.00m, 207.00m, 1107.00m), quantityDifference: 0m, difference: (-100.00m, -23.00m, -123.00m));
        var rates = Rates(correction);
        AssertRate(rates["23"], before: (1000.00m, 230.00m, 1230.00m), after: (900.00m, 207.00m, 1107.00m), difference: (-100.00m, -23.00m, -123.00m));
        AssertRate(rates["8"], before: (300.00m, 24.00m, 324.00m), after: (300.00m, 24.00m, 324.00m), difference: (0m, 0m, 0m));
        AssertTotals(correction, (-100.00m, -23.00m, -123.00m));
        Assert.Equal("KOR/2026/06/1", correction.Str("number"));
        await AssertPostingAsync(correction.Id(), partyId, receivableDebit: 0m, receivableCredit: 123.00m, revenueDebit: 100.00m, revenueCredit: 0m, vatDebit: 23.00m, vatCredit: 0m);
        await AssertLedgerBalancedAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Vat_rate_23_to_8_moves_the_net_between_rates_and_posts_only_the_vat_difference()
    {
        var sales = await OnAsync(new DateOnly(2026, 7, 1), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // Line 1: 1 × 1000.00 + 23 % = 1230.00; line 2: 2 × 50.00 = 100.00 + 8 % = 108.00. Invoice 1100.00 / 238.00 / 1338.00.
        var invoice = await IssueInvoiceAsync(sales, partyId,
            new { description = "Książki", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" },
            new { description = "Broszury", quantity = "2", unitPrice = "50.00", vatRateCode = "8" });

        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Zastosowano błędną stawkę VAT", lines = new[] { new { position = 1, vatRateCode = "8" } } });

        // Line 1 after: 1000.00 + 8 % 80.00 = 1080.00; difference 0.00 / −150.00 / −150.00.
        AssertLine(correction["correction"].Arr("lines")[0], before: (1m, 1000.00m, 0m, "23", 1000.00m, 230.00m, 1230.00m),
            after: (1m, 1000.00m, 0m, "8", 1000.00m, 80.00m, 1080.00m), quantityDifference: 0m, difference: (0m, -150.00m, -150.00m));
        var rates = Rates(correction);
        // 23 %: 1000.00 / 230.00 / 1230.00 → nothing. 8 %: 100.00 / 8.00 / 108.00 → 1100.00 / 88.00 / 1188.00.
        AssertRate(rates["23"], before: (1000.00m, 230.00m, 1230.00m), after: (0m, 0m, 0m), difference: (-1000.00m, -230.00m, -1230.00m));
        AssertRate(rates["8"], before: (100.00m, 8.00m, 108.00m), after: (1100.00m, 88.00m, 1188.00m), difference: (1000.00m, 80.00m, 1080.00m));
        AssertTotals(correction, (0m, -150.00m, -150.00m));
        Assert.Equal("KOR/2026/07/1", correction.Str("number"));
        // Cr 201 150.00 / Dr 221 150.00; revenue does not move.
        await AssertPostingAsync(correction.Id(), partyId, receivableDebit: 0m, receivableCredit: 150.00m, revenueDebit: 0m, revenueCredit: 0m, vatDebit: 150.00m, vatCredit: 0m);
        await AssertLedgerBalancedAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Full_reversal_sets_every_line_to_zero_posts_the_whole_invoice_back_and_settles_it()
    {
        var sales = await OnAsync(new DateOnly(2026, 8, 3), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 7)).Id();
        // Line 1: 3 × 100.00 = 300.00 + 69.00 = 369.00; line 2: 1 × 50.00 zw = 50.00. Invoice 350.00 / 69.00 / 419.00.
        var invoice = await IssueInvoiceAsync(sales, partyId,
            new { description = "Usługa A", quantity = "3", unitPrice = "100.00", vatRateCode = "23" },
            new { description = "Usługa B", quantity = "1", unitPrice = "50.00", vatRateCode = "zw" });

        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Anulowanie transakcji", fullReversal = true });

        var lines = correction["correction"].Arr("lines");
        AssertLine(lines[0], before: (3m, 100.00m, 0m, "23", 300.00m, 69.00m, 369.00m), after: (0m, 100.00m, 0m, "23", 0m, 0m, 0m),
            quantityDifference: -3m, difference: (-300.00m, -69.00m, -369.00m));
        AssertLine(lines[1], before: (1m, 50.00m, 0m, "zw", 50.00m, 0m, 50.00m), after: (0m, 50.00m, 0m, "zw", 0m, 0m, 0m),
            quantityDifference: -1m, difference: (-50.00m, 0m, -50.00m));
        var rates = Rates(correction);
        AssertRate(rates["23"], before: (300.00m, 69.00m, 369.00m), after: (0m, 0m, 0m), difference: (-300.00m, -69.00m, -369.00m));
        AssertRate(rates["zw"], before: (50.00m, 0m, 50.00m), after: (0m, 0m, 0m), difference: (-50.00m, 0m, -50.00m));
        AssertTotals(correction, (-350.00m, -69.00m, -419.00m));
        Assert.Equal("KOR/2026/08/1", correction.Str("number"));
        await AssertPostingAsync(correction.Id(), partyId, receivableDebit: 0m, receivableCredit: 419.00m, revenueDebit: 350.00m, revenueCredit: 0m, vatDebit: 69.00m, vatCredit: 0m);
        await AssertLedgerBalancedAsync();

        // Nothing is owed or late any more; the invoice's open item is settled by the correction.
        var overview = await (await OnAsync(new DateOnly(2026, 9, 1), Roles.Sales)).GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal((0m, 0m, 0m), (overview.Amount("balance"), overview.Amount("overdueAmount"), overview.Amount("unallocatedPayments")));
        var item = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == invoice.Id()));
        Assert.Equal((0m, new DateOnly(2026, 8, 3)), (item.OpenAmount, item.SettledOn));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_correction_of_a_correction_starts_from_the_first_corrections_after_state()
    {
        var sales = await OnAsync(new DateOnly(2026, 9, 1), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // 10 × 100.00 = 1000.00 + 230.00 = 1230.00.
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Papier", quantity = "10", unitPrice = "100.00", vatRateCode = "23" });
        // First: quantity 8 → 800.00 / 184.00 / 984.00; difference −200.00 / −46.00 / −246.00.
        var first = await CorrectAsync(sales, invoice.Id(), new { reason = "Zwrot 2 ryz", lines = new[] { new { position = 1, quantity = "8" } } });
        AssertTotals(first, (-200.00m, -46.00m, -246.00m));

        // Second, of the first: price 90.00 → 8 × 90.00 = 720.00 + 165.60 = 885.60; difference −80.00 / −18.40 / −98.40.
        var second = await CorrectAsync(sales, first.Id(), new { reason = "Obniżka ceny", lines = new[] { new { position = 1, unitPrice = "90.00" } } });
        Assert.Equal((first.Str("id"), invoice.Str("id")), (second.Str("correctedInvoiceId"), second.Str("originalInvoiceId")));
        Assert.Equal(first.Str("number"), second.Str("correctedInvoiceNumber"));
        AssertLine(second["correction"].Arr("lines")[0], before: (8m, 100.00m, 0m, "23", 800.00m, 184.00m, 984.00m),
            after: (8m, 90.00m, 0m, "23", 720.00m, 165.60m, 885.60m), quantityDifference: 0m, difference: (-80.00m, -18.40m, -98.40m));
        AssertRate(Rates(second)["23"], before: (800.00m, 184.00m, 984.00m), after: (720.00m, 165.60m, 885.60m), difference: (-80.00m, -18.40m, -98.40m));
        AssertTotals(second, (-80.00m, -18.40m, -98.40m));
        Assert.Equal(("KOR/2026/09/1", "KOR/2026/09/2"), (first.Str("number"), second.Str("number")));
        await AssertPostingAsync(second.Id(), partyId, receivableDebit: 0m, receivableCredit: 98.40m, revenueDebit: 80.00m, revenueCredit: 0m, vatDebit: 18.40m, vatCredit: 0m);
        await AssertLedgerBalancedAsync();

        // A new correction named by the original invoice still starts from the latest state (the second correction).
        var third = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections", new { reason = "Kolejna", lines = new[] { new { position = 1, quantity = "5" } } });
        Assert.Equal(second.Str("id"), third.Str("correctedInvoiceId"));
        var thirdLine = third["correction"].Arr("lines")[0]!;
        Assert.Equal((8m, 90.00m), (thirdLine["before"]!["quantity"]!.GetValue<decimal>(), thirdLine["before"]!["unitPrice"]!.GetValue<decimal>()));

        // 1230.00 − 246.00 − 98.40 = 885.60 owed: the ledger and the open items agree.
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(885.60m, overview.Amount("balance"));
        Assert.Equal(885.60m, await app.QueryAsync(db => db.OpenItems.Where(o => o.PartyId == partyId && o.Side == OpenItemSide.Receivable).SumAsync(o => o.OpenAmount)));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_reducing_correction_of_a_paid_invoice_leaves_a_credit_for_the_customer()
    {
        var sales = await OnAsync(new DateOnly(2026, 10, 1), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        // 1 × 1000.00 + 23 % = 1230.00, paid in full on 5 Oct.
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Projekt", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" });
        await (await OnAsync(new DateOnly(2026, 10, 5), Roles.Accountant)).PayAsync(partyId, "1230.00", allocations: [new { invoiceId = invoice.Id(), amount = "1230.00" }]);

        // Price 800.00 → 800.00 + 184.00 = 984.00; difference −200.00 / −46.00 / −246.00: the customer paid 246.00 too much.
        sales = await OnAsync(new DateOnly(2026, 10, 20), Roles.Sales);
        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Rabat posprzedażowy", lines = new[] { new { position = 1, unitPrice = "800.00" } } });
        AssertTotals(correction, (-200.00m, -46.00m, -246.00m));

        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal(-246.00m, overview.Amount("balance"));              // 1230.00 − 1230.00 paid − 246.00
        Assert.Equal(0m, overview.Amount("overdueAmount"));
        Assert.False(overview["isOverdue"]!.GetValue<bool>());
        Assert.Equal(246.00m, overview.Amount("unallocatedPayments"));   // the credit the customer holds
        var credit = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == correction.Id()));
        Assert.Equal((OpenItemSide.Credit, 246.00m, 246.00m, "correction"), (credit.Side, credit.Amount, credit.OpenAmount, credit.SourceType));
        Assert.Equal(0, await app.QueryAsync(db => db.CorrectionSettlements.CountAsync(s => s.CorrectionId == correction.Id())));
        await AssertLedgerBalancedAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task A_reducing_correction_of_a_partly_paid_invoice_settles_the_rest_and_keeps_the_excess_as_credit()
    {
        var sales = await OnAsync(new DateOnly(2026, 11, 2), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // 1230.00, 1000.00 paid: 230.00 open. Full reversal gives back 1230.00: 230.00 settles the invoice, 1000.00 is credit.
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Projekt", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" });
        await (await OnAsync(new DateOnly(2026, 11, 3), Roles.Accountant)).PayAsync(partyId, "1000.00", allocations: [new { invoiceId = invoice.Id(), amount = "1000.00" }]);
        sales = await OnAsync(new DateOnly(2026, 11, 4), Roles.Sales);
        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Odstąpienie od umowy", fullReversal = true });

        var settlement = Assert.Single(await app.QueryAsync(db => db.CorrectionSettlements.Where(s => s.CorrectionId == correction.Id()).ToListAsync()));
        Assert.Equal(230.00m, settlement.Amount);
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal((-1000.00m, 1000.00m), (overview.Amount("balance"), overview.Amount("unallocatedPayments")));
        Assert.Equal(0m, await app.QueryAsync(db => db.OpenItems.Where(o => o.SourceId == invoice.Id()).SumAsync(o => o.OpenAmount)));
        await AssertLedgerBalancedAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Issued_corrections_are_immutable_drafts_can_be_cancelled_and_a_stale_draft_is_refused()
    {
        var sales = await OnAsync(new DateOnly(2026, 12, 1), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Towar", quantity = "10", unitPrice = "10.00", vatRateCode = "23" });
        var body = new { reason = "Zwrot", lines = new[] { new { position = 1, quantity = "9" } } };

        // A draft that is deleted (cancelled) leaves no trace in the links and takes no number.
        var cancelled = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections", body);
        await sales.ExpectAsync(HttpMethod.Delete, $"/api/invoices/{cancelled.Id()}", null, HttpStatusCode.NoContent);
        Assert.Empty((await sales.GetOkAsync($"/api/documents/{invoice.Id()}/links")).AsArray());
        // A correction draft is not edited through the invoice form.
        var stale = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections", body);
        var (putDraft, _, _) = await sales.SendAsync(HttpMethod.Put, $"/api/invoices/{stale.Id()}", new { partyId, lines = new[] { new { description = "x", quantity = 1, unitPrice = "1.00", vatRateCode = "23" } } });
        Assert.Equal(HttpStatusCode.Conflict, putDraft);

        var issued = await CorrectAsync(sales, invoice.Id(), body);
        Assert.Equal("KOR/2026/12/1", issued.Str("number"));
        foreach (var (method, url, payload) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Put, $"/api/invoices/{issued.Id()}", new { partyId, lines = new[] { new { description = "x", quantity = 1, unitPrice = "1.00", vatRateCode = "23" } } }),
                     (HttpMethod.Delete, $"/api/invoices/{issued.Id()}", null),
                     (HttpMethod.Post, $"/api/invoices/{issued.Id()}/issue", null),
                     (HttpMethod.Delete, $"/api/invoices/{invoice.Id()}", null),
                 })
        {
            var (status, problem, _) = await sales.SendAsync(method, url, payload);
            Assert.True(status == HttpStatusCode.Conflict, $"{method} {url}: expected 409, got {(int)status} {problem?.ToJsonString()}");
        }

        // The other draft was made from the invoice before the correction was issued: its "before" is out of date.
        var entriesBefore = await app.QueryAsync(db => db.JournalEntries.CountAsync());
        var (staleStatus, staleProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{stale.Id()}/issue");
        Assert.Equal(HttpStatusCode.Conflict, staleStatus);
        Assert.Contains("KOR/2026/12/1", staleProblem.Str("detail"));
        Assert.Equal(entriesBefore, await app.QueryAsync(db => db.JournalEntries.CountAsync()));
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/invoices/{stale.Id()}")).Str("status"));
        // The number was given back: the next correction is /2.
        await sales.ExpectAsync(HttpMethod.Delete, $"/api/invoices/{stale.Id()}", null, HttpStatusCode.NoContent);
        var next = await CorrectAsync(sales, invoice.Id(), new { reason = "Dalszy zwrot", lines = new[] { new { position = 1, quantity = "8" } } });
        Assert.Equal("KOR/2026/12/2", next.Str("number"));
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Bad_correction_requests_are_refused_naming_the_field_and_write_nothing()
    {
        var sales = await OnAsync(new DateOnly(2027, 1, 4), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Towar", quantity = "2", unitPrice = "10.00", vatRateCode = "23" });
        var draft = await sales.CreateDraftAsync(partyId, "10.00");
        var before = await CountsAsync();
        var url = $"/api/invoices/{invoice.Id()}/corrections";

        await ExpectBadAsync(sales, url, new { lines = new[] { new { position = 1, quantity = "1" } } }, "reason");
        await ExpectBadAsync(sales, url, new { reason = "   ", lines = new[] { new { position = 1, quantity = "1" } } }, "reason");
        await ExpectBadAsync(sales, url, new { reason = "x", lines = new[] { new { position = 7, quantity = "1" } } }, "lines[0].position");
        await ExpectBadAsync(sales, url, new { reason = "x", lines = new[] { new { position = 1, quantity = "2" } } }, "lines");        // changes nothing
        await ExpectBadAsync(sales, url, new { reason = "x" }, "lines");                                                               // no lines, no reversal
        await ExpectBadAsync(sales, url, new { reason = "x", fullReversal = true, lines = new[] { new { position = 1, quantity = "1" } } }, "lines");
        await ExpectBadAsync(sales, url, new { reason = "x", lines = new[] { new { position = 1, quantity = "-1" } } }, "lines[0].quantity");
        await ExpectBadAsync(sales, url, new { reason = "x", lines = new[] { new { position = 1, discountPercent = 150 } } }, "lines[0].discountPercent");
        await ExpectBadAsync(sales, url, new { reason = "x", lines = new[] { new { position = 1, vatRateCode = "17" } } }, "lines[0].vatRateCode");
        await ExpectBadAsync(sales, url, new { reason = "x", issueDate = "2027-01-01", lines = new[] { new { position = 1, quantity = "1" } } }, "issueDate");
        await ExpectBadAsync(sales, url, """{"reason":"x","lines":[{"position":1,"quantity":"abc"}]}""", "lines[0].quantity");

        var (draftStatus, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{draft.Id()}/corrections", new { reason = "x", fullReversal = true });
        Assert.Equal(HttpStatusCode.Conflict, draftStatus);
        var (missingStatus, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{Guid.NewGuid()}/corrections", new { reason = "x", fullReversal = true });
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);

        Assert.Equal(before, await CountsAsync());
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task The_correction_pdf_names_the_corrected_invoice_the_reason_the_lines_before_and_after_and_the_refund()
    {
        var sales = await OnAsync(new DateOnly(2027, 2, 1), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // 10 × 200.00 = 2000.00 + 460.00 = 2460.00; quantity 7 → 1400.00 + 322.00 = 1722.00; refund 738.00.
        var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Monitor", quantity = "10", unitPrice = "200.00", vatRateCode = "23" });
        var correction = await CorrectAsync(sales, invoice.Id(), new { reason = "Zwrot 3 sztuk — uszkodzone", lines = new[] { new { position = 1, quantity = "7" } } });

        using var response = await sales.GetAsync($"/api/invoices/{correction.Id()}/pdf?language=pl");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = PdfText.All(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Faktura korygująca", text);
        Assert.Contains("KOR/2027/02/1", text);
        Assert.Contains($"Dotyczy faktury nr {invoice.Str("number")} z dnia 01.02.2027", text);
        Assert.Contains("Przyczyna korekty: Zwrot 3 sztuk — uszkodzone", text);
        Assert.Contains("Przed korektą", text);
        Assert.Contains("Po korekcie", text);
        Assert.Contains("2 000,00", text);   // line before
        Assert.Contains("1 400,00", text);   // line after
        Assert.Contains("Różnica według stawek VAT", text);
        Assert.Contains("Do zwrotu: 738,00 PLN", text);
        Assert.Contains("siedemset trzydzieści osiem", text);

        foreach (var (language, title) in new[] { ("en", "Correction invoice"), ("ru", "Корректировочный счёт-фактура") })
        {
            using var translated = await sales.GetAsync($"/api/invoices/{correction.Id()}/pdf?language={language}");
            var words = PdfText.All(await translated.Content.ReadAsByteArrayAsync());
            Assert.Contains(title, words);
            Assert.Contains(invoice.Str("number"), words);
        }
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    [Fact]
    public async Task Two_corrections_of_one_invoice_issued_at_once_in_different_months_do_not_fork_the_chain()
    {
        // Different months take different counter rows, so numbering does not order the two issuers; only a lock on
        // the corrected chain does. Several rounds, because one round can be ordered by luck.
        var sales = await OnAsync(new DateOnly(2027, 6, 1), Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        for (var round = 0; round < 4; round++)
        {
            sales = await OnAsync(new DateOnly(2027, 6, 1), Roles.Sales);
            var invoice = await IssueInvoiceAsync(sales, partyId, new { description = "Monitor", quantity = "10", unitPrice = "200.00", vatRateCode = "23" });
            sales = await OnAsync(new DateOnly(2027, 8, 20), Roles.Sales);
            var july = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
                new { reason = "Zwrot 1 sztuki", issueDate = "2027-07-15", lines = new[] { new { position = 1, quantity = "9" } } });
            var august = await sales.PostCreatedAsync($"/api/invoices/{invoice.Id()}/corrections",
                new { reason = "Rabat posprzedażowy", issueDate = "2027-08-15", lines = new[] { new { position = 1, unitPrice = "180.00" } } });

            var answers = await Task.WhenAll(
                sales.SendAsync(HttpMethod.Post, $"/api/invoices/{july.Id()}/issue"),
                sales.SendAsync(HttpMethod.Post, $"/api/invoices/{august.Id()}/issue"));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.Status).Order().ToArray());
            var issued = await app.QueryAsync(db => db.Invoices
                .Where(i => i.OriginalInvoiceId == invoice.Id() && i.Status == Kontor.Sales.InvoiceStatus.Issued)
                .Select(i => i.CorrectedInvoiceId).ToListAsync());
            Assert.Equal(invoice.Id(), Assert.Single(issued));
        }
        await AssertLedgerBalancedAsync();
        app.Clock.SetDate(KontorApp.DefaultToday);
    }

    // ---- helpers ----

    private async Task<HttpClient> OnAsync(DateOnly date, string role)
    {
        app.Clock.SetDate(date);
        return await app.ClientAsync(role);
    }

    private static async Task<JsonNode> IssueInvoiceAsync(HttpClient client, Guid partyId, params object[] lines)
    {
        var draft = await client.PostCreatedAsync("/api/invoices", new { partyId, currency = "PLN", pricingMode = "Net", lines });
        return await client.IssueAsync(draft.Id());
    }

    /// <summary>Creates the correction draft and issues it.</summary>
    private static async Task<JsonNode> CorrectAsync(HttpClient client, Guid invoiceId, object body) =>
        await client.IssueAsync((await client.PostCreatedAsync($"/api/invoices/{invoiceId}/corrections", body)).Id());

    private Task<(int Invoices, int Links, long Counters, int Entries)> CountsAsync() => app.QueryAsync(async db => (
        await db.Invoices.CountAsync(), await db.DocumentLinks.CountAsync(), await db.NumberingCounters.SumAsync(c => c.LastValue), await db.JournalEntries.CountAsync()));

    private static async Task ExpectBadAsync(HttpClient client, string url, object body, string field)
    {
        var (status, problem, _) = await client.SendAsync(HttpMethod.Post, url, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{body}: expected 400, got {(int)status} {problem?.ToJsonString()}");
        var errors = problem!["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"expected errors[\"{field}\"], got {problem.ToJsonString()}");
    }

    private static Dictionary<string, JsonNode> Rates(JsonNode correction) =>
        correction["correction"].Arr("byRate").ToDictionary(r => r.Str("vatRateCode"), r => r!);

    private static void AssertAmounts(JsonNode? node, (decimal Net, decimal Vat, decimal Gross) expected) =>
        Assert.Equal(expected, (node.Amount("net"), node.Amount("vat"), node.Amount("gross")));

    private static void AssertTotals(JsonNode correction, (decimal Net, decimal Vat, decimal Gross) difference)
    {
        Assert.Equal(difference, (correction.Amount("totalNet"), correction.Amount("totalVat"), correction.Amount("totalGross")));
        AssertAmounts(correction["correction"]!["difference"], difference);
    }

    private static void AssertRate(JsonNode rate, (decimal, decimal, decimal) before, (decimal, decimal, decimal) after, (decimal, decimal, decimal) difference)
    {
        AssertAmounts(rate["before"], before);
        AssertAmounts(rate["after"], after);
        AssertAmounts(rate["difference"], difference);
    }

    private static void AssertLine(JsonNode? line,
        (decimal Quantity, decimal UnitPrice, decimal Discount, string Rate, decimal Net, decimal Vat, decimal Gross) before,
        (decimal Quantity, decimal UnitPrice, decimal Discount, string Rate, decimal Net, decimal Vat, decimal Gross) after,
        decimal quantityDifference, (decimal, decimal, decimal) difference)
    {
        foreach (var (state, expected) in new[] { ("before", before), ("after", after) })
        {
            var s = line![state]!;
            Assert.Equal((expected.Quantity, expected.UnitPrice, expected.Discount, expected.Rate),
                (s["quantity"]!.GetValue<decimal>(), s["unitPrice"]!.GetValue<decimal>(), s["discountPercent"]!.GetValue<decimal>(), s.Str("vatRateCode")));
            AssertAmounts(s["amounts"], (expected.Net, expected.Vat, expected.Gross));
        }
        Assert.Equal(quantityDifference, line!["quantityDifference"]!.GetValue<decimal>());
        AssertAmounts(line["difference"], difference);
    }

    private async Task AssertPostingAsync(Guid documentId, Guid partyId, decimal receivableDebit, decimal receivableCredit,
        decimal revenueDebit, decimal revenueCredit, decimal vatDebit, decimal vatCredit)
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={documentId}")).AsArray())!;
        var lines = entry.Arr("lines").Select(l => l!).ToList();
        (decimal Debit, decimal Credit) On(string account) => lines.Where(l => l.Str("accountCode") == account)
            .Aggregate((0m, 0m), (sum, l) => (sum.Item1 + l.Amount("debit"), sum.Item2 + l.Amount("credit")));
        Assert.Equal((receivableDebit, receivableCredit), On("201"));
        Assert.Equal((revenueDebit, revenueCredit), On("700"));
        Assert.Equal((vatDebit, vatCredit), On("221"));
        Assert.All(lines.Where(l => l.Str("accountCode") == "201"), l => Assert.Equal(partyId.ToString(), l.Str("partyId")));
        Assert.Equal(lines.Sum(l => l.Amount("debit")), lines.Sum(l => l.Amount("credit")));
    }

    private async Task AssertLedgerBalancedAsync()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        var total = Assert.Single(trialBalance.Arr("totals"))!;
        Assert.Equal(total.Amount("debit"), total.Amount("credit"));
    }
}

public sealed class SqliteCorrectionTests(SqliteApp app) : CorrectionTests<SqliteApp>(app);

public sealed class PostgresCorrectionTests(PostgresApp app) : CorrectionTests<PostgresApp>(app);
