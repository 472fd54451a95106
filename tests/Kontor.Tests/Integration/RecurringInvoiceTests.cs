using System.Net;
using System.Text.Json.Nodes;
using Kontor.Persistence;
using Kontor.Recurring;
using Kontor.Sales;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// Recurring invoices: each period invoiced exactly once (twice the same day, catch-up, two workers at once),
/// paused and deleted schedules, edits affecting only future runs, drafts vs automatic issue, bad input.
/// </summary>
public abstract class RecurringInvoiceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // Each test works in a year of its own, so invoice numbers do not depend on test order.

    [Fact]
    public async Task Running_the_job_twice_on_the_same_day_issues_the_period_once()
    {
        app.Clock.SetDate(new DateOnly(2031, 1, 2));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        var schedule = await sales.PostCreatedAsync("/api/recurring-invoices",
            Body(partyId, "Monthly", startDate: new DateOnly(2031, 1, 5), dayOfMonth: 5, issueAutomatically: true));
        Assert.Equal("2031-01-05", schedule.Str("nextRunDate"));
        Assert.Equal("Active", schedule.Str("status"));
        var id = schedule.Id();

        // Not due yet.
        Assert.Empty(await RunDueAsync(id));

        app.Clock.SetDate(new DateOnly(2031, 1, 5));
        sales = await app.ClientAsync(Roles.Sales);
        var first = await RunDueAsync(id);
        var second = await RunDueAsync(id);
        var run = Assert.Single(first);
        Assert.Equal(("2031-01-05", "FV/2031/01/1", "Issued"), (run.Str("runDate"), run.Str("invoiceNumber"), run.Str("invoiceStatus")));
        Assert.Empty(second);

        var invoices = (await sales.GetOkAsync($"/api/invoices?partyId={partyId}")).AsArray();
        var invoice = await sales.GetOkAsync($"/api/invoices/{Assert.Single(invoices)!.Id()}");
        Assert.Equal(("Issued", "FV/2031/01/1", "2031-01-05", "2031-01-19"), (invoice.Str("status"), invoice.Str("number"), invoice.Str("issueDate"), invoice.Str("dueDate")));
        Assert.Equal((500.00m, 115.00m, 615.00m), (invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross"))); // 2 × 250.00 at 23 %

        var after = await sales.GetOkAsync($"/api/recurring-invoices/{id}");
        Assert.Equal("2031-02-05", after.Str("nextRunDate"));
        var runs = after.Arr("runs");
        Assert.Equal(("2031-01-05", "FV/2031/01/1"), (runs.Single()!.Str("runDate"), runs.Single()!.Str("invoiceNumber")));
    }

    [Fact]
    public async Task After_three_missed_months_the_job_invoices_each_period_with_its_own_date()
    {
        // Catch-up issues periods whose earlier invoices are by then long past due; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        app.Clock.SetDate(new DateOnly(2032, 1, 2));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 7)).Id();
        var id = (await sales.PostCreatedAsync("/api/recurring-invoices",
            Body(partyId, "Monthly", startDate: new DateOnly(2032, 1, 31), dayOfMonth: 31, issueAutomatically: true))).Id();
        // Every-7-days schedule in the same year: three runs in one month take consecutive numbers of that month.
        var weeklyParty = (await sales.CreatePartyAsync(paymentTermDays: 7)).Id();
        var weeklyId = (await sales.PostCreatedAsync("/api/recurring-invoices",
            Body(weeklyParty, "EveryNDays", startDate: new DateOnly(2032, 5, 3), intervalDays: 7, issueAutomatically: true))).Id();

        // The job was down from January until 20 April: January, February and March are due, April's is not yet (30 April).
        app.Clock.SetDate(new DateOnly(2032, 4, 20));
        sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal(
            [("2032-01-31", "FV/2032/01/1"), ("2032-02-29", "FV/2032/02/1"), ("2032-03-31", "FV/2032/03/1")],
            (await RunDueAsync(id, weeklyId)).Select(r => (r.Str("runDate"), r.Str("invoiceNumber"))));

        var issued = (await sales.GetOkAsync($"/api/invoices?partyId={partyId}")).AsArray()
            .Select(i => (i.Str("number"), i.Str("issueDate"), i.Str("dueDate"))).OrderBy(x => x.Item2).ToList();
        Assert.Equal([("FV/2032/01/1", "2032-01-31", "2032-02-07"), ("FV/2032/02/1", "2032-02-29", "2032-03-07"), ("FV/2032/03/1", "2032-03-31", "2032-04-07")], issued);
        Assert.Equal("2032-04-30", (await sales.GetOkAsync($"/api/recurring-invoices/{id}")).Str("nextRunDate"));

        // 3, 10 and 17 May missed, 24 May today.
        app.Clock.SetDate(new DateOnly(2032, 5, 24));
        var round = await RunDueAsync(id, weeklyId);
        Assert.Equal(
            [("2032-04-30", "FV/2032/04/1")],
            round.Where(r => r.Str("scheduleId") == id.ToString()).Select(r => (r.Str("runDate"), r.Str("invoiceNumber"))));
        Assert.Equal(
            [("2032-05-03", "FV/2032/05/1"), ("2032-05-10", "FV/2032/05/2"), ("2032-05-17", "FV/2032/05/3"), ("2032-05-24", "FV/2032/05/4")],
            round.Where(r => r.Str("scheduleId") == weeklyId.ToString()).Select(r => (r.Str("runDate"), r.Str("invoiceNumber"))));
    }

    [Fact]
    public async Task Two_workers_at_once_invoice_every_period_exactly_once()
    {
        // Catch-up issues periods whose earlier invoices are by then long past due; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        app.Clock.SetDate(new DateOnly(2033, 1, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var scheduleIds = new List<Guid>();
        var partyIds = new List<Guid>();
        for (var k = 0; k < 4; k++)
        {
            var partyId = (await sales.CreatePartyAsync()).Id();
            partyIds.Add(partyId);
            // Every 3 days from 1 January: 1, 4, ..., 31 January = 11 periods each by the 31st.
            scheduleIds.Add((await sales.PostCreatedAsync("/api/recurring-invoices",
                Body(partyId, "EveryNDays", startDate: new DateOnly(2033, 1, 1), intervalDays: 3, issueAutomatically: k % 2 == 0))).Id());
        }
        var today = new DateOnly(2033, 1, 31);
        app.Clock.SetDate(today);

        // PostgreSQL: a second host (another node) on the same database. SQLite: two workers in one process
        // (one process per SQLite file is the supported deployment).
        KontorApp? secondNode = null;
        if (app.Provider == DatabaseProvider.Postgres)
        {
            secondNode = app.OpenOnSameDatabase();
            await secondNode.InitializeAsync();
            secondNode.Clock.SetDate(today);
        }
        try
        {
            var jobA = app.Services.GetRequiredService<RecurringInvoiceJob>();
            var jobB = (secondNode ?? app).Services.GetRequiredService<RecurringInvoiceJob>();
            var results = await Task.WhenAll(
                Task.Run(() => jobA.RunDueAsync(today)), Task.Run(() => jobB.RunDueAsync(today)),
                Task.Run(() => jobA.RunDueAsync(today)), Task.Run(() => jobB.RunDueAsync(today)));

            Assert.All(results, r => Assert.Empty(r.Failures));
            var reported = results.SelectMany(r => r.Runs).Where(r => scheduleIds.Contains(r.ScheduleId)).ToList();
            Assert.Equal(44, reported.Count);
            Assert.Equal(44, reported.Select(r => (r.ScheduleId, r.RunDate)).Distinct().Count());

            var expectedDates = Enumerable.Range(0, 11).Select(k => new DateOnly(2033, 1, 1).AddDays(3 * k)).ToList();
            var (runs, invoices) = await app.QueryAsync(async db => (
                await db.RecurringRuns.AsNoTracking().Where(r => scheduleIds.Contains(r.ScheduleId)).ToListAsync(),
                await db.Invoices.AsNoTracking().Where(i => partyIds.Contains(i.PartyId)).ToListAsync()));
            foreach (var scheduleId in scheduleIds)
                Assert.Equal(expectedDates, runs.Where(r => r.ScheduleId == scheduleId).Select(r => r.RunDate).OrderBy(d => d));
            Assert.Equal(44, invoices.Count);
            Assert.Equal(44, runs.Select(r => r.InvoiceId).Distinct().Count());
            // Two schedules issue automatically: 22 invoices numbered 1..22 in January, no gap, no duplicate.
            var numbers = invoices.Where(i => i.Status == InvoiceStatus.Issued).Select(i => i.Number!).OrderBy(n => int.Parse(n.Split('/')[^1])).ToList();
            Assert.Equal(Enumerable.Range(1, 22).Select(n => $"FV/2033/01/{n}"), numbers);
            Assert.Equal(22, invoices.Count(i => i.Status == InvoiceStatus.Draft));
            foreach (var invoice in invoices)
                Assert.Contains(invoice.IssueDate!.Value, expectedDates);

            // And a later round finds nothing left.
            Assert.DoesNotContain((await jobB.RunDueAsync(today)).Runs, r => scheduleIds.Contains(r.ScheduleId));
        }
        finally
        {
            if (secondNode is not null) await secondNode.DisposeAsync();
        }
    }

    [Fact]
    public async Task Paused_and_deleted_schedules_are_skipped_and_a_resume_does_not_invoice_the_pause()
    {
        // Catch-up issues periods whose earlier invoices are by then long past due; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        app.Clock.SetDate(new DateOnly(2034, 1, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var pausedParty = (await sales.CreatePartyAsync()).Id();
        var deletedParty = (await sales.CreatePartyAsync()).Id();
        var paused = (await sales.PostCreatedAsync("/api/recurring-invoices", Body(pausedParty, "Monthly", new DateOnly(2034, 1, 10), dayOfMonth: 10, issueAutomatically: true))).Id();
        var deleted = (await sales.PostCreatedAsync("/api/recurring-invoices", Body(deletedParty, "Monthly", new DateOnly(2034, 1, 1), dayOfMonth: 1, issueAutomatically: true))).Id();

        // The deleted one ran once before it was deleted: that invoice and run stay.
        Assert.Single(await RunDueAsync(paused, deleted));
        await sales.ExpectAsync(HttpMethod.Delete, $"/api/recurring-invoices/{deleted}", null, HttpStatusCode.NoContent);
        Assert.Equal("Paused", (await sales.PostOkAsync($"/api/recurring-invoices/{paused}/pause")).Str("status"));

        app.Clock.SetDate(new DateOnly(2034, 3, 15));
        sales = await app.ClientAsync(Roles.Sales);
        Assert.Empty(await RunDueAsync(paused, deleted));
        Assert.Empty((await sales.GetOkAsync($"/api/invoices?partyId={pausedParty}")).AsArray());
        Assert.Single((await sales.GetOkAsync($"/api/invoices?partyId={deletedParty}")).AsArray());
        var list = (await sales.GetOkAsync("/api/recurring-invoices")).AsArray();
        Assert.DoesNotContain(list, s => s!.Id() == deleted);
        var deletedView = await sales.GetOkAsync($"/api/recurring-invoices/{deleted}");
        Assert.Equal("Deleted", deletedView.Str("status"));
        Assert.Single(deletedView.Arr("runs"));
        var (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/recurring-invoices/{deleted}/resume");
        Assert.Equal(HttpStatusCode.Conflict, status);

        // Resumed on 15 March: January, February and 10 March fell in the pause; the next run is 10 April.
        var resumed = await sales.PostOkAsync($"/api/recurring-invoices/{paused}/resume");
        Assert.Equal(("Active", "2034-04-10"), (resumed.Str("status"), resumed.Str("nextRunDate")));
        Assert.Empty(await RunDueAsync(paused, deleted));
        app.Clock.SetDate(new DateOnly(2034, 4, 10));
        var run = Assert.Single(await RunDueAsync(paused, deleted));
        Assert.Equal((paused.ToString(), "2034-04-10", "FV/2034/04/1"), (run.Str("scheduleId"), run.Str("runDate"), run.Str("invoiceNumber")));
    }

    [Fact]
    public async Task An_edit_changes_future_runs_only()
    {
        app.Clock.SetDate(new DateOnly(2035, 1, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var id = (await sales.PostCreatedAsync("/api/recurring-invoices", Body(partyId, "Monthly", new DateOnly(2035, 1, 1), dayOfMonth: 1, issueAutomatically: true))).Id();
        var january = Assert.Single(await RunDueAsync(id));
        var januaryInvoice = Guid.Parse(january.Str("invoiceId"));

        // From now on: 3 × 100.00 at 8 % on the 20th of each month.
        app.Clock.SetDate(new DateOnly(2035, 1, 15));
        sales = await app.ClientAsync(Roles.Sales);
        var edited = await sales.ExpectAsync(HttpMethod.Put, $"/api/recurring-invoices/{id}",
            Body(partyId, "Monthly", new DateOnly(2035, 1, 1), dayOfMonth: 20, issueAutomatically: true, quantity: "3", unitPrice: "100.00", vatRateCode: "8"), HttpStatusCode.OK);
        Assert.Equal("2035-01-20", edited.Str("nextRunDate")); // the first new date after the last invoiced period (1 January)
        Assert.Equal(324.00m, edited.Amount("totalGross"));     // 300.00 + 8 %
        var januaryAgain = await sales.GetOkAsync($"/api/invoices/{januaryInvoice}");
        Assert.Equal(("FV/2035/01/1", 615.00m, "2035-01-01"), (januaryAgain.Str("number"), januaryAgain.Amount("totalGross"), januaryAgain.Str("issueDate")));
        Assert.Equal(januaryInvoice.ToString(), Assert.Single(edited.Arr("runs"))!.Str("invoiceId"));

        app.Clock.SetDate(new DateOnly(2035, 1, 20));
        sales = await app.ClientAsync(Roles.Sales);
        var next = Assert.Single(await RunDueAsync(id));
        var invoice = await sales.GetOkAsync($"/api/invoices/{next.Str("invoiceId")}");
        Assert.Equal(("FV/2035/01/2", "2035-01-20", 300.00m, 24.00m, 324.00m),
            (invoice.Str("number"), invoice.Str("issueDate"), invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));
        Assert.Equal("8", invoice.Arr("lines").Single().Str("vatRateCode"));
    }

    [Fact]
    public async Task Without_automatic_issue_the_job_leaves_dated_drafts()
    {
        // Catch-up issues periods whose earlier invoices are by then long past due; credit control is not what this test is about.
        await app.RaiseCreditOverdueThresholdAsync();
        app.Clock.SetDate(new DateOnly(2036, 2, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var id = (await sales.PostCreatedAsync("/api/recurring-invoices", Body(partyId, "Quarterly", new DateOnly(2036, 2, 1), dayOfMonth: 1, issueAutomatically: false))).Id();

        var run = Assert.Single(await RunDueAsync(id));
        Assert.Equal("Draft", run.Str("invoiceStatus"));
        var draft = await sales.GetOkAsync($"/api/invoices/{run.Str("invoiceId")}");
        Assert.Equal(("Draft", "2036-02-01"), (draft.Str("status"), draft.Str("issueDate")));
        Assert.Null(draft["number"]?.GetValue<string>());
        // No ledger entry for a draft.
        Assert.Empty((await (await app.ClientAsync(Roles.Accountant)).GetOkAsync($"/api/ledger/entries?documentId={run.Str("invoiceId")}")).AsArray());
        // A person issues it later; the run date stays its issue date.
        var issued = await sales.IssueAsync(Guid.Parse(run.Str("invoiceId")));
        Assert.Equal(("FV/2036/02/1", "2036-02-01"), (issued.Str("number"), issued.Str("issueDate")));
    }

    [Fact]
    public async Task An_invalid_schedule_is_refused_naming_each_field_and_nothing_is_written()
    {
        app.Clock.SetDate(new DateOnly(2037, 1, 1));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var before = await app.QueryAsync(db => db.RecurringSchedules.CountAsync());

        await ExpectFieldsAsync(sales, new
        {
            partyId, currency = "PLN", pricingMode = "Net", frequency = "EveryNDays", startDate = "2037-01-10", endDate = "2037-01-05",
            lines = new[] { new { description = "Abonament", quantity = "0", unitPrice = "10.00", vatRateCode = "23" } },
        }, "intervalDays", "endDate", "lines[0].quantity");
        await ExpectFieldsAsync(sales, new
        {
            partyId, currency = "PLN", pricingMode = "Net", frequency = "Monthly", dayOfMonth = 32,
            lines = new[] { new { description = "Abonament", quantity = "1", unitPrice = "10.00", vatRateCode = "99" } },
        }, "dayOfMonth", "startDate", "lines[0].vatRateCode");
        await ExpectFieldsAsync(sales, new { partyId = Guid.NewGuid(), currency = "PLN", pricingMode = "Net", frequency = "Yearly", startDate = "2037-01-01", lines = Array.Empty<object>() },
            "partyId", "lines");
        // Malformed enum value: 400 naming the field, not 500.
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/recurring-invoices",
            """{"partyId":"00000000-0000-0000-0000-000000000001","frequency":"Weekly","startDate":"2037-01-01"}""");
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400, got {(int)status} {problem?.ToJsonString()}");

        Assert.Equal(before, await app.QueryAsync(db => db.RecurringSchedules.CountAsync()));
    }

    [Fact]
    public async Task The_background_worker_invoices_a_due_period_when_enabled()
    {
        // A host of its own with the worker on, every second; its test clock stands at 20 March 2026.
        await using var host = app.CreateFresh(new Dictionary<string, string?> { ["Recurring:Enabled"] = "true", ["Recurring:IntervalSeconds"] = "1" });
        await host.InitializeAsync();
        var sales = await host.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14)).Id();
        var id = (await sales.PostCreatedAsync("/api/recurring-invoices", Body(partyId, "Monthly", new DateOnly(2026, 3, 20), dayOfMonth: 20, issueAutomatically: true))).Id();

        JsonNode view = await sales.GetOkAsync($"/api/recurring-invoices/{id}");
        for (var attempt = 0; attempt < 60 && view.Arr("runs").Count == 0; attempt++)
        {
            await Task.Delay(500);
            view = await sales.GetOkAsync($"/api/recurring-invoices/{id}");
        }
        var run = Assert.Single(view.Arr("runs"))!;
        Assert.Equal(("2026-03-20", "FV/2026/03/1"), (run.Str("runDate"), run.Str("invoiceNumber")));
        Assert.Equal("2026-04-20", view.Str("nextRunDate"));
        // Later rounds of the worker do not invoice the period again.
        await Task.Delay(2500);
        Assert.Single((await sales.GetOkAsync($"/api/invoices?partyId={partyId}")).AsArray());
    }

    [Fact]
    public async Task Only_accountants_and_admins_run_the_job_by_hand()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var (status, _, _) = await sales.SendAsync(HttpMethod.Post, "/api/recurring-invoices/run-due");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var (anonymous, _, _) = await app.AnonymousClient().SendAsync(HttpMethod.Get, "/api/recurring-invoices");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    /// <summary>
    /// Runs the job through the API as an accountant (a token of the current test clock) and returns the runs of
    /// <paramref name="scheduleIds"/> only: schedules of other tests in this fixture may catch up in the same round.
    /// </summary>
    private async Task<List<JsonNode>> RunDueAsync(params Guid[] scheduleIds)
    {
        var result = await (await app.ClientAsync(Roles.Accountant)).PostOkAsync("/api/recurring-invoices/run-due");
        Assert.Empty(result.Arr("failures"));
        var ids = scheduleIds.Select(id => id.ToString()).ToHashSet();
        return result.Arr("runs").Where(r => ids.Contains(r.Str("scheduleId"))).Select(r => r!).ToList();
    }

    private static async Task ExpectFieldsAsync(HttpClient client, object body, params string[] fields)
    {
        var problem = await client.ExpectAsync(HttpMethod.Post, "/api/recurring-invoices", body, HttpStatusCode.BadRequest);
        var errors = problem["errors"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no errors in {problem.ToJsonString()}");
        foreach (var field in fields)
            Assert.True(errors.ContainsKey(field), $"expected an error for '{field}' in {errors.ToJsonString()}");
    }

    /// <summary>One line: <paramref name="quantity"/> × <paramref name="unitPrice"/> net (default 2 × 250.00 at 23 % = 615.00 gross).</summary>
    private static object Body(Guid partyId, string frequency, DateOnly startDate, int? dayOfMonth = null, int? intervalDays = null,
        bool issueAutomatically = false, string quantity = "2", string unitPrice = "250.00", string vatRateCode = "23") => new
    {
        // Ends with its year: when a later test moves the clock on, this schedule catches up inside its own year only.
        partyId, currency = "PLN", pricingMode = "Net", frequency, intervalDays, dayOfMonth, startDate, endDate = new DateOnly(startDate.Year, 12, 31), issueAutomatically,
        notes = "Abonament serwisowy",
        lines = new[] { new { description = "Abonament serwisowy", quantity, unitPrice, vatRateCode, unit = "mies." } },
    };
}

public sealed class SqliteRecurringInvoiceTests(SqliteApp app) : RecurringInvoiceTests<SqliteApp>(app);

public sealed class PostgresRecurringInvoiceTests(PostgresApp app) : RecurringInvoiceTests<PostgresApp>(app);
