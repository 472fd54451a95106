using Kontor.Sales;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// Credit control on the paths without a person at the moment of issue: a batch (create-and-issue over the API, issue of
/// drafts through InvoiceService.IssueManyAsync) leaves a blocked buyer's invoice out and lists it with the reason, issuing the
/// rest; the recurring job does not issue a blocked buyer's period, reports why and keeps the schedule due until the block goes.
/// Each test works in a year of its own.
/// </summary>
public abstract class BatchCreditControlTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>One line of <paramref name="net"/> at 23 %.</summary>
    private static object Request(Guid partyId, string net, DateOnly issueDate) => new
    {
        partyId, currency = "PLN", pricingMode = "Net", issueDate, paymentTermDays = 14,
        lines = new[] { new { description = "Usługa", quantity = "1", unitPrice = net, vatRateCode = "23" } },
    };

    [Fact]
    public async Task A_create_and_issue_batch_leaves_out_the_invoice_that_takes_a_buyer_over_its_limit()
    {
        var day = new DateOnly(2033, 3, 10);
        app.Clock.SetDate(day);
        var sales = await app.ClientAsync(Roles.Sales);
        var limited = (await sales.CreatePartyAsync(creditLimit: "1000.00")).Id();
        var free = (await sales.CreatePartyAsync()).Id();

        // 500.00 net = 615.00 gross (within 1000.00); the second 400.00 net = 492.00 would make 1107.00: refused. The free buyer's goes through.
        var result = await sales.PostOkAsync("/api/invoices/batch", new
        {
            issue = true,
            invoices = new[] { Request(limited, "500.00", day), Request(limited, "400.00", day), Request(free, "100.00", day) },
        });

        var issued = result.Arr("invoices");
        Assert.Equal([("FV/2033/03/1", 615.00m), ("FV/2033/03/2", 123.00m)], issued.Select(i => (i!.Str("number"), i.Amount("gross"))).ToArray());
        var refused = Assert.Single(result.Arr("refused"))!;
        Assert.Equal((1, limited.ToString(), "credit-blocked"), (refused["index"]!.GetValue<int>(), refused.Str("partyId"), refused.Str("code")));
        Assert.Null(refused["invoiceId"]?.GetValue<string>());
        Assert.Contains("credit limit 1000.00 PLN exceeded by 107.00 PLN", refused.Str("reason"));
        Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == limited)));
        Assert.True(await app.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "invoice.batch-credit-blocked" && a.EntityId == limited.ToString())));
    }

    [Fact]
    public async Task Issuing_many_drafts_issues_those_within_credit_and_keeps_the_blocked_one_a_draft()
    {
        var day = new DateOnly(2034, 5, 11);
        app.Clock.SetDate(day);
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(creditLimit: "1300.00")).Id();
        // Three drafts of 615.00 each: every one alone is within 1300.00; issued together the third would make 1845.00.
        var drafts = new List<Guid>();
        for (var k = 0; k < 3; k++) drafts.Add((await sales.CreateDraftAsync(partyId, "500.00", issueDate: day)).Id());

        InvoiceBatchResult result;
        await using (var scope = app.Services.CreateAsyncScope())
            result = await scope.ServiceProvider.GetRequiredService<InvoiceService>().IssueManyAsync(drafts);

        Assert.Equal([(drafts[0], "FV/2034/05/1"), (drafts[1], "FV/2034/05/2")], result.Invoices.Select(i => (i.Id, i.Number)).ToArray());
        var refused = Assert.Single(result.Refused);
        Assert.Equal((2, drafts[2], partyId, "credit-blocked"), (refused.Index, refused.InvoiceId, refused.PartyId, refused.Code));
        Assert.Contains("exceeded by 545.00 PLN", refused.Reason);
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/invoices/{drafts[2]}")).Str("status"));
        Assert.Equal(1230.00m, (await sales.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance"));
    }

    [Fact]
    public async Task The_recurring_job_does_not_issue_for_a_blocked_buyer_and_keeps_the_period_due_until_the_debt_is_paid()
    {
        // An invoice of 2035-01-02 with 14 days is due 2035-01-16; on 2035-03-01 it is 44 days past due (threshold 30).
        app.Clock.SetDate(new DateOnly(2035, 1, 2));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        await sales.CreateAndIssueAsync(partyId, "100.00", paymentTermDays: 14);
        var scheduleId = (await sales.PostCreatedAsync("/api/recurring-invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net", frequency = "Monthly", dayOfMonth = 1, startDate = new DateOnly(2035, 3, 1),
            endDate = new DateOnly(2035, 12, 31), issueAutomatically = true,
            lines = new[] { new { description = "Abonament", quantity = "1", unitPrice = "250.00", vatRateCode = "23", unit = "mies." } },
        })).Id();

        app.Clock.SetDate(new DateOnly(2035, 3, 1));
        var accountant = await app.ClientAsync(Roles.Accountant);
        var blocked = await accountant.PostOkAsync("/api/recurring-invoices/run-due");
        Assert.DoesNotContain(blocked.Arr("runs"), r => r!.Str("scheduleId") == scheduleId.ToString());
        var failure = blocked.Arr("failures").Single(f => f!.Str("scheduleId") == scheduleId.ToString())!;
        Assert.Contains("overdue debt 44 days past due", failure.Str("error"));
        Assert.Equal("2035-03-01", (await accountant.GetOkAsync($"/api/recurring-invoices/{scheduleId}")).Str("nextRunDate"));
        Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == partyId)));
        Assert.Equal(0, await app.QueryAsync(db => db.RecurringRuns.CountAsync(r => r.ScheduleId == scheduleId)));

        // Paid (123.00): the next round issues the period, dated its run date.
        await accountant.PayAsync(partyId, "123.00", new DateOnly(2035, 3, 1));
        var round = await accountant.PostOkAsync("/api/recurring-invoices/run-due");
        Assert.DoesNotContain(round.Arr("failures"), f => f!.Str("scheduleId") == scheduleId.ToString());
        var run = round.Arr("runs").Single(r => r!.Str("scheduleId") == scheduleId.ToString())!;
        Assert.Equal(("2035-03-01", "Issued"), (run.Str("runDate"), run.Str("invoiceStatus")));
        Assert.Equal("2035-04-01", (await accountant.GetOkAsync($"/api/recurring-invoices/{scheduleId}")).Str("nextRunDate"));
    }
}

public sealed class SqliteBatchCreditControlTests(SqliteApp app) : BatchCreditControlTests<SqliteApp>(app);

public sealed class PostgresBatchCreditControlTests(PostgresApp app) : BatchCreditControlTests<PostgresApp>(app);
