using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Kontor.Ledger;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Banking;

/// <summary>
/// Money out on each database: a statement line paying a booked purchase invoice (supplier named by NIP, the supplier's own
/// number in the title) is posted automatically as a supplier payment (Dr 202 / Cr 130) in the line's date; a partial
/// payment waits and is split by hand; a bank fee is booked by hand to 402-1; the ledger stays balanced; a line is settled once.
/// </summary>
public abstract class OutgoingReconciliationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static readonly DateOnly StatementDate = new(2026, 3, 20);

    /// <summary>A booked PLN purchase invoice of one 23 % line to 402; the net is random so the gross is unique in this database.</summary>
    private static async Task<(Guid Id, decimal Gross)> PurchaseAsync(HttpClient client, Guid supplierId, string number)
    {
        var net = 500m + Random.Shared.Next(1, 90_000) / 100m;
        var draft = await client.PostCreatedAsync("/api/purchase-invoices", new
        {
            supplierId, supplierInvoiceNumber = number, issueDate = new DateOnly(2026, 3, 2), receiptDate = new DateOnly(2026, 3, 3),
            dueDate = new DateOnly(2026, 3, 31), currency = "PLN",
            lines = new[] { new { description = "Usługa", net = net.ToString("0.00", CultureInfo.InvariantCulture), vatRateCode = "23", accountCode = "402", deduction = "Full" } },
        });
        await client.PostOkAsync($"/api/purchase-invoices/{draft.Id()}/book");
        // Gross by hand: net + 23 % VAT rounded half away from zero to grosz.
        return (draft.Id(), net + Math.Round(net * 0.23m, 2, MidpointRounding.AwayFromZero));
    }

    private static (decimal Debit, decimal Credit) Side(JsonNode entry, string account)
    {
        var lines = entry.Arr("lines").Where(l => l!.Str("accountCode") == account).ToList();
        return (lines.Sum(l => l!.Amount("debit")), lines.Sum(l => l!.Amount("credit")));
    }

    private static JsonNode LineWithTitle(JsonArray queue, string fragment) =>
        queue.Single(i => (i!["line"]!["title"]?.GetValue<string>() ?? "").Contains(fragment, StringComparison.Ordinal))!;

    [Fact]
    public async Task A_supplier_invoice_paid_exactly_is_posted_a_partial_one_is_split_and_a_fee_is_booked_once()
    {
        await TestStatements.EnsureCompanyAccountAsync(app);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var energy = await accountant.CreatePartyAsync("Energa Dostawy");
        var energyId = energy.Id();
        var paper = (await accountant.CreatePartyAsync("Papiernik")).Id();
        var serial = Random.Shared.Next(100, 999);
        var p1 = await PurchaseAsync(accountant, energyId, $"FE/{serial}/03/2026");
        var p2 = await PurchaseAsync(accountant, paper, $"PAP {serial}-2026");

        var imported = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(
            new TestStatementLine(p1.Gross, $"Faktura FE {serial}/3/2026 NIP {energy.Str("taxId")}", Debit: true, Name: "ENERGA DOSTAWY"),
            new TestStatementLine(p2.Gross - 100.00m, $"Zaplata PAP {serial}/2026 czesc", Debit: true, Name: "PAPIERNIK"),
            new TestStatementLine(7.50m, "Oplata za przelew natychmiastowy", Debit: true)));
        var statementId = imported.Arr("statements")[0]!.Id();
        var matching = imported["matching"]!;
        Assert.Equal((3, 3, 1), (matching["lines"]!.GetValue<int>(), matching["outgoing"]!.GetValue<int>(), matching["autoMatched"]!.GetValue<int>()));

        // The exact one: a supplier payment of Energa in the line's date, Dr 202 (Energa) / Cr 130, its payable settled.
        var auto = (await accountant.GetOkAsync($"/api/reconciliation?statementId={statementId}&status=Matched&direction=Debit")).AsArray().Single()!;
        Assert.Equal(("Automatic", energyId.ToString()), (auto.Str("resolution"), auto.Str("partyId")));
        var paymentId = Guid.Parse(auto.Str("paymentId"));
        var payment = await app.QueryAsync(db => db.Payments.Include(p => p.Allocations).SingleAsync(p => p.Id == paymentId));
        Assert.Equal((PaymentDirection.Outgoing, StatementDate, p1.Gross, p1.Id), (payment.Direction, payment.Date, payment.Amount, payment.Allocations.Single().SourceId));
        var entry = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={paymentId}")).AsArray().Single()!;
        Assert.Equal(((p1.Gross, 0m), (0m, p1.Gross)), (Side(entry, "202"), Side(entry, "130")));
        Assert.Equal(energyId.ToString(), entry.Arr("lines").Single(l => l!.Str("accountCode") == "202")!.Str("partyId"));
        Assert.Equal(0m, (await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == p1.Id && o.Side == OpenItemSide.Payable))).OpenAmount);
        var aging = await accountant.GetOkAsync("/api/payables/aging?asOf=2026-03-20");
        Assert.DoesNotContain(aging.Arr("rows"), r => r!.Str("supplierId") == energyId.ToString());

        // The default queue lists money in only; money out waits under direction=Debit.
        Assert.Empty((await accountant.GetOkAsync($"/api/reconciliation?statementId={statementId}")).AsArray());
        var queue = (await accountant.GetOkAsync($"/api/reconciliation?statementId={statementId}&direction=Debit")).AsArray();
        Assert.Equal(2, queue.Count);

        // The partial one: suggested (the supplier's number, not the whole amount), split by hand: 100.00 of P2 stays open.
        var partial = LineWithTitle(queue, "czesc");
        var suggestion = partial.Arr("suggestions")[0]!;
        Assert.Equal(paper.ToString(), suggestion.Str("partyId"));
        Assert.Contains("partial-payment", suggestion.Arr("reasons").Select(r => r!.GetValue<string>()));
        Assert.True(suggestion["confidence"]!.GetValue<decimal>() < 0.95m);
        await accountant.PostOkAsync($"/api/reconciliation/{partial["line"]!.Id()}/split", new
        {
            partyId = paper, allocations = new[] { new { invoiceId = p2.Id, amount = (p2.Gross - 100.00m).ToString("0.00", CultureInfo.InvariantCulture) } },
        });
        Assert.Equal(100.00m, (await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == p2.Id && o.Side == OpenItemSide.Payable))).OpenAmount);
        var paperRow = (await accountant.GetOkAsync($"/api/payables/aging?asOf=2026-03-20&supplierId={paper}")).Arr("rows").Single()!;
        Assert.Equal(100.00m, paperRow.Amount("total"));

        // The fee: no supplier, no suggestion. Bad accounts are 400 naming accountCode and leave the line waiting.
        var fee = LineWithTitle(queue, "Oplata za przelew");
        var feeId = fee["line"]!.Id();
        Assert.Empty(fee.Arr("suggestions"));
        foreach (var bad in new[] { "202", "999", "130" })
        {
            var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{feeId}/book", new { accountCode = bad });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.NotNull(body!["errors"]!["accountCode"]);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(Roles.Manager)).SendAsync(HttpMethod.Post, $"/api/reconciliation/{feeId}/book", new { })).Status);

        // Two people booking it at once: one entry (Dr 402-1 / Cr 130, 7.50, in the line's date), the others 409.
        var admin = await app.ClientAsync(Roles.Admin);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            (i % 2 == 0 ? accountant : admin).SendAsync(HttpMethod.Post, $"/api/reconciliation/{feeId}/book", new { note = "Opłata za przelew" })));
        Assert.Equal(1, attempts.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(attempts.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        var booked = attempts.Single(a => a.Status == HttpStatusCode.OK).Body!;
        Assert.Equal("402-1", booked.Str("accountCode"));
        var feeEntries = await app.QueryAsync(db => db.JournalEntries.Include(e => e.Lines).Where(e => e.SourceId == feeId).ToListAsync());
        var feeEntry = Assert.Single(feeEntries);
        Assert.Equal(("bank-line", StatementDate), (feeEntry.SourceType, feeEntry.Date));
        Assert.Equal((7.50m, 0m), (feeEntry.Lines.Single(l => l.AccountCode == "402-1").Debit, feeEntry.Lines.Single(l => l.AccountCode == "402-1").Credit));
        Assert.Equal((0m, 7.50m), (feeEntry.Lines.Single(l => l.AccountCode == "130").Debit, feeEntry.Lines.Single(l => l.AccountCode == "130").Credit));
        Assert.Equal(HttpStatusCode.Conflict, (await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{feeId}/accept", new { })).Status);

        var settled = (await accountant.GetOkAsync($"/api/reconciliation?statementId={statementId}&status=All&direction=Debit")).AsArray();
        Assert.Equal(["Automatic", "Booked", "Split"], settled.Select(s => s!.Str("resolution")).Order().ToArray());
        Assert.Equal("Opłata za przelew", LineWithTitle(settled, "Oplata za przelew").Str("resolutionNote"));
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "bank-line.booked" && a.EntityId == feeId.ToString())));

        // Nothing is paid twice when matching runs again; the books balance.
        Assert.Equal(0, (await accountant.PostOkAsync($"/api/bank-statements/{statementId}/match"))["lines"]!.GetValue<int>());
        Assert.Equal(2, await app.QueryAsync(db => db.Payments.CountAsync(p => p.Direction == PaymentDirection.Outgoing && (p.PartyId == energyId || p.PartyId == paper))));
        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-03-31");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        Assert.Equal(7.50m, trialBalance.Arr("bookRows").Single(r => r!.Str("accountCode") == "402-1")!.Amount("balanceDebit"));
    }

    [Fact]
    public async Task A_supplier_known_by_a_learned_account_is_paid_automatically_and_money_in_needs_an_account_to_be_booked()
    {
        await TestStatements.EnsureCompanyAccountAsync(app);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplier = (await accountant.CreatePartyAsync("Serwis Aut")).Id();
        var iban = "PL" + "61" + "1090" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString() + "123456789";
        // A first transfer to the supplier without an invoice: assigned by hand (a prepayment), which teaches Kontor its account.
        var first = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(
            new TestStatementLine(50.00m, "Zaliczka", Debit: true, Iban: iban),
            new TestStatementLine(3.21m, "Odsetki od srodkow", Name: "BANK")));
        var firstQueue = (await accountant.GetOkAsync($"/api/reconciliation?statementId={first.Arr("statements")[0]!.Id()}&direction=All")).AsArray();
        await accountant.PostOkAsync($"/api/reconciliation/{LineWithTitle(firstQueue, "Zaliczka")["line"]!.Id()}/assign", new { partyId = supplier });
        Assert.True(await app.QueryAsync(db => db.PartyBankAccounts.AnyAsync(a => a.PartyId == supplier && a.Iban == iban)));
        Assert.Equal(50.00m, (await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.PartyId == supplier && o.Side == OpenItemSide.Prepaid))).OpenAmount);

        // Interest received: money in booked to 750 (an account is required for money in).
        var interestId = LineWithTitle(firstQueue, "Odsetki")["line"]!.Id();
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/reconciliation/{interestId}/book", new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["accountCode"]);
        await accountant.PostOkAsync($"/api/reconciliation/{interestId}/book", new { accountCode = "750" });
        var interest = await app.QueryAsync(db => db.JournalEntries.Include(e => e.Lines).SingleAsync(e => e.SourceId == interestId));
        Assert.Equal((3.21m, 3.21m), (interest.Lines.Single(l => l.AccountCode == "130").Debit, interest.Lines.Single(l => l.AccountCode == "750").Credit));

        // Next month's invoice, paid from the statement without NIP or number: the learned account and the amount decide.
        var invoice = await PurchaseAsync(accountant, supplier, $"SA-{Random.Shared.Next(100, 999)}-77-2026");
        var second = await TestStatements.ImportAsync(accountant, TestStatements.Mt940(new TestStatementLine(invoice.Gross, "Przelew", Debit: true, Iban: iban)));
        Assert.Equal(1, second["matching"]!["autoMatched"]!.GetValue<int>());
        var paid = (await accountant.GetOkAsync($"/api/reconciliation?statementId={second.Arr("statements")[0]!.Id()}&status=Matched&direction=Debit")).AsArray().Single()!;
        Assert.Contains("iban-known", paid.Arr("suggestions")[0]!.Arr("reasons").Select(r => r!.GetValue<string>()));
        Assert.Equal(0m, (await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == invoice.Id && o.Side == OpenItemSide.Payable))).OpenAmount);
    }
}

public sealed class SqliteOutgoingReconciliationTests(SqliteApp app) : OutgoingReconciliationTests<SqliteApp>(app);

public sealed class PostgresOutgoingReconciliationTests(PostgresApp app) : OutgoingReconciliationTests<PostgresApp>(app);
