using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Credit control through the API: a new invoice, pro forma or order for a party over its limit or overdue beyond the
/// company's threshold (30 days by default) is 409 credit-blocked with nothing written; a Manager approves with a reason
/// (audited as credit.override); a Sales user sending the approval gets 403.
/// </summary>
public abstract class CreditControlTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // One line 1000.00 net at 23 %: 1230.00 gross.
    private static object DocumentBody(Guid partyId, object? creditOverride = null) => new
    {
        partyId, currency = "PLN", pricingMode = "Net", creditOverride,
        lines = new[] { new { description = "Wdrożenie", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" } },
    };

    private Task<int> DocumentsOfAsync(Guid partyId) => app.QueryAsync(async db =>
        await db.Invoices.CountAsync(i => i.PartyId == partyId) + await db.Orders.CountAsync(o => o.PartyId == partyId));

    [Fact]
    public async Task Sales_creating_an_invoice_over_the_limit_is_blocked_and_nothing_is_written()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 7));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(creditLimit: "1000.00")).Id();
        var auditBefore = await app.QueryAsync(db => db.AuditEntries.CountAsync());

        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices", DocumentBody(partyId));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("credit-blocked", problem.Str("code"));
        Assert.Equal(["LimitExceeded"], problem.Arr("reasons").Select(r => r!.GetValue<string>()).ToArray());
        Assert.Equal(("1000.00", "0.00", "1230.00", "230.00"), (problem.Str("creditLimit"), problem.Str("balance"), problem.Str("exposure"), problem.Str("exceededBy")));
        Assert.Contains("credit limit 1000.00 PLN exceeded by 230.00 PLN", problem.Str("detail"));
        Assert.Equal(0, await DocumentsOfAsync(partyId));
        Assert.Equal(auditBefore, await app.QueryAsync(db => db.AuditEntries.CountAsync()));
    }

    [Fact]
    public async Task A_document_exactly_at_the_limit_is_allowed()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 8));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(creditLimit: "1230.00")).Id();
        await sales.PostCreatedAsync("/api/invoices", DocumentBody(partyId));
        Assert.Equal(1, await DocumentsOfAsync(partyId));
    }

    [Fact]
    public async Task Order_and_pro_forma_are_blocked_too()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 9));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(creditLimit: "500.00")).Id();
        foreach (var url in new[] { "/api/orders", "/api/proformas" })
        {
            var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, url, DocumentBody(partyId));
            Assert.True(status == HttpStatusCode.Conflict, $"{url}: {status} {problem?.ToJsonString()}");
            Assert.Equal("credit-blocked", problem.Str("code"));
            Assert.Equal("730.00", problem.Str("exceededBy"));
        }
        Assert.Equal(0, await DocumentsOfAsync(partyId));
    }

    [Fact]
    public async Task Manager_approves_with_a_reason_and_the_override_is_audited()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 10));
        var sales = await app.ClientAsync(Roles.Sales);
        var manager = await app.ClientAsync(Roles.Manager);
        var partyId = (await sales.CreatePartyAsync(creditLimit: "1000.00")).Id();

        var invoice = await manager.PostCreatedAsync("/api/invoices", DocumentBody(partyId, new { reason = "Przedpłata zapowiedziana na piątek" }));
        var order = await manager.PostCreatedAsync("/api/orders", DocumentBody(partyId, new { reason = "Stały klient" }));

        Assert.Equal(2, await DocumentsOfAsync(partyId));
        var entry = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "credit.override" && a.EntityId == invoice.Id().ToString()));
        Assert.Equal(("invoice", KontorApp.UserByRole[Roles.Manager]), (entry.EntityType, entry.UserName));
        var details = JsonNode.Parse(entry.Details)!;
        Assert.Equal(partyId.ToString(), details.Str("partyId"));
        Assert.Equal("Przedpłata zapowiedziana na piątek", details.Str("reason"));
        decimal Number(string name) => details[name]!.GetValue<decimal>();
        Assert.Equal((1230.00m, 1000.00m, 0m, 230.00m), (Number("gross"), Number("creditLimit"), Number("balance"), Number("exceededBy")));
        Assert.Equal(KontorApp.UserByRole[Roles.Manager], details.Str("user"));
        var orderEntry = await app.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "credit.override" && a.EntityId == order.Id().ToString()));
        Assert.Equal("order", orderEntry.EntityType);
    }

    [Fact]
    public async Task An_approval_without_a_reason_is_refused_naming_the_field()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 13));
        var manager = await app.ClientAsync(Roles.Manager);
        var partyId = (await manager.CreatePartyAsync(creditLimit: "1000.00")).Id();
        var (status, problem, _) = await manager.SendAsync(HttpMethod.Post, "/api/invoices", DocumentBody(partyId, new { reason = "  " }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem?["errors"]?["creditOverride.reason"]);
        Assert.Equal(0, await DocumentsOfAsync(partyId));
    }

    [Fact]
    public async Task Sales_sending_an_approval_gets_403_naming_the_permission()
    {
        app.Clock.SetDate(new DateOnly(2026, 4, 14));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(creditLimit: "1000.00")).Id();
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices", DocumentBody(partyId, new { reason = "Znam klienta" }));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("OverrideCreditBlock", problem.Str("permission"));
        Assert.Contains("OverrideCreditBlock", problem.Str("detail"));
        Assert.Equal(0, await DocumentsOfAsync(partyId));
    }

    [Fact]
    public async Task Overdue_beyond_the_threshold_blocks_new_documents_and_the_issue_of_a_draft()
    {
        // Invoice issued 2026-05-04 with 14 days: due 2026-05-18. 30 days past due = 2026-06-17, 31 = 2026-06-18.
        app.Clock.SetDate(new DateOnly(2026, 5, 4));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        await sales.CreateAndIssueAsync(partyId, "100.00", paymentTermDays: 14);

        app.Clock.SetDate(new DateOnly(2026, 6, 17));
        sales = await app.ClientAsync(Roles.Sales);
        var draft = await sales.PostCreatedAsync("/api/invoices", DocumentBody(partyId));   // 30 days: still allowed

        app.Clock.SetDate(new DateOnly(2026, 6, 18));
        sales = await app.ClientAsync(Roles.Sales);
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices", DocumentBody(partyId));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(["Overdue"], problem.Arr("reasons").Select(r => r!.GetValue<string>()).ToArray());
        Assert.Equal((31, 30, "123.00"), (problem!["daysOverdue"]!.GetValue<int>(), problem["overdueDaysThreshold"]!.GetValue<int>(), problem.Str("overdueAmount")));

        // The draft made yesterday is checked again when issued: it stays a draft.
        var (issueStatus, issueProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{draft.Id()}/issue");
        Assert.Equal(HttpStatusCode.Conflict, issueStatus);
        Assert.Equal("credit-blocked", issueProblem.Str("code"));
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/invoices/{draft.Id()}")).Str("status"));

        var manager = await app.ClientAsync(Roles.Manager);
        var issued = await manager.PostOkAsync($"/api/invoices/{draft.Id()}/issue", new { creditOverride = new { reason = "Zapłata potwierdzona telefonicznie" } });
        Assert.Equal("Issued", issued.Str("status"));
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "credit.override" && a.EntityId == draft.Id().ToString())));
    }

    [Fact]
    public async Task The_threshold_is_a_company_setting()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var settings = await admin.GetOkAsync("/api/settings/company");
        Assert.Equal(30, settings!["creditOverdueDaysThreshold"]!.GetValue<int>());
    }
}

public sealed class SqliteCreditControlTests(SqliteApp app) : CreditControlTests<SqliteApp>(app);

public sealed class PostgresCreditControlTests(PostgresApp app) : CreditControlTests<PostgresApp>(app);
