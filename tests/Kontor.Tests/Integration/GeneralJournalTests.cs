using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>Manual entries, storno, opening balances and the year-end close, with the figures worked out by hand.</summary>
public abstract class GeneralJournalTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task A_manual_entry_posts_balanced_lines_and_its_storno_undoes_it_once()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var entry = await accountant.PostCreatedAsync("/api/ledger/entries", PeriodTests<TApp>.Manual("2026-03-05", ("402", 1230.45m, 0m), ("130", 0m, 1230.45m)));
        Assert.Equal(("manual", "2026-03-05"), (entry.Str("sourceType"), entry.Str("date")));
        Assert.Equal((1230.45m, 1230.45m), (Line(entry, "402").Amount("debit"), Line(entry, "130").Amount("credit")));

        var storno = await accountant.PostCreatedAsync($"/api/ledger/entries/{entry.Id()}/reverse", new { date = "2026-03-10", reason = "Błędne konto" });
        Assert.Equal(("reversal", entry.Str("id"), "2026-03-10"), (storno.Str("sourceType"), storno.Str("sourceId"), storno.Str("date")));
        Assert.Equal((1230.45m, 1230.45m), (Line(storno, "402").Amount("credit"), Line(storno, "130").Amount("debit")));
        Assert.Contains("Błędne konto", storno.Str("description"));

        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/ledger/entries/{entry.Id()}/reverse", new { reason = "Jeszcze raz" });
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("already reversed", body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invoice_posting_is_not_reversed_by_hand()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var invoice = await sales.CreateAndIssueAsync((await sales.CreatePartyAsync()).Id(), "100.00");
        var posting = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={invoice.Id()}")).AsArray())!;
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/ledger/entries/{posting.Id()}/reverse", new { reason = "Nie" });
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("Only manual entries", body!["detail"]!.GetValue<string>());
    }

    public static TheoryData<string, object, string> BadManualEntries() => new()
    {
        { "unbalanced", Entry(("402", "100.00", null, null), ("130", null, "99.99", null)), "lines" },
        { "one line", Entry(("402", "100.00", null, null)), "lines" },
        { "unknown account", Entry(("999", "100.00", null, null), ("130", null, "100.00", null)), "lines[0].accountCode" },
        { "receivables by hand", Entry(("201", "100.00", null, Guid.NewGuid().ToString()), ("130", null, "100.00", null)), "lines[0].accountCode" },
        { "payables without a party", Entry(("402", "100.00", null, null), ("202", null, "100.00", null)), "lines[1].partyId" },
        { "both sides", Entry(("402", "100.00", "100.00", null), ("130", null, "100.00", null)), "lines[0].debit" },
        { "negative", Entry(("402", "-100.00", null, null), ("130", null, "-100.00", null)), "lines[0].debit" },
        { "fractions of a grosz", Entry(("402", "100.005", null, null), ("130", null, "100.005", null)), "lines[1].credit" },
        { "no description", new { date = "2026-03-05", currency = "PLN", lines = Entry(("402", "1.00", null, null), ("130", null, "1.00", null)).Lines }, "description" },
    };

    [Theory]
    [MemberData(nameof(BadManualEntries))]
    public async Task A_bad_manual_entry_is_refused_naming_the_field_and_nothing_is_posted(string why, object body, string field)
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var before = await app.QueryAsync(db => db.JournalEntries.CountAsync());
        var (status, problem, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/entries", body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{why}: {(int)status} {problem?.ToJsonString()}");
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), $"{why}: expected errors[{field}] in {problem.ToJsonString()}");
        Assert.Equal(before, await app.QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task An_opening_balance_owed_to_a_supplier_is_a_payable_in_the_AP_aging_not_a_customer_credit()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplier = (await (await app.ClientAsync(Roles.Sales)).CreatePartyAsync()).Id();
        // We owe the supplier 738.00 (FZ/2025/11/3, due 2025-12-10): Cr 202 738.00 / Dr 130 738.00.
        await accountant.PostCreatedAsync("/api/ledger/opening-balances", new
        {
            date = "2028-01-01",
            lines = new object[]
            {
                new { accountCode = "130", currency = "PLN", debit = "738.00" },
                new { accountCode = "202", partyId = supplier, currency = "PLN", credit = "738.00", documentNumber = "FZ/2025/11/3", documentDate = "2025-11-20", dueDate = "2025-12-10" },
            },
        });

        var item = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.PartyId == supplier));
        Assert.Equal((Kontor.Ledger.OpenItemSide.Payable, 738.00m, new DateOnly(2025, 12, 10)), (item.Side, item.OpenAmount, item.DueDate!.Value));
        var aging = await accountant.GetOkAsync($"/api/payables/aging?asOf=2028-01-02&supplierId={supplier}");
        Assert.Equal(738.00m, aging.Arr("rows").Single()!.Amount("total"));
    }

    [Fact]
    public async Task Opening_balances_post_per_currency_against_BO_and_receivables_become_open_items_a_payment_settles()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var sales = await app.ClientAsync(Roles.Sales);
        var customer = (await sales.CreatePartyAsync()).Id();
        // PLN: bank 10 000.00, receivable 2 460.00 (FV/2025/12/7), capital 15 000.00 Cr; EUR receivable 1 000.00 EUR carried at 4 250.00 PLN,
        // result 1 710.00 Cr. In PLN: Dr 10 000.00 + 2 460.00 + 4 250.00 = 16 710.00 = Cr 15 000.00 + 1 710.00.
        var entries = (await accountant.PostCreatedAsync("/api/ledger/opening-balances", new
        {
            date = "2027-01-01",
            lines = new object[]
            {
                new { accountCode = "130", currency = "PLN", debit = "10000.00" },
                new { accountCode = "201", partyId = customer, currency = "PLN", debit = "2460.00", documentNumber = "FV/2025/12/7", documentDate = "2025-12-15", dueDate = "2026-01-14" },
                new { accountCode = "201", partyId = customer, currency = "EUR", debit = "1000.00", baseAmount = "4250.00", documentNumber = "FV/2025/12/9", dueDate = "2026-01-20" },
                new { accountCode = "801", currency = "PLN", credit = "15000.00" },
                new { accountCode = "860", currency = "PLN", credit = "1710.00" },
            },
        })).AsArray();
        Assert.Equal(2, entries.Count);
        var eur = entries.Single(e => Line(e!, "201")["debit"]!.Str("currency") == "EUR")!;
        // EUR entry: Dr 201 1 000.00 EUR (4 250.00 PLN) / Cr BO 1 000.00 EUR (4 250.00 PLN).
        Assert.Equal((1000.00m, 4250.00m), (Line(eur, "BO").Amount("credit"), Line(eur, "BO").Amount("baseCredit")));
        var pln = entries.Single(e => e != eur)!;
        // PLN entry: Dr 12 460.00 / Cr 16 710.00 → BO Dr 4 250.00, so BO is zero in PLN overall.
        Assert.Equal(4250.00m, Line(pln, "BO").Amount("debit"));

        var overview = await sales.GetOkAsync($"/api/parties/{customer}/overview");
        Assert.Equal(2460.00m, overview.Amount("overdueAmount"));   // due 14.01.2026, long past on 20.03.2026
        var payment = await accountant.PostCreatedAsync("/api/payments", new
        {
            partyId = customer, date = "2027-01-05", amount = new { amount = "2460.00", currency = "PLN" }, reference = "FV/2025/12/7",
        });
        Assert.Equal(0m, payment.Amount("unallocated"));
        Assert.Equal(0m, (await sales.GetOkAsync($"/api/parties/{customer}/overview")).Amount("overdueAmount"));

        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2027-01-31");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        Assert.DoesNotContain(trialBalance.Arr("bookRows"), r => r.Str("accountCode") == "BO" && r.Amount("debit") != r.Amount("credit"));

        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/opening-balances", new
        {
            date = "2027-01-01", lines = new object[] { new { accountCode = "130", debit = "1.00" }, new { accountCode = "801", credit = "1.00" } },
        });
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {body?.ToJsonString()}");
    }

    [Fact]
    public async Task Opening_balances_that_do_not_balance_in_PLN_are_refused()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var before = await app.QueryAsync(db => db.JournalEntries.CountAsync());
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/opening-balances", new
        {
            date = "2028-01-01",
            lines = new object[]
            {
                new { accountCode = "130", currency = "PLN", debit = "100.00" },
                new { accountCode = "131", currency = "PLN", debit = "1.00" },
                new { accountCode = "130", currency = "EUR", debit = "10.00" },
                new { accountCode = "801", currency = "PLN", credit = "99.00" },
            },
        });
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {body?.ToJsonString()}");
        var errors = body!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("lines[1].accountCode") && errors.ContainsKey("lines[2].baseAmount"), body.ToJsonString());
        Assert.Equal(before, await app.QueryAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task The_year_end_close_moves_revenue_and_costs_to_the_result_account_once()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        // 2029: revenue 700 of 2 × 1 000.00 net; costs 402 of 300.00 → profit 1 700.00.
        var party = (await sales.CreatePartyAsync()).Id();
        await sales.IssueAsync((await sales.CreateDraftAsync(party, "1000.00", issueDate: new DateOnly(2029, 5, 10))).Id());
        await sales.IssueAsync((await sales.CreateDraftAsync(party, "1000.00", issueDate: new DateOnly(2029, 11, 10))).Id());
        await accountant.PostCreatedAsync("/api/ledger/entries", PeriodTests<TApp>.Manual("2029-06-01", ("402", 300m, 0m), ("130", 0m, 300m)));

        var closing = Assert.Single((await accountant.PostCreatedAsync("/api/ledger/years/2029/close", new { })).AsArray())!;
        Assert.Equal(("year-close", "2029-12-31", "2029"), (closing.Str("sourceType"), closing.Str("date"), closing.Str("sourceNumber")));
        Assert.Equal(2000.00m, Line(closing, "700").Amount("debit"));
        Assert.Equal(300.00m, Line(closing, "402").Amount("credit"));
        Assert.Equal(1700.00m, Line(closing, "860").Amount("credit"));

        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2029-12-31");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, "/api/ledger/years/2029/close", new { });
        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {body?.ToJsonString()}");
        Assert.Contains("already closed", body!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Post, "/api/ledger/years/2029/close", new { })).Status);
    }

    private static JsonNode Line(JsonNode entry, string account) => entry.Arr("lines").Single(l => l.Str("accountCode") == account)!;

    private static (string? Date, string Description, string Currency, object[] Lines) EntryParts(params (string Account, string? Debit, string? Credit, string? Party)[] lines) =>
        ("2026-03-05", "PK", "PLN", lines.Select(l => (object)new { accountCode = l.Account, debit = l.Debit, credit = l.Credit, partyId = l.Party }).ToArray());

    private static EntryBody Entry(params (string Account, string? Debit, string? Credit, string? Party)[] lines)
    {
        var (date, description, currency, body) = EntryParts(lines);
        return new EntryBody(date, description, currency, body);
    }

    public sealed record EntryBody(string? Date, string Description, string Currency, object[] Lines);
}

public sealed class SqliteGeneralJournalTests(SqliteApp app) : GeneralJournalTests<SqliteApp>(app);

public sealed class PostgresGeneralJournalTests(PostgresApp app) : GeneralJournalTests<PostgresApp>(app);
