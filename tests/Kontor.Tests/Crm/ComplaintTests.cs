using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Crm;

/// <summary>Complaints: SLA dates from the settings, status rules, credit-note resolution through corrections, rejection reason.</summary>
public abstract class ComplaintTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Due_dates_come_from_the_received_date_and_the_settings_and_an_unanswered_complaint_turns_overdue()
    {
        app.Clock.SetDate(new DateOnly(2026, 5, 6));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoiceId = (await sales.CreateAndIssueAsync(partyId, "100.00")).Id();

        var complaint = await sales.PostCreatedAsync("/api/complaints", new { invoiceId, description = "Uszkodzone w transporcie", receivedOn = "2026-05-04" });

        Assert.StartsWith("REK/2026/", complaint.Str("number"));
        Assert.Equal((partyId.ToString(), "New"), (complaint.Str("partyId"), complaint.Str("status")));
        // 4 May + 14 days to answer; + 30 days to resolve (the defaults).
        Assert.Equal(("2026-05-18", "2026-06-03"), (complaint.Str("responseDueOn"), complaint.Str("resolutionDueOn")));
        Assert.False(complaint["isOverdue"]!.GetValue<bool>());

        app.Clock.SetDate(new DateOnly(2026, 5, 19));
        sales = await app.ClientAsync(Roles.Sales);
        Assert.True((await sales.GetOkAsync($"/api/complaints/{complaint.Id()}"))["isOverdue"]!.GetValue<bool>());
        Assert.Contains(complaint.Id().ToString(), (await sales.GetOkAsync($"/api/complaints?overdue=true&partyId={partyId}")).AsArray().Select(c => c.Str("id")));

        // Answered (in review): no longer overdue until the resolution date has passed.
        await sales.PostOkAsync($"/api/complaints/{complaint.Id()}/review");
        Assert.Empty((await sales.GetOkAsync($"/api/complaints?overdue=true&partyId={partyId}")).AsArray());
        app.Clock.SetDate(new DateOnly(2026, 6, 4));
        sales = await app.ClientAsync(Roles.Sales);
        Assert.Single((await sales.GetOkAsync($"/api/complaints?overdue=true&partyId={partyId}")).AsArray());

        // New settings apply to complaints registered from now on.
        var admin = await app.ClientAsync(Roles.Admin);
        var (forbidden, _, _) = await sales.SendAsync(HttpMethod.Put, "/api/complaints/settings", new { responseDays = 7, resolutionDays = 21 });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        await admin.ExpectAsync(HttpMethod.Put, "/api/complaints/settings", new { responseDays = 7, resolutionDays = 21 }, HttpStatusCode.OK);
        try
        {
            var later = await sales.PostCreatedAsync("/api/complaints", new { invoiceId, description = "Drugi raz" });
            Assert.Equal(("2026-06-04", "2026-06-11", "2026-06-25"), (later.Str("receivedOn"), later.Str("responseDueOn"), later.Str("resolutionDueOn")));
        }
        finally
        {
            await admin.ExpectAsync(HttpMethod.Put, "/api/complaints/settings", new { responseDays = 14, resolutionDays = 30 }, HttpStatusCode.OK);
        }
    }

    public static TheoryData<string[], string, int> Transitions => new()
    {
        // path of actions from New, the action tried, expected status code
        { [], "review", 200 },
        { [], "close", 409 },
        { [], "replace", 200 },
        { [], "reject", 200 },
        { ["review"], "review", 409 },
        { ["review"], "replace", 200 },
        { ["review"], "close", 409 },
        { ["replace"], "close", 200 },
        { ["replace"], "review", 409 },
        { ["replace"], "reject", 409 },
        { ["reject"], "replace", 409 },
        { ["reject"], "close", 200 },
        { ["replace", "close"], "close", 409 },
        { ["replace", "close"], "review", 409 },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public async Task Status_moves_follow_the_allowed_path_and_anything_else_is_409_changing_nothing(string[] path, string action, int expected)
    {
        app.Clock.SetDate(new DateOnly(2026, 7, 8));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var product = await sales.CreateProductAsync("10.00");
        var id = (await sales.PostCreatedAsync("/api/complaints", new { partyId, productId = product.Id(), description = "Nie działa" })).Id();
        foreach (var step in path) await sales.PostOkAsync(Url(id, step), Body(step));
        var before = await sales.GetOkAsync($"/api/complaints/{id}");

        var (status, body, _) = await sales.SendAsync(HttpMethod.Post, Url(id, action), Body(action));

        Assert.True((int)status == expected, $"{string.Join("→", path)} → {action}: expected {expected}, got {(int)status} {body?.ToJsonString()}");
        if (expected == 409)
            Assert.Equal(before.ToJsonString(), (await sales.GetOkAsync($"/api/complaints/{id}")).ToJsonString());
    }

    private static string Url(Guid id, string action) => action switch
    {
        "review" => $"/api/complaints/{id}/review",
        "close" => $"/api/complaints/{id}/close",
        _ => $"/api/complaints/{id}/resolve",
    };

    private static object? Body(string action) => action switch
    {
        "replace" => new { kind = "Replacement", note = "Wymiana na nowy" },
        "reject" => new { kind = "Rejection", note = "Uszkodzenie mechaniczne z winy klienta" },
        _ => null,
    };

    [Fact]
    public async Task A_credit_note_resolution_makes_a_correction_draft_lowering_the_chosen_lines_by_the_complained_quantities()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 12));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var draft = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[]
            {
                new { description = "Krzesło", quantity = "10", unitPrice = "100.00", vatRateCode = "23" },
                new { description = "Stół", quantity = "5", unitPrice = "50.00", vatRateCode = "23" },
            },
        });
        var invoice = await sales.IssueAsync(draft.Id());
        var complaint = await sales.PostCreatedAsync("/api/complaints", new
        {
            invoiceId = invoice.Id(), description = "Trzy krzesła pęknięte", lines = new[] { new { position = 1, quantity = "3" } },
        });
        Assert.Equal([("Krzesło", 3m)], complaint.Arr("lines").Select(l => (l.Str("description"), l!["quantity"]!.GetValue<decimal>())));

        var resolved = await sales.PostOkAsync($"/api/complaints/{complaint.Id()}/resolve", new { kind = "CreditNote", note = "Uznana" });

        Assert.Equal(("Resolved", "CreditNote"), (resolved.Str("status"), resolved.Str("resolution")));
        var correctionId = Guid.Parse(resolved.Str("correctionInvoiceId"));
        var correction = await sales.GetOkAsync($"/api/invoices/{correctionId}");
        Assert.Equal(("Draft", "Correction"), (correction.Str("status"), correction.Str("kind")));
        Assert.StartsWith($"Reklamacja {complaint.Str("number")}: Uznana", correction.Str("correctionReason"));
        var lines = correction.Arr("lines").Select(l => (l!["position"]!.GetValue<int>(), l["quantity"]!.GetValue<decimal>())).ToList();
        Assert.Equal([(1, 7m), (2, 5m)], lines);
        // 3 × 100.00 net less, VAT 23 %: −300.00 net, −69.00 VAT, −369.00 gross.
        Assert.Equal((-300.00m, -369.00m), (correction.Amount("totalNet"), correction.Amount("totalGross")));

        // Nothing is booked until a person issues the correction.
        Assert.Equal(0, await app.QueryAsync(db => db.JournalEntries.CountAsync(e => e.SourceId == correctionId)));

        var (status, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/complaints/{complaint.Id()}/resolve", new { kind = "CreditNote" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(1, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.OriginalInvoiceId == invoice.Id())));
    }

    [Fact]
    public async Task Credit_note_lines_may_be_chosen_at_resolution_and_may_not_exceed_the_invoice()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 19));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoiceId = (await sales.IssueAsync((await sales.CreateDraftAsync(partyId, "40.00", quantity: "4")).Id())).Id();
        var complaint = await sales.PostCreatedAsync("/api/complaints", new { invoiceId, description = "Za dużo w fakturze" });

        var (tooMany, problem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/complaints/{complaint.Id()}/resolve",
            new { kind = "CreditNote", lines = new[] { new { position = 1, quantity = "5" } } });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        Assert.NotNull(problem!["errors"]?["lines[0].quantity"]);
        var (noLines, noLinesProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/complaints/{complaint.Id()}/resolve", new { kind = "CreditNote" });
        Assert.Equal(HttpStatusCode.BadRequest, noLines);
        Assert.NotNull(noLinesProblem!["errors"]?["lines"]);
        Assert.Equal("New", (await sales.GetOkAsync($"/api/complaints/{complaint.Id()}")).Str("status"));
        Assert.Equal(0, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.OriginalInvoiceId == invoiceId)));

        var resolved = await sales.PostOkAsync($"/api/complaints/{complaint.Id()}/resolve",
            new { kind = "CreditNote", lines = new[] { new { position = 1, quantity = "4" } } });
        var correction = await sales.GetOkAsync($"/api/invoices/{resolved.Str("correctionInvoiceId")}");
        Assert.Equal(0m, correction.Arr("lines")[0]!["quantity"]!.GetValue<decimal>());
        Assert.Equal(-196.80m, correction.Amount("totalGross")); // 4 × 40.00 × 1.23
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_a_complaint_needs_something_to_be_about()
    {
        app.Clock.SetDate(new DateOnly(2026, 9, 2));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();

        var (nothing, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/complaints", new { partyId, description = "Ogólnie źle" });
        Assert.Equal(HttpStatusCode.BadRequest, nothing);
        Assert.NotNull(problem!["errors"]?["invoiceId"]);
        var draftId = (await sales.CreateDraftAsync(partyId, "10.00")).Id();
        var (draft, draftProblem, _) = await sales.SendAsync(HttpMethod.Post, "/api/complaints", new { invoiceId = draftId, description = "Szkic" });
        Assert.Equal(HttpStatusCode.BadRequest, draft);
        Assert.NotNull(draftProblem!["errors"]?["invoiceId"]);
        Assert.Equal(0, await app.QueryAsync(db => db.Set<Kontor.Crm.Complaints.Complaint>().CountAsync(c => c.PartyId == partyId)));

        var orderId = (await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Towar", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        })).Id();
        var complaint = await sales.PostCreatedAsync("/api/complaints", new { orderId, description = "Nie dotarło" });
        Assert.Equal(partyId.ToString(), complaint.Str("partyId"));

        var (noReason, reasonProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/complaints/{complaint.Id()}/resolve", new { kind = "Rejection", note = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.NotNull(reasonProblem!["errors"]?["note"]);
        Assert.Equal("New", (await sales.GetOkAsync($"/api/complaints/{complaint.Id()}")).Str("status"));
        var (creditNote, creditProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/complaints/{complaint.Id()}/resolve", new { kind = "CreditNote" });
        Assert.Equal(HttpStatusCode.BadRequest, creditNote);
        Assert.NotNull(creditProblem!["errors"]?["kind"]);

        var rejected = await sales.PostOkAsync($"/api/complaints/{complaint.Id()}/resolve", new { kind = "Rejection", note = "Doręczono 1.09, podpis klienta" });
        Assert.Equal(("Rejected", "Rejection", "Doręczono 1.09, podpis klienta"), (rejected.Str("status"), rejected.Str("resolution"), rejected.Str("resolutionNote")));
    }
}

public sealed class SqliteComplaintTests(SqliteApp app) : ComplaintTests<SqliteApp>(app);

public sealed class PostgresComplaintTests(PostgresApp app) : ComplaintTests<PostgresApp>(app);
